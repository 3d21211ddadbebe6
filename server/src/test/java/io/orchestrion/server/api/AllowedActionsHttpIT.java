package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.server.demo.DemoRunner;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.TestServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /me} and {@code allowedActions} over a real socket on the demo's data (alice's second
 * expense waits for bob and the Finance queue): for each demo user, every action listed on a view
 * succeeds and the actions not listed are refused (403, or 409 for the state), because both come
 * from the rules the engine enforces.
 */
class AllowedActionsHttpIT {
  private static TestServer server;
  private static String submissionId;
  private static String runId;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    new DemoRunner(
            server.server().engine(),
            OrchestrionJson.newObjectMapper(),
            new PrintStream(OutputStream.nullOutputStream()),
            Optional.empty())
        .run(Duration.ofSeconds(30));
    JsonNode waiting =
        expect(client("alice").get("/api/v1/submissions?status=IN_PROGRESS"), 200).path("items");
    assertThat(waiting).hasSize(1);
    submissionId = waiting.get(0).path("id").asText();
    runId = waiting.get(0).path("runId").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void meNamesTheUserAndTheirPermissions() {
    JsonNode alice = expect(client("alice").get("/api/v1/me"), 200);
    assertThat(alice.path("id").asText()).isEqualTo("alice");
    assertThat(alice.path("displayName").asText()).isEqualTo("Alice Submitter");
    assertThat(alice.path("managerId").asText()).isEqualTo("bob");
    assertThat(alice.path("permissions")).isEmpty();
    JsonNode ada = expect(client("ada").get("/api/v1/me"), 200);
    assertThat(texts(ada.path("permissions"))).contains("APPROVAL_ADMIN", "MANAGE_RUNS");
    JsonNode fiona = expect(client("fiona").get("/api/v1/me"), 200);
    assertThat(texts(fiona.path("groups"))).contains("Finance");
    assertThat(server.anonymousClient().get("/api/v1/me").status()).isEqualTo(401);
  }

  @Test
  void eachUserSeesTheActionsTheEngineAllows() {
    // alice: recall her own submission, nothing on the run, nothing on the items (she submitted).
    assertThat(submissionActions("alice")).containsExactly("RECALL");
    assertThat(runActions("alice")).isEmpty();
    for (JsonNode item : runItems("alice")) {
      assertThat(texts(item.path("allowedActions"))).isEmpty();
      assertThat(decide("alice", item.path("id").asText()).status()).isEqualTo(403);
    }
    // bob: decide and reassign his item, not fiona's queue item; no submission or run action.
    assertThat(submissionActions("bob")).isEmpty();
    assertThat(runActions("bob")).isEmpty();
    assertThat(client("bob").post("/api/v1/submissions/" + submissionId + "/recall", "").status())
        .isEqualTo(403);
    assertThat(client("bob").post("/api/v1/runs/" + runId + "/suspend", "").status())
        .isEqualTo(403);
    JsonNode bobsInbox = expect(client("bob").get("/api/v1/work-items"), 200).path("items");
    assertThat(bobsInbox).hasSize(1);
    assertThat(texts(bobsInbox.get(0).path("allowedActions")))
        .containsExactly("DECIDE", "REASSIGN");
    String bobsItemId = bobsInbox.get(0).path("id").asText();
    assertThat(
            texts(
                expect(client("bob").get("/api/v1/work-items/" + bobsItemId), 200)
                    .path("allowedActions")))
        .containsExactly("DECIDE", "REASSIGN");
    JsonNode financeItem = itemOf("bob", "Finance_Approval");
    assertThat(texts(financeItem.path("allowedActions"))).isEmpty();
    assertThat(decide("bob", financeItem.path("id").asText()).status()).isEqualTo(403);
    // carol: sees none of it.
    assertThat(client("carol").get("/api/v1/submissions/" + submissionId).status()).isEqualTo(403);
    assertThat(expect(client("carol").get("/api/v1/work-items"), 200).path("items")).isEmpty();
    assertThat(expect(client("carol").get("/api/v1/submissions"), 200).path("items")).isEmpty();
    // ada (approval admin, run manager): recall, cancel, suspend; after suspending, resume only.
    assertThat(submissionActions("ada")).containsExactly("RECALL", "CANCEL");
    assertThat(runActions("ada")).containsExactly("SUSPEND");
    assertThat(texts(itemOf("ada", "Manager_Approval").path("allowedActions")))
        .containsExactly("DECIDE", "REASSIGN");
    assertThat(client("ada").post("/api/v1/runs/" + runId + "/resume", "").status()).isEqualTo(409);
    expect(client("ada").post("/api/v1/runs/" + runId + "/suspend", ""), 200);
    assertThat(runActions("ada")).containsExactly("RESUME");
    assertThat(client("ada").post("/api/v1/runs/" + runId + "/suspend", "").status())
        .isEqualTo(409);
    assertThat(client("ada").post("/api/v1/runs/" + runId + "/retry", "").status()).isEqualTo(409);
    expect(client("ada").post("/api/v1/runs/" + runId + "/resume", ""), 200);
    assertThat(runActions("ada")).containsExactly("SUSPEND");

    // The listed decisions succeed; afterwards nothing is listed on the items and deciding again
    // is refused.
    String bobsItem = bobsInbox.get(0).path("id").asText();
    expect(decide("bob", bobsItem), 200);
    assertThat(texts(itemOf("bob", "Manager_Approval").path("allowedActions"))).isEmpty();
    assertThat(decide("bob", bobsItem).status()).isEqualTo(409);
    JsonNode fionasItem = expect(client("fiona").get("/api/v1/work-items"), 200).path("items");
    assertThat(texts(fionasItem.get(0).path("allowedActions")))
        .containsExactly("DECIDE", "REASSIGN");
    expect(decide("fiona", fionasItem.get(0).path("id").asText()), 200);
    // APPROVED: nothing is left to do for anyone, and recalling is refused.
    JsonNode done = expect(client("alice").get("/api/v1/submissions/" + submissionId), 200);
    assertThat(done.path("status").asText()).isEqualTo("APPROVED");
    assertThat(texts(done.path("allowedActions"))).isEmpty();
    assertThat(submissionActions("ada")).isEmpty();
    assertThat(runActions("ada")).isEmpty();
    assertThat(client("alice").post("/api/v1/submissions/" + submissionId + "/recall", "").status())
        .isEqualTo(409);
    JsonNode listed = expect(client("alice").get("/api/v1/submissions?submitterId=alice"), 200);
    // The demo's three: approved, approved by the board's quorum, and the one left waiting.
    assertThat(listed.path("items")).hasSize(3);
    listed.path("items").forEach(item -> assertThat(item.has("allowedActions")).isTrue());
    assertThat(
            expect(client("ada").get("/api/v1/submissions?submitterId=carol"), 200).path("items"))
        .isEmpty();
  }

  private static List<String> submissionActions(String user) {
    return texts(
        expect(client(user).get("/api/v1/submissions/" + submissionId), 200)
            .path("allowedActions"));
  }

  private static List<String> runActions(String user) {
    return texts(expect(client(user).get("/api/v1/runs/" + runId), 200).path("allowedActions"));
  }

  private static JsonNode runItems(String user) {
    return expect(client(user).get("/api/v1/runs/" + runId + "/work-items"), 200).path("items");
  }

  private static JsonNode itemOf(String user, String step) {
    for (JsonNode item : runItems(user)) {
      if (item.path("stepName").asText().equals(step)) {
        return item;
      }
    }
    throw new AssertionError("no work item of step " + step);
  }

  private static ApiResponse decide(String user, String itemId) {
    return client(user)
        .post("/api/v1/work-items/" + itemId + "/decision", "{\"decision\": \"APPROVE\"}");
  }

  private static ApiClient client(String user) {
    return server.clientAs(user);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static JsonNode expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response.json();
  }
}
