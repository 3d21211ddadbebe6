package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The directory and record share endpoints over a real socket (H2). Until per-user authentication
 * exists (#4) the API token acts as the built-in administrator "admin", who holds MANAGE_USERS; the
 * 403 test takes that permission away from "admin" on a server of its own.
 */
class DirectoryApiIT {
  private static TestServer server;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    client = server.client();
    expect(client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aDirectoryIsBuiltAndReadBack() {
    expect(client.put("/api/v1/roles/ceo", "{\"name\": \"CEO\"}"), 201);
    expect(client.put("/api/v1/roles/cfo", "{\"name\": \"CFO\", \"parentRoleId\": \"ceo\"}"), 201);
    // The body may repeat the path's id.
    JsonNode clerk =
        expect(
            client.put(
                "/api/v1/roles/clerk",
                "{\"id\": \"clerk\", \"name\": \"Clerk\", \"parentRoleId\": \"cfo\"}"),
            201);
    assertThat(clerk.path("parentRoleId").asText()).isEqualTo("cfo");
    expect(
        client.put(
            "/api/v1/roles/clerk", "{\"name\": \"Accounts clerk\", \"parentRoleId\": \"cfo\"}"),
        200);
    JsonNode roles = expect(client.get("/api/v1/roles"), 200).path("items");
    assertThat(ids(roles)).containsExactly("ceo", "cfo", "clerk");
    assertThat(roles.get(2).path("name").asText()).isEqualTo("Accounts clerk");
    assertThat(roles.get(0).has("parentRoleId")).isFalse();

    expect(
        client.put(
            "/api/v1/users/maria",
            """
            {"username": "maria", "displayName": "Maria Boss", "email": "maria@example.com",
             "roleId": "cfo"}
            """),
        201);
    JsonNode sam =
        expect(
            client.put(
                "/api/v1/users/sam",
                """
                {"username": "sam", "displayName": "Sam Submitter", "managerId": "maria",
                 "roleId": "clerk"}
                """),
            201);
    assertThat(sam.path("active").asBoolean()).isTrue();
    assertThat(sam.path("automatedProcess").asBoolean()).isFalse();
    expect(
        client.put(
            "/api/v1/users/fiona",
            "{\"username\": \"fiona\", \"displayName\": \"Fiona Finance\", \"roleId\": \"clerk\"}"),
        201);

    expect(
        client.put(
            "/api/v1/groups/clerks",
            """
            {"name": "Clerks", "members": [{"type": "ROLE", "id": "clerk"}]}
            """),
        201);
    JsonNode finance =
        expect(
            client.put(
                "/api/v1/groups/finance",
                """
                {"name": "Finance", "members": [
                  {"type": "USER", "id": "maria"},
                  {"type": "ROLE_AND_SUBORDINATES", "id": "cfo"},
                  {"type": "GROUP", "id": "clerks"}]}
                """),
            201);
    assertThat(finance.path("members")).hasSize(3);
    JsonNode groups = expect(client.get("/api/v1/groups"), 200).path("items");
    assertThat(ids(groups)).containsExactly("clerks", "finance");
    assertThat(groups.get(1).path("members").get(2).path("type").asText()).isEqualTo("GROUP");
    assertThat(groups.get(1).path("members").get(2).path("id").asText()).isEqualTo("clerks");

    JsonNode queue =
        expect(
            client.put(
                "/api/v1/queues/expense-desk",
                """
                {"name": "Expense desk", "members": [{"type": "USER", "id": "fiona"}],
                 "objectTypes": ["Expense"]}
                """),
            201);
    assertThat(queue.path("objectTypes").get(0).asText()).isEqualTo("Expense");
    JsonNode queues = expect(client.get("/api/v1/queues"), 200).path("items");
    assertThat(ids(queues)).containsExactly("expense-desk");
    assertThat(queues.get(0).path("members").get(0).path("id").asText()).isEqualTo("fiona");

    expect(
        client.put(
            "/api/v1/permission-sets/expense-readers",
            """
            {"name": "Expense readers", "objectPermissions": {"Expense": ["READ", "CREATE"]},
             "fieldPermissions": {"Expense": {"*": ["READ"], "Amount": ["EDIT"]}},
             "systemPermissions": ["APPROVAL_ADMIN"]}
            """),
        201);
    JsonNode sets = expect(client.get("/api/v1/permission-sets"), 200).path("items");
    assertThat(ids(sets)).containsExactly("expense-readers", "system-administrator");
    JsonNode readers = sets.get(0);
    assertThat(texts(readers.path("objectPermissions").path("Expense")))
        .containsExactlyInAnyOrder("READ", "CREATE");
    assertThat(texts(readers.path("fieldPermissions").path("Expense").path("Amount")))
        .containsExactly("EDIT");
    assertThat(texts(readers.path("systemPermissions"))).containsExactly("APPROVAL_ADMIN");

    assertThat(send("PUT", "/api/v1/users/sam/permission-sets/expense-readers").status())
        .isEqualTo(204);
    // Assigning again changes nothing.
    assertThat(send("PUT", "/api/v1/users/sam/permission-sets/expense-readers").status())
        .isEqualTo(204);
    JsonNode samRead = expect(client.get("/api/v1/users/sam"), 200);
    assertThat(samRead.path("displayName").asText()).isEqualTo("Sam Submitter");
    assertThat(samRead.path("managerId").asText()).isEqualTo("maria");
    assertThat(samRead.path("roleId").asText()).isEqualTo("clerk");
    assertThat(texts(samRead.path("permissionSetIds"))).containsExactly("expense-readers");
    JsonNode mariaRead = expect(client.get("/api/v1/users/maria"), 200);
    assertThat(mariaRead.path("email").asText()).isEqualTo("maria@example.com");
    assertThat(mariaRead.path("permissionSetIds")).isEmpty();
    assertThat(server.server().engine().directory().permissionSetIdsOf("sam"))
        .containsExactly("expense-readers");

    // Deactivating is a PUT of the whole user with active: false.
    JsonNode deactivated =
        expect(
            client.put(
                "/api/v1/users/fiona",
                """
                {"username": "fiona", "displayName": "Fiona Finance", "roleId": "clerk",
                 "active": false}
                """),
            200);
    assertThat(deactivated.path("active").asBoolean()).isFalse();
    assertThat(expect(client.get("/api/v1/users/fiona"), 200).path("active").asBoolean()).isFalse();

    assertThat(send("DELETE", "/api/v1/users/sam/permission-sets/expense-readers").status())
        .isEqualTo(204);
    assertThat(expect(client.get("/api/v1/users/sam"), 200).path("permissionSetIds")).isEmpty();
    expectProblem(
        send("DELETE", "/api/v1/users/sam/permission-sets/expense-readers"), 404, "NOT_FOUND");

    // A group and a queue are deleted each by their own route.
    expectProblem(send("DELETE", "/api/v1/groups/expense-desk"), 404, "NOT_FOUND");
    expect(client.put("/api/v1/queues/temporary", "{\"name\": \"Temporary\"}"), 201);
    assertThat(send("DELETE", "/api/v1/queues/temporary").status()).isEqualTo(204);
    expect(client.put("/api/v1/groups/temporary", "{\"name\": \"Temporary\"}"), 201);
    assertThat(send("DELETE", "/api/v1/groups/temporary").status()).isEqualTo(204);
    assertThat(ids(expect(client.get("/api/v1/groups"), 200).path("items")))
        .containsExactly("clerks", "finance");
    expectProblem(send("DELETE", "/api/v1/queues/temporary"), 404, "NOT_FOUND");
  }

  @Test
  void usersArePaginated() {
    for (int i = 0; i < 5; i++) {
      expect(
          client.put(
              "/api/v1/users/page-user-" + i,
              "{\"username\": \"page-user-" + i + "\", \"displayName\": \"User " + i + "\"}"),
          201);
    }
    List<String> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      JsonNode page =
          expect(
              client.get("/api/v1/users?limit=2" + cursor.map(c -> "&cursor=" + c).orElse("")),
              200);
      assertThat(page.path("items").size()).isBetween(1, 2);
      seen.addAll(ids(page.path("items")));
      cursor =
          page.has("nextCursor") ? Optional.of(page.path("nextCursor").asText()) : Optional.empty();
      pages++;
    } while (cursor.isPresent() && pages < 50);
    assertThat(seen).contains("admin", "automated-process").doesNotHaveDuplicates().isSorted();
    assertThat(seen)
        .containsSubsequence(
            "page-user-0", "page-user-1", "page-user-2", "page-user-3", "page-user-4");
    expectProblem(client.get("/api/v1/users?limit=0"), 400, "INVALID_REQUEST");
    expectProblem(client.get("/api/v1/users?cursor=***"), 400, "INVALID_REQUEST");
    expectProblem(client.get("/api/v1/users/nobody"), 404, "NOT_FOUND");
  }

  @Test
  void aRecordIsSharedToAGroupAndTheSharesReadBack() {
    expect(
        client.put("/api/v1/users/ann", "{\"username\": \"ann\", \"displayName\": \"Ann\"}"), 201);
    expect(
        client.put(
            "/api/v1/groups/reviewers",
            "{\"name\": \"Reviewers\", \"members\": [{\"type\": \"USER\", \"id\": \"ann\"}]}"),
        201);
    String recordId =
        expect(client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201)
            .path("id")
            .asText();
    String shares = "/api/v1/records/Expense/" + recordId + "/shares";
    assertThat(expect(client.get(shares), 200).path("items")).isEmpty();

    ApiResponse created =
        client.post(
            shares,
            "{\"granteeType\": \"GROUP\", \"granteeId\": \"reviewers\", \"access\": \"READ\"}");
    JsonNode share = expect(created, 201);
    assertThat(share.path("recordId").asText()).isEqualTo(recordId);
    assertThat(created.headers().firstValue("location")).contains(shares + "/GROUP/reviewers");
    // Sharing again with the same grantee replaces the access level.
    JsonNode replaced =
        expect(
            client.post(
                shares,
                "{\"granteeType\": \"GROUP\", \"granteeId\": \"reviewers\", \"access\": \"EDIT\"}"),
            200);
    assertThat(replaced.path("access").asText()).isEqualTo("EDIT");
    expect(
        client.post(
            shares, "{\"granteeType\": \"USER\", \"granteeId\": \"ann\", \"access\": \"READ\"}"),
        201);

    JsonNode items = expect(client.get(shares), 200).path("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).path("granteeType").asText()).isEqualTo("GROUP");
    assertThat(items.get(0).path("granteeId").asText()).isEqualTo("reviewers");
    assertThat(items.get(0).path("access").asText()).isEqualTo("EDIT");
    assertThat(items.get(1).path("granteeType").asText()).isEqualTo("USER");

    // The share reaches the group's member in the engine's access decisions.
    assertThat(server.server().engine().shares().shares("Expense", recordId)).hasSize(2);

    assertThat(send("DELETE", shares + "/USER/ann").status()).isEqualTo(204);
    expectProblem(send("DELETE", shares + "/USER/ann"), 404, "NOT_FOUND");
    assertProblemPath(send("DELETE", shares + "/TEAM/ann"), 400, "path.granteeType");
    assertThat(expect(client.get(shares), 200).path("items")).hasSize(1);

    // Deleting the group removes the shares to it.
    assertThat(send("DELETE", "/api/v1/groups/reviewers").status()).isEqualTo(204);
    assertThat(expect(client.get(shares), 200).path("items")).isEmpty();

    expectProblem(client.get("/api/v1/records/Expense/no-such-record/shares"), 404, "NOT_FOUND");
    expectProblem(client.get("/api/v1/records/Invoice/" + recordId + "/shares"), 404, "NOT_FOUND");
    expectProblem(
        client.post(
            "/api/v1/records/Expense/no-such-record/shares",
            "{\"granteeType\": \"USER\", \"granteeId\": \"ann\", \"access\": \"READ\"}"),
        404,
        "NOT_FOUND");
    assertProblemPath(
        client.post(
            shares,
            "{\"granteeType\": \"GROUP\", \"granteeId\": \"ghosts\", \"access\": \"READ\"}"),
        400,
        "$.granteeId");
    assertProblemPath(
        client.post(
            shares, "{\"granteeType\": \"USER\", \"granteeId\": \"ann\", \"access\": \"OWN\"}"),
        400,
        "$.access");
    assertProblemPath(
        client.post(
            shares,
            "{\"granteeType\": \"USER\", \"granteeId\": \"ann\", \"access\": \"READ\", \"why\": 1}"),
        400,
        "$.why");
  }

  @Test
  void badInputIsA4xxWithItsPathNeverA500() {
    expect(client.put("/api/v1/roles/top", "{\"name\": \"Top\"}"), 201);
    expect(
        client.put("/api/v1/roles/middle", "{\"name\": \"Middle\", \"parentRoleId\": \"top\"}"),
        201);

    // Unknown property, in a user and deep in a group member.
    assertProblemPath(
        client.put(
            "/api/v1/users/bad",
            "{\"username\": \"bad\", \"displayName\": \"Bad\", \"automatedProcess\": true}"),
        400,
        "$.automatedProcess");
    assertProblemPath(
        client.put(
            "/api/v1/groups/bad",
            "{\"name\": \"Bad\", \"members\": [{\"type\": \"USER\", \"id\": \"admin\", \"x\": 1}]}"),
        400,
        "$.members[0].x");
    // A cycle in the role hierarchy, and a role as its own parent.
    JsonNode cycle =
        assertProblemPath(
            client.put("/api/v1/roles/top", "{\"name\": \"Top\", \"parentRoleId\": \"middle\"}"),
            400,
            "$.parentRoleId");
    assertThat(cycle.path("problems").get(0).path("message").asText()).contains("cycle");
    assertProblemPath(
        client.put("/api/v1/roles/solo", "{\"name\": \"Solo\", \"parentRoleId\": \"solo\"}"),
        400,
        "$.parentRoleId");
    assertProblemPath(
        client.put("/api/v1/roles/orphan", "{\"name\": \"Orphan\", \"parentRoleId\": \"nope\"}"),
        400,
        "$.parentRoleId");
    // Unknown members, reported together with their indexes.
    JsonNode members =
        assertProblemPath(
            client.put(
                "/api/v1/groups/bad",
                """
                {"name": "Bad", "members": [{"type": "USER", "id": "admin"},
                  {"type": "USER", "id": "ghost"}, {"type": "ROLE", "id": "no-role"}]}
                """),
            400,
            "$.members[1]");
    assertThat(members.path("problems").get(1).path("path").asText()).isEqualTo("$.members[2]");
    assertProblemPath(
        client.put(
            "/api/v1/queues/bad",
            "{\"name\": \"Bad\", \"objectTypes\": [\"Expense\", \"Invoice\"]}"),
        400,
        "$.objectTypes[1]");
    assertProblemPath(
        client.put(
            "/api/v1/groups/bad",
            "{\"name\": \"Bad\", \"members\": [{\"type\": \"TEAM\", \"id\": \"x\"}]}"),
        400,
        "$.members[0].type");
    // Users: unknown manager and role, missing name, the path's id wins.
    JsonNode user =
        assertProblemPath(
            client.put(
                "/api/v1/users/bad",
                "{\"username\": \"bad\", \"displayName\": \"Bad\", \"managerId\": \"ghost\","
                    + " \"roleId\": \"no-role\"}"),
            400,
            "$.managerId");
    assertThat(user.path("problems").get(1).path("path").asText()).isEqualTo("$.roleId");
    JsonNode missing =
        assertProblemPath(client.put("/api/v1/users/bad", "{\"username\": \"bad\"}"), 400, "$");
    assertThat(missing.path("problems").get(0).path("message").asText())
        .isEqualTo("missing required property 'displayName'");
    assertProblemPath(
        client.put(
            "/api/v1/users/bad",
            "{\"id\": \"other\", \"username\": \"bad\", \"displayName\": \"Bad\"}"),
        400,
        "$.id");
    assertProblemPath(
        client.put("/api/v1/users/bad", "{\"username\": \" \", \"displayName\": \"Bad\"}"),
        400,
        "$.username");
    assertProblemPath(
        client.put(
            "/api/v1/users/" + "x".repeat(65), "{\"username\": \"x\", \"displayName\": \"X\"}"),
        400,
        "path.id");
    // Malformed JSON: the path is where the parser stopped.
    assertProblemPath(client.put("/api/v1/users/bad", "{\"username\": "), 400, "$.username");
    // The automated process user is built in.
    expectProblem(
        client.put(
            "/api/v1/users/automated-process",
            "{\"username\": \"automated-process\", \"displayName\": \"Robot\"}"),
        400,
        "INVALID_REQUEST");
    // Conflicts: a taken username, and a group id taken by a queue.
    expect(
        client.put("/api/v1/users/first", "{\"username\": \"shared\", \"displayName\": \"First\"}"),
        201);
    JsonNode taken =
        expectProblem(
            client.put(
                "/api/v1/users/second", "{\"username\": \"shared\", \"displayName\": \"Second\"}"),
            409,
            "CONFLICT");
    assertThat(taken.path("detail").asText()).contains("'shared'").contains("'first'");
    expect(client.put("/api/v1/queues/desk", "{\"name\": \"Desk\"}"), 201);
    expectProblem(client.put("/api/v1/groups/desk", "{\"name\": \"Desk\"}"), 409, "CONFLICT");
    // Unknown ids.
    expectProblem(
        send("PUT", "/api/v1/users/ghost/permission-sets/system-administrator"), 404, "NOT_FOUND");
    expectProblem(send("PUT", "/api/v1/users/first/permission-sets/no-set"), 404, "NOT_FOUND");
    expectProblem(send("DELETE", "/api/v1/groups/no-group"), 404, "NOT_FOUND");
    // Permission sets: an unknown permission, a null in a list.
    assertProblemPath(
        client.put(
            "/api/v1/permission-sets/bad",
            "{\"name\": \"Bad\", \"objectPermissions\": {\"Expense\": [\"READ\", \"OWN\"]}}"),
        400,
        "$.objectPermissions.Expense[1]");
    expectProblem(
        client.put(
            "/api/v1/permission-sets/bad",
            "{\"name\": \"Bad\", \"fieldPermissions\": {\"Expense\": {\"Amount\": null}}}"),
        400,
        "INVALID_REQUEST");
    expectProblem(
        client.put(
            "/api/v1/permission-sets/bad", "{\"name\": \"Bad\", \"systemPermissions\": [null]}"),
        400,
        "INVALID_REQUEST");
    expectProblem(
        client.put("/api/v1/groups/bad", "{\"name\": \"Bad\", \"members\": [null]}"),
        400,
        "INVALID_REQUEST");
    // Nothing invalid was stored.
    assertThat(ids(expect(client.get("/api/v1/groups"), 200).path("items"))).doesNotContain("bad");
    assertThat(ids(expect(client.get("/api/v1/permission-sets"), 200).path("items")))
        .doesNotContain("bad");
  }

  @Test
  void withoutManageUsersTheDirectoryIsForbiddenButOwnRecordsSharesAreNot() {
    try (TestServer own = TestServer.start(TestDatabaseKind.H2)) {
      ApiClient api = own.client();
      expect(api.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
      expect(
          api.put("/api/v1/users/bob", "{\"username\": \"bob\", \"displayName\": \"Bob\"}"), 201);
      String ownRecord =
          expect(api.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201)
              .path("id")
              .asText();
      String bobsRecord =
          expect(
                  api.post(
                      "/api/v1/records/Expense",
                      "{\"Title\": \"Taxi\", \"Amount\": 30, \"OwnerId\": \"bob\"}"),
                  201)
              .path("id")
              .asText();
      // "admin" gives up the permission set that holds MANAGE_USERS (and MODIFY_ALL_DATA).
      assertThat(
              send(api, "DELETE", "/api/v1/users/admin/permission-sets/system-administrator")
                  .status())
          .isEqualTo(204);

      for (ApiResponse response :
          List.of(
              api.get("/api/v1/users"),
              api.get("/api/v1/users/bob"),
              api.put("/api/v1/users/bob", "{\"username\": \"bob\", \"displayName\": \"B\"}"),
              api.get("/api/v1/roles"),
              api.put("/api/v1/roles/r", "{\"name\": \"R\"}"),
              api.get("/api/v1/groups"),
              api.put("/api/v1/groups/g", "{\"name\": \"G\"}"),
              send(api, "DELETE", "/api/v1/groups/g"),
              api.get("/api/v1/queues"),
              api.put("/api/v1/queues/q", "{\"name\": \"Q\"}"),
              send(api, "DELETE", "/api/v1/queues/q"),
              api.get("/api/v1/permission-sets"),
              api.put("/api/v1/permission-sets/p", "{\"name\": \"P\"}"),
              send(api, "PUT", "/api/v1/users/admin/permission-sets/system-administrator"),
              send(api, "DELETE", "/api/v1/users/bob/permission-sets/system-administrator"),
              api.get("/api/v1/records/Expense/" + bobsRecord + "/shares"),
              api.post(
                  "/api/v1/records/Expense/" + bobsRecord + "/shares",
                  "{\"granteeType\": \"USER\", \"granteeId\": \"admin\", \"access\": \"EDIT\"}"),
              send(api, "DELETE", "/api/v1/records/Expense/" + bobsRecord + "/shares/USER/bob"))) {
        JsonNode problem = expectProblem(response, 403, "PERMISSION_DENIED");
        assertThat(problem.path("detail").asText()).contains("user 'admin' needs MANAGE_USERS");
      }
      assertThat(
              expectProblem(
                      api.get("/api/v1/records/Expense/" + bobsRecord + "/shares"),
                      403,
                      "PERMISSION_DENIED")
                  .path("detail")
                  .asText())
          .contains("ownership of record '" + bobsRecord + "'")
          .contains("MODIFY_ALL on 'Expense'");
      // Nothing was changed by the refused requests.
      assertThat(own.server().engine().directory().directory().roles()).isEmpty();
      assertThat(own.server().engine().directory().permissionSetIdsOf("admin")).isEmpty();

      // The owner of a record manages its shares without MANAGE_USERS.
      String shares = "/api/v1/records/Expense/" + ownRecord + "/shares";
      expect(
          api.post(
              shares, "{\"granteeType\": \"USER\", \"granteeId\": \"bob\", \"access\": \"READ\"}"),
          201);
      assertThat(expect(api.get(shares), 200).path("items")).hasSize(1);
      assertThat(send(api, "DELETE", shares + "/USER/bob").status()).isEqualTo(204);
    }
  }

  private static ApiResponse send(String method, String path) {
    return send(client, method, path);
  }

  private static ApiResponse send(ApiClient api, String method, String path) {
    return api.send(method, path, Optional.empty(), Map.of());
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  private static JsonNode expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response.json();
  }

  private static JsonNode expectProblem(ApiResponse response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("code").asText()).as(response.toString()).isEqualTo(code);
    return problem;
  }

  private static JsonNode assertProblemPath(ApiResponse response, int status, String path) {
    JsonNode problem = expectProblem(response, status, "INVALID_REQUEST");
    assertThat(problem.path("problems").get(0).path("path").asText())
        .as(response.toString())
        .isEqualTo(path);
    return problem;
  }
}
