package io.orchestrion.server.api;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An escalation ladder through the server (H2), with its own workers on the real clock: a rung one
 * second after the item's creation reassigns it, and a later one decides it as the engine — seen in
 * the work item, the submission's history and the event feed. (The rules themselves are tested on a
 * virtual clock in engine-core's EscalationContract.)
 */
class EscalationHttpIT {
  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    admin = server.client();
    expect(admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    server.createUser(User.of("carol", "Carol"));
    server.createUser(User.of("dave", "Dave"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRungReassignsAndALaterOneDecidesAsTheEngine() throws InterruptedException {
    expect(
        admin.post(
            "/api/v1/orchestrations?activate=true",
            """
            {"apiName": "Http_Ladder", "objectType": "Expense", "stages": [{"name": "S",
              "steps": [{"name": "Review", "kind": "APPROVAL",
                "assignee": {"type": "USER", "userId": "carol"},
                "escalation": [
                  {"after": "PT1S", "action": "REASSIGN", "to": {"type": "USER", "userId": "dave"}},
                  {"after": "PT2S", "action": "DECIDE", "decision": "APPROVE",
                   "comments": "nobody answered"}]}]}]}
            """),
        201);
    String recordId =
        expect(admin.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201)
            .json()
            .path("id")
            .asText();
    JsonNode submission =
        expect(
                admin.post(
                    "/api/v1/submissions",
                    "{\"objectType\": \"Expense\", \"recordId\": \""
                        + recordId
                        + "\", \"orchestration\": \"Http_Ladder\"}"),
                201)
            .json();
    String submissionId = submission.path("id").asText();
    String runId = submission.path("runId").asText();

    JsonNode done = awaitStatus(submissionId, "APPROVED");
    List<String> actions = new ArrayList<>();
    done.path("history").forEach(entry -> actions.add(entry.path("action").asText()));
    assertThat(actions).containsExactly("SUBMIT", "ESCALATE", "REVIEW");
    JsonNode review = done.path("history").get(2);
    assertThat(review.path("performerId").asText()).isEqualTo("automated-process");
    assertThat(review.path("channel").asText()).isEqualTo("SYSTEM");
    assertThat(review.path("comments").asText())
        .isEqualTo("APPROVE: escalation rung 2 after PT2S: nobody answered");

    JsonNode item =
        expect(admin.get("/api/v1/runs/" + runId + "/work-items"), 200).json().path("items").get(0);
    assertThat(item.path("assigneeId").asText()).isEqualTo("dave");
    assertThat(item.path("decidedBy").asText()).isEqualTo("automated-process");

    JsonNode events =
        expect(
                admin.get(
                    "/api/v1/events?runId="
                        + runId
                        + "&kind=WORK_ITEM_ESCALATED,WORK_ITEM_DECIDED"),
                200)
            .json()
            .path("items");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).path("kind").asText()).isEqualTo("WORK_ITEM_ESCALATED");
    assertThat(events.get(0).path("payload").path("fromAssigneeId").asText()).isEqualTo("carol");
    assertThat(events.get(0).path("payload").path("rung").asInt()).isEqualTo(1);
    assertThat(events.get(1).path("payload").path("decision").asText()).isEqualTo("APPROVE");
  }

  /** The submission once it has {@code status} (the rungs are due one and two seconds in). */
  private static JsonNode awaitStatus(String submissionId, String status)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      JsonNode submission = expect(admin.get("/api/v1/submissions/" + submissionId), 200).json();
      if (submission.path("status").asText().equals(status)) {
        return submission;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not " + status + " in 30 s: " + submission);
      }
      Thread.sleep(100);
    }
  }
}
