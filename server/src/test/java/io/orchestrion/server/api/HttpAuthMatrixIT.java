package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP auth matrix (issue #4): every endpoint × {no token, bad token, expired token, inactive
 * user, user without permission, permitted user}, with the expected status of each cell written in
 * the table. The caller "without permission" ({@code nora}) is an active user with no permission
 * set; the "permitted" one ({@code pat}) holds MANAGE_DEFINITIONS, MANAGE_RUNS, APPROVAL_ADMIN and
 * MANAGE_USERS and may create, read and edit expenses, and owns and submits the records used.
 * Columns run left to right, so only the permitted call of each row changes anything.
 */
class HttpAuthMatrixIT {
  private static final String PERMITTED = "pat";
  private static final String UNPERMITTED = "nora";
  private static final String INACTIVE = "ina";

  private static TestServer server;
  private static ApiClient admin;
  private static Fixture fixture;

  /** The ids the rows use, made by the permitted user before the matrix runs. */
  private record Fixture(
      String record,
      String freshRecord,
      Submitted decided,
      Submitted reassigned,
      Submitted recalled,
      Submitted canceled,
      Submitted operated) {}

  private record Submitted(String submissionId, String runId, String workItemId) {}

  private enum Caller {
    NO_TOKEN,
    BAD_TOKEN,
    EXPIRED,
    INACTIVE_USER,
    NO_PERMISSION,
    PERMITTED
  }

  private record Row(
      String method, Supplier<String> path, Optional<String> body, List<Integer> expected) {
    String describe() {
      return method + " " + path.get();
    }
  }

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    admin = server.client();
    expect(admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expect(admin.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)), 201);
    expect(admin.post("/api/v1/orchestrations?activate=true", ORCHESTRATION), 201);
    server
        .directory()
        .savePermissionSet(
            new PermissionSet(
                "matrix-permitted",
                "Everything the matrix needs",
                Map.of(
                    "Expense",
                    Set.of(ObjectPermission.CREATE, ObjectPermission.READ, ObjectPermission.EDIT)),
                Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
                Set.of(
                    SystemPermission.MANAGE_DEFINITIONS,
                    SystemPermission.MANAGE_RUNS,
                    SystemPermission.APPROVAL_ADMIN,
                    SystemPermission.MANAGE_USERS)));
    server.createUser(User.of(PERMITTED, "Pat Permitted"), "matrix-permitted");
    server.createUser(User.of(UNPERMITTED, "Nora Nothing"));
    server.createUser(User.of(INACTIVE, "Ina Inactive").withActive(false), "matrix-permitted");
    server.createUser(User.of("carl", "Carl Approver"));

    ApiClient pat = server.clientAs(PERMITTED);
    fixture =
        new Fixture(
            createRecord(pat),
            createRecord(pat),
            submit(pat),
            submit(pat),
            submit(pat),
            submit(pat),
            submit(pat));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final String ORCHESTRATION =
      """
      {"apiName": "Matrix_Review", "objectType": "Expense", "allowSubmitterApproval": true,
       "stages": [{"name": "Review", "steps": [
         {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "carl"}}]}]}
      """;

  private static List<Row> rows() {
    Fixture f = fixture;
    List<Row> rows = new ArrayList<>();
    // Columns: no token, bad token, expired, inactive user, without permission, permitted.
    rows.add(get("/api/v1/object-types", 401, 401, 401, 401, 200, 200));
    rows.add(
        send(
            "PUT",
            "/api/v1/object-types/Expense",
            Fixtures.demo(Fixtures.EXPENSE_TYPE),
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(get("/api/v1/object-types/Expense", 401, 401, 401, 401, 200, 200));
    rows.add(
        send(
            "POST",
            "/api/v1/records/Expense",
            "{\"Title\": \"Cab\", \"Amount\": 12}",
            401,
            401,
            401,
            401,
            403,
            201));
    rows.add(get("/api/v1/records/Expense/" + f.record(), 401, 401, 401, 401, 403, 200));
    rows.add(
        send(
            "PATCH",
            "/api/v1/records/Expense/" + f.record(),
            "{\"Title\": \"Cab home\"}",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/flows",
            Fixtures.demo(Fixtures.MARK_IN_REVIEW),
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(get("/api/v1/flows/Mark_In_Review/versions", 401, 401, 401, 401, 200, 200));
    rows.add(get("/api/v1/flows/Mark_In_Review/versions/1", 401, 401, 401, 401, 200, 200));
    rows.add(
        send(
            "POST",
            "/api/v1/flows/Mark_In_Review/versions/1/activate",
            "",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(send("POST", "/api/v1/orchestrations", ORCHESTRATION, 401, 401, 401, 401, 403, 200));
    rows.add(get("/api/v1/orchestrations/Matrix_Review/versions", 401, 401, 401, 401, 200, 200));
    rows.add(get("/api/v1/orchestrations/Matrix_Review/versions/1", 401, 401, 401, 401, 200, 200));
    rows.add(
        send(
            "POST",
            "/api/v1/orchestrations/Matrix_Review/versions/1/activate",
            "",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/submissions",
            submission(f.freshRecord()),
            401,
            401,
            401,
            401,
            403,
            201));
    rows.add(get("/api/v1/submissions", 401, 401, 401, 401, 200, 200));
    rows.add(
        get("/api/v1/submissions/" + f.decided().submissionId(), 401, 401, 401, 401, 403, 200));
    rows.add(get("/api/v1/runs/" + f.decided().runId(), 401, 401, 401, 401, 403, 200));
    rows.add(
        get("/api/v1/runs/" + f.reassigned().runId() + "/explain", 401, 401, 401, 401, 403, 200));
    rows.add(
        get("/api/v1/runs/" + f.decided().runId() + "/work-items", 401, 401, 401, 401, 403, 200));
    rows.add(
        send(
            "POST",
            "/api/v1/runs/" + f.reassigned().runId() + "/events",
            "{\"payload\": {\"reason\": \"matrix\"}}",
            401,
            401,
            401,
            401,
            403,
            202));
    rows.add(get("/api/v1/events", 401, 401, 401, 401, 200, 200));
    rows.add(
        send(
            "POST",
            "/api/v1/flow-events",
            "{\"name\": \"Matrix\", \"correlationKey\": \"k\"}",
            401,
            401,
            401,
            401,
            403,
            202));
    rows.add(get("/api/v1/work-items", 401, 401, 401, 401, 200, 200));
    rows.add(get("/api/v1/work-items/" + f.decided().workItemId(), 401, 401, 401, 401, 403, 200));
    rows.add(
        send(
            "POST",
            "/api/v1/work-items/" + f.decided().workItemId() + "/decision",
            "{\"decision\": \"APPROVE\"}",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/work-items/" + f.reassigned().workItemId() + "/reassign",
            "{\"assigneeType\": \"USER\", \"assigneeId\": \"admin\"}",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/submissions/" + f.recalled().submissionId() + "/recall",
            "{}",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/submissions/" + f.canceled().submissionId() + "/cancel",
            "{}",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/runs/" + f.operated().runId() + "/suspend",
            "",
            401,
            401,
            401,
            401,
            403,
            200));
    rows.add(
        send(
            "POST",
            "/api/v1/runs/" + f.operated().runId() + "/resume",
            "",
            401,
            401,
            401,
            401,
            403,
            200));
    // Permitted, but the run is not in ERROR: authorization passed, the state refuses.
    rows.add(
        send(
            "POST",
            "/api/v1/runs/" + f.operated().runId() + "/retry",
            "",
            401,
            401,
            401,
            401,
            403,
            409));
    // The directory needs MANAGE_USERS; a record's shares, MANAGE_USERS or full access to it.
    rows.add(get("/api/v1/users", 401, 401, 401, 401, 403, 200));
    rows.add(get("/api/v1/users/carl", 401, 401, 401, 401, 403, 200));
    rows.add(
        send(
            "PUT",
            "/api/v1/users/newbie",
            "{\"username\": \"newbie\", \"displayName\": \"New Bie\"}",
            401,
            401,
            401,
            401,
            403,
            201));
    rows.add(get("/api/v1/roles", 401, 401, 401, 401, 403, 200));
    rows.add(get("/api/v1/groups", 401, 401, 401, 401, 403, 200));
    rows.add(get("/api/v1/queues", 401, 401, 401, 401, 403, 200));
    rows.add(get("/api/v1/permission-sets", 401, 401, 401, 401, 403, 200));
    rows.add(
        get("/api/v1/records/Expense/" + f.record() + "/shares", 401, 401, 401, 401, 403, 200));
    // Business calendars: reading is open, changing needs MANAGE_DEFINITIONS.
    rows.add(
        send(
            "PUT",
            "/api/v1/calendars/Matrix",
            "{\"name\": \"Matrix\", \"timeZone\": \"UTC\", \"workStart\": \"09:00\","
                + " \"workEnd\": \"17:00\"}",
            401,
            401,
            401,
            401,
            403,
            201));
    rows.add(get("/api/v1/calendars", 401, 401, 401, 401, 200, 200));
    rows.add(get("/api/v1/calendars/Matrix", 401, 401, 401, 401, 200, 200));
    rows.add(send("DELETE", "/api/v1/calendars/Matrix", "", 401, 401, 401, 401, 403, 204));
    return rows;
  }

  @Test
  void everyEndpointAnswersEveryCallerAsTheTableSays() {
    Map<Caller, ApiClient> clients = clients();
    List<String> mismatches = new ArrayList<>();
    int cells = 0;
    for (Row row : rows()) {
      for (Caller caller : Caller.values()) {
        int expected = row.expected().get(caller.ordinal());
        ApiResponse response =
            clients.get(caller).send(row.method(), row.path().get(), row.body(), Map.of());
        cells++;
        if (response.status() != expected) {
          mismatches.add(
              row.describe()
                  + " as "
                  + caller
                  + ": expected "
                  + expected
                  + ", got "
                  + response.status()
                  + " "
                  + response.body());
        } else if (expected == 401 || expected == 403) {
          assertThat(response.contentType()).isEqualTo("application/problem+json");
        }
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(cells).isEqualTo(rows().size() * Caller.values().length);
  }

  @Test
  void deniedMessagesNameTheMissingPermissionOrRule() {
    ApiClient nora = server.clientAs(UNPERMITTED);
    assertThat(
            nora.post("/api/v1/flows", Fixtures.demo(Fixtures.MARK_IN_REVIEW))
                .json()
                .path("detail")
                .asText())
        .isEqualTo(
            "user 'nora' may not deploy or activate definitions: that needs the system"
                + " permission MANAGE_DEFINITIONS");
    assertThat(nora.get("/api/v1/runs/" + fixture.decided().runId()).json().path("detail").asText())
        .contains("user 'nora' may not see run")
        .contains("run managers (MANAGE_RUNS)");
    assertThat(nora.get("/api/v1/runs/no-such-run").status()).isEqualTo(404);
    assertThat(
            nora.get("/api/v1/records/Expense/" + fixture.record()).json().path("detail").asText())
        .contains("'nora'")
        .contains("READ permission on object type 'Expense'");
  }

  @Test
  void listsShowOnlyWhatTheCallerMaySee() {
    Submitted mine = submit(server.clientAs(PERMITTED));
    expect(
        admin.post("/api/v1/runs/" + mine.runId() + "/events", "{\"payload\": {\"n\": 1}}"), 202);
    // Pat submitted it, carl is its approval's assignee, admin manages runs; nora is none of these.
    for (String userId : List.of(PERMITTED, "carl", "admin")) {
      assertThat(submissionIds(userId)).as(userId).contains(mine.submissionId());
      assertThat(eventRunIds(userId)).as(userId).contains(mine.runId());
    }
    assertThat(submissionIds(UNPERMITTED)).isEmpty();
    assertThat(eventRunIds(UNPERMITTED)).isEmpty();
    assertThat(expect(server.clientAs(UNPERMITTED).get("/api/v1/work-items"), 200).path("items"))
        .isEmpty();
  }

  private static List<String> submissionIds(String userId) {
    List<String> ids = new ArrayList<>();
    expect(server.clientAs(userId).get("/api/v1/submissions?limit=500"), 200)
        .path("items")
        .forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  private static List<String> eventRunIds(String userId) {
    List<String> ids = new ArrayList<>();
    expect(server.clientAs(userId).get("/api/v1/events?limit=1000"), 200)
        .path("items")
        .forEach(item -> ids.add(item.path("runId").asText()));
    return ids;
  }

  private static Map<Caller, ApiClient> clients() {
    Map<Caller, ApiClient> clients = new LinkedHashMap<>();
    ApiClient anonymous = server.anonymousClient();
    clients.put(Caller.NO_TOKEN, anonymous);
    Vertx vertx = Vertx.vertx();
    try {
      String foreign =
          new JwtTokens(vertx, JwtKeys.hs256("another-secret-of-at-least-32-chars!"))
              .mint(PERMITTED, Instant.now(), Duration.ofMinutes(10));
      clients.put(Caller.BAD_TOKEN, anonymous.withToken(Optional.of(foreign)));
    } finally {
      vertx.close();
    }
    String expired =
        server
            .server()
            .tokens()
            .mint(PERMITTED, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    clients.put(Caller.EXPIRED, anonymous.withToken(Optional.of(expired)));
    clients.put(Caller.INACTIVE_USER, server.clientAs(INACTIVE));
    clients.put(Caller.NO_PERMISSION, server.clientAs(UNPERMITTED));
    clients.put(Caller.PERMITTED, server.clientAs(PERMITTED));
    return clients;
  }

  private static Row get(String path, int... expected) {
    return new Row("GET", () -> path, Optional.empty(), statuses(expected));
  }

  private static Row send(String method, String path, String body, int... expected) {
    return new Row(
        method,
        () -> path,
        body.isEmpty() ? Optional.empty() : Optional.of(body),
        statuses(expected));
  }

  private static List<Integer> statuses(int... expected) {
    assertThat(expected).hasSize(Caller.values().length);
    return java.util.Arrays.stream(expected).boxed().toList();
  }

  private static String createRecord(ApiClient client) {
    return expect(
            client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201)
        .path("id")
        .asText();
  }

  private static String submission(String recordId) {
    return "{\"objectType\": \"Expense\", \"recordId\": \""
        + recordId
        + "\", \"orchestration\": \"Matrix_Review\"}";
  }

  private static Submitted submit(ApiClient client) {
    JsonNode submission =
        expect(client.post("/api/v1/submissions", submission(createRecord(client))), 201);
    String runId = submission.path("runId").asText();
    JsonNode items = expect(client.get("/api/v1/runs/" + runId + "/work-items"), 200);
    assertThat(items.path("items")).hasSize(1);
    return new Submitted(
        submission.path("id").asText(), runId, items.path("items").get(0).path("id").asText());
  }

  private static JsonNode expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    return response.json();
  }
}
