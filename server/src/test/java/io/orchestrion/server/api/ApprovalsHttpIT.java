package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Work items, run operations and explain over a real socket (H2), as the built-in administrator
 * "admin" (approval admin and run manager), so the orchestrations here assign their approval steps
 * to "admin" and allow submitter approval. Real users and tokens: ExpenseApprovalHttpIT and
 * HttpAuthMatrixIT.
 */
class ApprovalsHttpIT {
  private static TestServer server;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    client = server.client();
    expect(client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expect(client.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)), 201);
    expect(
        client.post(
            "/api/v1/orchestrations?activate=true",
            """
            {"apiName": "Desk_Review", "objectType": "Expense", "allowSubmitterApproval": true,
             "stages": [{"name": "Review", "steps": [
               {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "admin"}},
               {"name": "Flag", "kind": "BACKGROUND", "flow": "Mark_In_Review",
                "inputs": {"recordId": {"ref": "$Record.Id"}},
                "start": {"type": "REQUIREMENTS_MET", "logic": "1 AND 2", "requirements": [
                  {"left": {"ref": "$Step.Approve.outputs.approvalDecision"}, "operator": "EQUALS",
                   "right": {"value": "APPROVE"}},
                  {"left": {"ref": "$Record.Amount"}, "operator": "GREATER_THAN",
                   "right": {"value": 1000}}]}}]}]}
            """),
        201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anApprovalIsExplainedDecidedOnceAndAudited() {
    JsonNode submission = submit("1250.00");
    String runId = submission.path("runId").asText();
    String submissionId = submission.path("id").asText();

    JsonNode inbox = expect(client.get("/api/v1/work-items"), 200);
    JsonNode item = only(inbox.path("items"), runId);
    assertThat(item.path("stepName").asText()).isEqualTo("Approve");
    assertThat(item.path("status").asText()).isEqualTo("ASSIGNED");
    String itemId = item.path("id").asText();

    JsonNode explanation = expect(client.get("/api/v1/runs/" + runId + "/explain"), 200);
    assertThat(explanation.path("stage").asText()).isEqualTo("Review");
    JsonNode flag = explanation.path("steps").get(0);
    assertThat(flag.path("name").asText()).isEqualTo("Flag");
    assertThat(flag.path("start").path("type").asText()).isEqualTo("REQUIREMENTS_MET");
    assertThat(flag.path("start").path("met").asBoolean()).isFalse();
    JsonNode rows = flag.path("start").path("details").path("requirements");
    assertThat(rows.get(0).path("met").asBoolean()).isFalse();
    assertThat(rows.get(1).path("leftValue").decimalValue()).isEqualByComparingTo("1250");
    assertThat(rows.get(1).path("met").asBoolean()).isTrue();

    ApiResponse badDecision =
        client.post("/api/v1/work-items/" + itemId + "/decision", "{\"decision\": \"MAYBE\"}");
    assertThat(badDecision.status()).isEqualTo(400);
    assertThat(badDecision.body()).contains("decision");

    JsonNode decided =
        expect(
            client.post(
                "/api/v1/work-items/" + itemId + "/decision",
                "{\"decision\": \"APPROVE\", \"comments\": \"ok\"}"),
            200);
    assertThat(decided.path("status").asText()).isEqualTo("APPROVED");
    assertThat(decided.path("decidedBy").asText()).isEqualTo("admin");

    ApiResponse again =
        client.post("/api/v1/work-items/" + itemId + "/decision", "{\"decision\": \"REJECT\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).isEqualTo("application/problem+json");
    assertThat(again.body()).contains("already APPROVED by 'admin'");

    JsonNode done = expect(client.get("/api/v1/submissions/" + submissionId), 200);
    assertThat(done.path("status").asText()).isEqualTo("APPROVED");
    assertThat(done.path("history").findValuesAsText("action")).containsExactly("SUBMIT", "REVIEW");
    JsonNode run = expect(client.get("/api/v1/runs/" + runId), 200);
    assertThat(run.path("stages").get(0).path("steps").findValuesAsText("status"))
        .containsExactly("COMPLETED", "COMPLETED");
  }

  @Test
  void aLateDecisionOnASettledStepIsAConflictNamingTheOutcome() {
    expect(
        client.put("/api/v1/users/quinn", "{\"username\": \"quinn\", \"displayName\": \"Quinn\"}"),
        201);
    ApiResponse badQuorum =
        client.post("/api/v1/orchestrations", pairReview("{\"type\": \"QUORUM\", \"quorum\": 3}"));
    expectProblem(badQuorum, 422);
    assertThat(badQuorum.body()).contains("$.stages[0].steps[0].policy.quorum");
    expect(
        client.post(
            "/api/v1/orchestrations?activate=true", pairReview("{\"type\": \"FIRST_RESPONSE\"}")),
        201);
    JsonNode submission = submit("30.00", "Pair_Review");
    String runId = submission.path("runId").asText();
    JsonNode items = expect(client.get("/api/v1/runs/" + runId + "/work-items"), 200).path("items");
    assertThat(items.findValuesAsText("assigneeId")).containsExactly("admin", "quinn");
    JsonNode approvals =
        expect(client.get("/api/v1/runs/" + runId + "/explain"), 200).path("approvals");
    assertThat(approvals.get(0).path("stillNeeded").asText())
        .isEqualTo("the first decision of 2 approvers settles the step");

    String adminItem = items.get(0).path("id").asText();
    String quinnItem = items.get(1).path("id").asText();
    expect(
        client.post("/api/v1/work-items/" + adminItem + "/decision", "{\"decision\": \"APPROVE\"}"),
        200);
    ApiResponse late =
        client.post("/api/v1/work-items/" + quinnItem + "/decision", "{\"decision\": \"REJECT\"}");
    expectProblem(late, 409);
    assertThat(late.body())
        .contains("step 'Pair' was already settled: APPROVED by the first response of 'admin'");

    JsonNode run = expect(client.get("/api/v1/runs/" + runId), 200);
    JsonNode outputs = run.path("stages").get(0).path("steps").get(0).path("outputs");
    assertThat(outputs.path("approvalDecision").asText()).isEqualTo("APPROVE");
    assertThat(outputs.path("approvalTally").path("policy").asText()).isEqualTo("FIRST_RESPONSE");
    assertThat(outputs.path("approvalTally").path("pending").asInt()).isEqualTo(1);
    assertThat(outputs.path("approvalDecisions").findValuesAsText("decidedBy"))
        .containsExactly("admin");
  }

  private static String pairReview(String policy) {
    return """
        {"apiName": "Pair_Review", "objectType": "Expense", "allowSubmitterApproval": true,
         "stages": [{"name": "Review", "steps": [
           {"name": "Pair", "kind": "APPROVAL",
            "assignees": [{"type": "USER", "userId": "admin"}, {"type": "USER", "userId": "quinn"}],
            "policy": %s}]}]}
        """
        .formatted(policy);
  }

  @Test
  void aSubmissionIsSuspendedResumedAndRecalled() {
    JsonNode submission = submit("20.00");
    String runId = submission.path("runId").asText();
    String submissionId = submission.path("id").asText();

    assertThat(
            expect(client.post("/api/v1/runs/" + runId + "/suspend", ""), 200)
                .path("status")
                .asText())
        .isEqualTo("SUSPENDED");
    expectProblem(client.post("/api/v1/runs/" + runId + "/suspend", ""), 409);
    assertThat(expect(client.get("/api/v1/runs/" + runId + "/explain"), 200).path("note").asText())
        .contains("SUSPENDED");
    assertThat(
            expect(client.post("/api/v1/runs/" + runId + "/resume", ""), 200)
                .path("status")
                .asText())
        .isEqualTo("IN_PROGRESS");

    JsonNode recalled =
        expect(
            client.post(
                "/api/v1/submissions/" + submissionId + "/recall",
                "{\"comments\": \"wrong amount\"}"),
            200);
    assertThat(recalled.path("status").asText()).isEqualTo("RECALLED");
    assertThat(recalled.path("history").findValuesAsText("action"))
        .containsExactly("SUBMIT", "SUSPEND", "RESUME", "RECALL");
    JsonNode items = expect(client.get("/api/v1/runs/" + runId + "/work-items"), 200);
    assertThat(items.path("items").findValuesAsText("status")).containsExactly("RECALLED");
    expectProblem(client.post("/api/v1/submissions/" + submissionId + "/cancel", ""), 409);
    expectProblem(client.post("/api/v1/runs/" + runId + "/retry", ""), 409);
  }

  @Test
  void unknownThingsAre404AndBadBodiesAre400() {
    expectProblem(client.get("/api/v1/work-items/nope"), 404);
    expectProblem(
        client.post("/api/v1/work-items/nope/decision", "{\"decision\": \"APPROVE\"}"), 404);
    expectProblem(client.get("/api/v1/runs/nope/explain"), 404);
    expectProblem(client.post("/api/v1/submissions/nope/cancel", ""), 404);
    expectProblem(client.get("/api/v1/work-items?status=DONE"), 400);
    ApiResponse unknownProperty =
        client.post(
            "/api/v1/work-items/nope/reassign",
            "{\"assigneeType\": \"USER\", \"assigneeId\": \"x\", \"who\": 1}");
    assertThat(unknownProperty.status()).isEqualTo(400);
    assertThat(unknownProperty.body()).contains("who");
  }

  private static JsonNode submit(String amount) {
    return submit(amount, "Desk_Review");
  }

  private static JsonNode submit(String amount, String orchestration) {
    JsonNode record =
        expect(
            client.post(
                "/api/v1/records/Expense",
                "{\"Title\": \"Taxi\", \"Amount\": %s, \"Status\": \"Draft\"}".formatted(amount)),
            201);
    return expect(
        client.post(
            "/api/v1/submissions",
            """
            {"objectType": "Expense", "recordId": "%s", "orchestration": "%s"}
            """
                .formatted(record.path("id").asText(), orchestration)),
        201);
  }

  private static JsonNode only(JsonNode items, String runId) {
    List<JsonNode> matching = new java.util.ArrayList<>();
    items.forEach(
        item -> {
          if (item.path("runId").asText().equals(runId)) {
            matching.add(item);
          }
        });
    assertThat(matching).hasSize(1);
    return matching.getFirst();
  }

  private static void expectProblem(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
  }

  private static JsonNode expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response.json();
  }
}
