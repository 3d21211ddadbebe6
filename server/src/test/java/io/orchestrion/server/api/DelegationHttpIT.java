package io.orchestrion.server.api;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delegation over a real socket (H2, issue #15): {@code /users/{id}/delegation} for the user
 * themself, a user manager (uma) and someone else (carol: 403), bad input (400 naming the field),
 * and a decision taken by a delegate (dave, for bob) that their inbox offers "on behalf of" bob.
 */
class DelegationHttpIT {
  private static TestServer server;
  private static ApiClient admin;
  private static ApiClient bob;
  private static ApiClient dave;
  private static ApiClient carol;
  private static ApiClient uma;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    server
        .directory()
        .savePermissionSet(
            new PermissionSet(
                "user-managers",
                "User managers",
                Map.of(),
                Map.of(),
                Set.of(SystemPermission.MANAGE_USERS)));
    for (String id : new String[] {"bob", "dave", "carol", "erin"}) {
      server.createUser(User.of(id, id));
    }
    server.createUser(User.of("uma", "Uma"), "user-managers");
    admin = server.client();
    bob = server.clientAs("bob");
    dave = server.clientAs("dave");
    carol = server.clientAs("carol");
    uma = server.clientAs("uma");
    // The title is approver-visible: the delegate reads it while they may decide.
    expect(
        admin.put(
            "/api/v1/object-types/Expense",
            Fixtures.demo(Fixtures.EXPENSE_TYPE)
                .replace("\"type\": \"TEXT\",", "\"type\": \"TEXT\", \"approverVisible\": true,")),
        201);
    expect(
        admin.post(
            "/api/v1/orchestrations?activate=true",
            """
            {"apiName": "Bob_Review", "objectType": "Expense", "stages": [{"name": "Review",
              "steps": [{"name": "Approve", "kind": "APPROVAL",
                         "assignee": {"type": "USER", "userId": "bob"}}]}]}
            """),
        201);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theUserOrAUserManagerManagesADelegationAndNobodyElse() {
    String path = "/api/v1/users/erin/delegation";
    ApiClient erin = server.clientAs("erin");
    expectProblem(erin.get(path), 404, "NOT_FOUND");

    JsonNode set =
        expect(
                erin.put(path, "{\"delegateId\": \"dave\", \"until\": \"2999-01-01T00:00:00Z\"}"),
                201)
            .json();
    assertThat(set.path("userId").asText()).isEqualTo("erin");
    assertThat(set.path("delegateId").asText()).isEqualTo("dave");
    assertThat(set.path("until").asText()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(set.path("setBy").asText()).isEqualTo("erin");
    assertThat(set.path("active").asBoolean()).isTrue();
    assertThat(expect(erin.get(path), 200).json().path("delegateId").asText()).isEqualTo("dave");

    assertThat(expectProblem(carol.get(path), 403, "PERMISSION_DENIED").path("detail").asText())
        .contains("user 'carol' may not read the delegation of user 'erin'");
    expectProblem(carol.put(path, "{\"delegateId\": \"carol\"}"), 403, "PERMISSION_DENIED");
    expectProblem(
        carol.send("DELETE", path, java.util.Optional.empty(), Map.of()), 403, "PERMISSION_DENIED");
    // A caller without the right learns nothing from validation: 403 before the body is read.
    expectProblem(carol.put(path, "{\"nonsense\": true}"), 403, "PERMISSION_DENIED");

    JsonNode replaced =
        expect(
                uma.put(
                    path, "{\"delegateId\": \"carol\", \"from\": \"2998-01-01T00:00:00+02:00\"}"),
                200)
            .json();
    assertThat(replaced.path("setBy").asText()).isEqualTo("uma");
    assertThat(replaced.path("from").asText()).isEqualTo("2997-12-31T22:00:00Z");
    assertThat(replaced.path("active").asBoolean()).isFalse();
    assertThat(replaced.has("until")).isFalse();

    expect(uma.send("DELETE", path, java.util.Optional.empty(), Map.of()), 204);
    expectProblem(
        erin.send("DELETE", path, java.util.Optional.empty(), Map.of()), 404, "NOT_FOUND");
    expectProblem(uma.get("/api/v1/users/nobody/delegation"), 404, "NOT_FOUND");
  }

  @Test
  void badDelegationsAre400NamingTheField() {
    String path = "/api/v1/users/carol/delegation";
    assertProblemPath(
        carol.put(path, "{\"delegateId\": \"carol\"}"), "$.delegateId", "own delegate");
    assertProblemPath(
        carol.put(path, "{\"delegateId\": \"nobody\"}"), "$.delegateId", "does not exist");
    assertProblemPath(carol.put(path, "{}"), "$", "missing required property 'delegateId'");
    assertProblemPath(
        carol.put(path, "{\"delegateId\": \"dave\", \"until\": \"next week\"}"), "$.until", "");
    assertProblemPath(
        carol.put(
            path,
            "{\"delegateId\": \"dave\", \"from\": \"2999-01-02T00:00:00Z\","
                + " \"until\": \"2999-01-01T00:00:00Z\"}"),
        "$.until",
        "must be after from");
    assertProblemPath(
        carol.put(path, "{\"delegateId\": \"dave\", \"until\": \"2000-01-01T00:00:00Z\"}"),
        "$.until",
        "not in the future");
    assertProblemPath(
        carol.put(path, "{\"delegateId\": \"dave\", \"why\": \"holiday\"}"), "$.why", "");
    expectProblem(carol.get(path), 404, "NOT_FOUND");
  }

  @Test
  void aDelegateSeesAndDecidesTheItemOnBehalfOfTheUser() {
    expect(bob.put("/api/v1/users/bob/delegation", "{\"delegateId\": \"dave\"}"), 201);
    String recordId =
        expect(admin.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201)
            .json()
            .path("id")
            .asText();
    String runId =
        expect(
                admin.post(
                    "/api/v1/submissions",
                    "{\"objectType\": \"Expense\", \"recordId\": \""
                        + recordId
                        + "\", \"orchestration\": \"Bob_Review\"}"),
                201)
            .json()
            .path("runId")
            .asText();

    JsonNode item = itemOf(expect(dave.get("/api/v1/work-items"), 200).json(), runId);
    assertThat(item.path("assigneeId").asText()).isEqualTo("bob");
    assertThat(item.path("onBehalfOf").asText()).isEqualTo("bob");
    assertThat(item.path("allowedActions").toString()).isEqualTo("[\"DECIDE\"]");
    JsonNode own = itemOf(expect(bob.get("/api/v1/work-items"), 200).json(), runId);
    assertThat(own.has("onBehalfOf")).isFalse();
    String itemId = item.path("id").asText();
    assertThat(
            expect(dave.get("/api/v1/work-items/" + itemId), 200)
                .json()
                .path("onBehalfOf")
                .asText())
        .isEqualTo("bob");

    assertThat(item.path("recordSummary").has("Title")).as(item.toString()).isTrue();
    String recordPath = "/api/v1/records/Expense/" + recordId;
    expect(dave.get("/api/v1/runs/" + runId), 200);
    expectProblem(carol.get("/api/v1/runs/" + runId), 403, "PERMISSION_DENIED");
    assertThat(expect(dave.get(recordPath), 200).json().path("fields").has("Title")).isTrue();
    expectProblem(carol.get(recordPath), 403, "INSUFFICIENT_ACCESS");

    JsonNode decided =
        expect(
                dave.post(
                    "/api/v1/work-items/" + itemId + "/decision",
                    "{\"decision\": \"APPROVE\", \"comments\": \"for bob\"}"),
                200)
            .json();
    assertThat(decided.path("status").asText()).isEqualTo("APPROVED");
    assertThat(decided.path("decidedBy").asText()).isEqualTo("dave");
    assertThat(decided.path("decidedOnBehalfOf").asText()).isEqualTo("bob");
    JsonNode history = expect(admin.get("/api/v1/runs/" + runId), 200).json(); // the run is done
    assertThat(history.path("status").asText()).isEqualTo("COMPLETED");

    // The item is decided: the approver's access ends with it.
    expectProblem(dave.get(recordPath), 403, "INSUFFICIENT_ACCESS");
    // Ended: dave no longer sees bob's items (none open now) and cannot read his delegation.
    expect(
        bob.send("DELETE", "/api/v1/users/bob/delegation", java.util.Optional.empty(), Map.of()),
        204);
    expectProblem(dave.get("/api/v1/users/bob/delegation"), 403, "PERMISSION_DENIED");
  }

  private static JsonNode itemOf(JsonNode page, String runId) {
    for (JsonNode item : page.path("items")) {
      if (item.path("runId").asText().equals(runId)) {
        return item;
      }
    }
    throw new AssertionError("no item of run " + runId + " in " + page);
  }

  private static JsonNode expectProblem(ApiResponse response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("code").asText()).as(response.toString()).isEqualTo(code);
    return problem;
  }

  private static void assertProblemPath(ApiResponse response, String path, String message) {
    JsonNode problem = expectProblem(response, 400, "INVALID_REQUEST");
    assertThat(problem.path("problems").get(0).path("path").asText())
        .as(response.toString())
        .isEqualTo(path);
    assertThat(problem.path("problems").get(0).path("message").asText())
        .as(response.toString())
        .contains(message);
  }
}
