package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The expense example of the specification end to end over HTTP with real users and tokens (issue
 * #5's scenarios): alice submits, her manager bob approves, the Finance queue (fiona) approves
 * expenses of 5,000 or more, ada is an administrator, carol an approver without any permission set.
 * Every call carries the acting user's own JWT. Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExpenseApprovalHttpContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TestServer server;
  private ApiClient alice;
  private ApiClient bob;
  private ApiClient fiona;
  private ApiClient ada;
  private ApiClient carol;

  abstract TestDatabaseKind databaseKind();

  @BeforeAll
  void start() {
    server = TestServer.start(databaseKind());
    createPeople(server.directory());
    alice = server.clientAs("alice");
    bob = server.clientAs("bob");
    fiona = server.clientAs("fiona");
    ada = server.clientAs("ada");
    carol = server.clientAs("carol");
    // ada defines everything: she holds MANAGE_DEFINITIONS through the administrator set.
    expect(ada.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    // A queue names the object types it serves, so it comes after the type.
    server
        .directory()
        .saveQueue(
            new Queue(
                "Finance", "Finance", List.of(GroupMember.user("fiona")), List.of("Expense")));
    for (String flow : List.of(Fixtures.MARK_IN_REVIEW, Fixtures.SCORE_RISK, Fixtures.IS_LARGE)) {
      expect(ada.post("/api/v1/flows?activate=true", Fixtures.demo(flow)), 201);
    }
    String expense = Fixtures.demo(Fixtures.ORCHESTRATION);
    expect(ada.post("/api/v1/orchestrations?activate=true", expense), 201);
    String recallable =
        expense
            .replace("Expense_Approval", "Expense_Recallable")
            .replace(
                "\"stages\"",
                """
                "recallStage": {"name": "Undo", "steps": [
                  {"name": "Unmark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
                   "inputs": {"recordId": {"ref": "$Record.Id"}}}]},
                "stages\"""");
    expect(ada.post("/api/v1/orchestrations?activate=true", recallable), 201);
    // bob is no definition manager.
    expectProblem(bob.post("/api/v1/orchestrations?activate=true", recallable), 403);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static void createPeople(DirectoryService directory) {
    directory.savePermissionSet(
        new PermissionSet(
            "expense-submitters",
            "Expense submitters",
            Map.of(
                "Expense",
                Set.of(ObjectPermission.CREATE, ObjectPermission.READ, ObjectPermission.EDIT)),
            Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
            Set.of()));
    directory.savePermissionSet(
        new PermissionSet(
            "expense-approvers",
            "Expense approvers",
            Map.of("Expense", Set.of(ObjectPermission.VIEW_ALL)),
            Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.READ))),
            Set.of()));
    directory.saveUser(User.of("bob", "Bob Manager"));
    directory.saveUser(User.of("alice", "Alice Submitter").withManager("bob"));
    directory.saveUser(User.of("fiona", "Fiona Finance"));
    directory.saveUser(User.of("ada", "Ada Admin"));
    directory.saveUser(User.of("carol", "Carol Colleague"));
    directory.assign("alice", "expense-submitters");
    directory.assign("bob", "expense-approvers");
    directory.assign("fiona", "expense-approvers");
    directory.assign("ada", DirectoryService.ADMINISTRATOR_PERMISSION_SET_ID);
  }

  @Test
  void aSmallExpenseNeedsOnlyTheManagerAndIsExplainedWhileWaiting() {
    JsonNode submission = submitExpense("Expense_Approval", "120.00");
    String runId = submission.path("runId").asText();
    JsonNode managerItem = awaitItem(alice, runId, "Manager_Approval");
    assertThat(managerItem.path("assigneeType").asText()).isEqualTo("USER");
    assertThat(managerItem.path("assigneeId").asText()).isEqualTo("bob");
    assertThat(inboxIds(bob)).contains(managerItem.path("id").asText());

    JsonNode explanation = expect(alice.get("/api/v1/runs/" + runId + "/explain"), 200);
    assertThat(explanation.path("stage").asText()).isEqualTo("Review");
    JsonNode finance = step(explanation, "Finance_Approval");
    assertThat(finance.at("/start/type").asText()).isEqualTo("EVALUATION_FLOW");
    assertThat(finance.at("/start/met").asBoolean()).isFalse();
    assertThat(finance.at("/start/details/answer").asBoolean()).isFalse();
    assertThat(explanation.at("/exit/met").asBoolean()).isFalse();
    // Only the run's audience sees it: carol is none of it.
    expectProblem(carol.get("/api/v1/runs/" + runId + "/explain"), 403);
    // bob reads what he approves (VIEW_ALL); carol has no permission on expenses.
    expect(bob.get("/api/v1/records/Expense/" + submission.path("recordId").asText()), 200);
    expectProblem(
        carol.get("/api/v1/records/Expense/" + submission.path("recordId").asText()), 403);

    decide(bob, managerItem, "APPROVE", 200);
    JsonNode approved = awaitSubmission(alice, submission, "APPROVED");
    assertThat(approved.path("history").findValuesAsText("performerId")).contains("alice", "bob");
    assertThat(stepNames(workItems(alice, runId))).containsExactly("Manager_Approval");
    assertThat(inboxIds(fiona)).isEmpty();
  }

  @Test
  void aLargeExpenseAlsoNeedsTheFinanceQueue() {
    JsonNode submission = submitExpense("Expense_Approval", "7500.00");
    String runId = submission.path("runId").asText();
    JsonNode managerItem = awaitItem(alice, runId, "Manager_Approval");
    JsonNode financeItem = awaitItem(alice, runId, "Finance_Approval");
    assertThat(financeItem.path("assigneeType").asText()).isEqualTo("QUEUE");
    assertThat(financeItem.path("assigneeId").asText()).isEqualTo("Finance");
    assertThat(inboxIds(fiona)).contains(financeItem.path("id").asText());

    decide(bob, managerItem, "APPROVE", 200);
    assertThat(submission(alice, submission).path("status").asText()).isEqualTo("IN_PROGRESS");
    // Not fiona's manager item, and bob is not in the Finance queue.
    decide(bob, financeItem, "APPROVE", 403);
    decide(fiona, financeItem, "APPROVE", 200);
    awaitSubmission(alice, submission, "APPROVED");
    // fiona, as an assignee of one of its work items, now sees the submission.
    expect(fiona.get("/api/v1/submissions/" + submission.path("id").asText()), 200);
  }

  @Test
  void theManagersRejectionRejectsAtOnceAndCancelsTheOtherItems() {
    JsonNode submission = submitExpense("Expense_Approval", "7500.00");
    String runId = submission.path("runId").asText();
    JsonNode managerItem = awaitItem(alice, runId, "Manager_Approval");
    awaitItem(alice, runId, "Finance_Approval");

    decide(bob, managerItem, "REJECT", 200);
    assertThat(submission(alice, submission).path("status").asText()).isEqualTo("REJECTED");
    Map<String, String> statuses = new java.util.HashMap<>();
    workItems(alice, runId)
        .forEach(
            item -> statuses.put(item.path("stepName").asText(), item.path("status").asText()));
    assertThat(statuses)
        .containsEntry("Manager_Approval", "REJECTED")
        .containsEntry("Finance_Approval", "CANCELED");
  }

  @Test
  void aRecallRecallsTheItemsAndRunsTheRecallStage() {
    JsonNode submission = submitExpense("Expense_Recallable", "120.00");
    String runId = submission.path("runId").asText();
    JsonNode managerItem = awaitItem(alice, runId, "Manager_Approval");
    String recall = "/api/v1/submissions/" + submission.path("id").asText() + "/recall";

    expectProblem(bob.post(recall, "{}"), 403);
    JsonNode recalled = expect(alice.post(recall, "{\"comments\": \"wrong amount\"}"), 200);
    assertThat(recalled.path("status").asText()).isEqualTo("RECALLED");
    assertThat(
            expect(bob.get("/api/v1/work-items/" + managerItem.path("id").asText()), 200)
                .path("status")
                .asText())
        .isEqualTo("RECALLED");
    JsonNode run =
        awaitJson(
            alice,
            "/api/v1/runs/" + runId,
            node -> node.path("status").asText().equals("CANCELED"));
    List<String> stages = new ArrayList<>();
    run.path("stages")
        .forEach(
            stage -> stages.add(stage.path("name").asText() + " " + stage.path("status").asText()));
    assertThat(stages).containsExactly("Intake COMPLETED", "Review CANCELED", "Undo COMPLETED");
    expectProblem(alice.post(recall, "{}"), 409);
  }

  @Test
  void onlyAnAdministratorCancels() {
    JsonNode submission = submitExpense("Expense_Approval", "7500.00");
    String runId = submission.path("runId").asText();
    JsonNode financeItem = awaitItem(alice, runId, "Finance_Approval");
    String cancel = "/api/v1/submissions/" + submission.path("id").asText() + "/cancel";

    assertThat(expectProblem(alice.post(cancel, "{}"), 403).path("detail").asText())
        .contains("APPROVAL_ADMIN");
    JsonNode canceled = expect(ada.post(cancel, "{\"comments\": \"duplicate\"}"), 200);
    assertThat(canceled.path("status").asText()).isEqualTo("CANCELED");
    assertThat(
            expect(fiona.get("/api/v1/work-items/" + financeItem.path("id").asText()), 200)
                .path("status")
                .asText())
        .isEqualTo("CANCELED");
  }

  @Test
  void twoSimultaneousDecisionsLetExactlyOneWin() throws Exception {
    JsonNode submission = submitExpense("Expense_Approval", "120.00");
    JsonNode managerItem = awaitItem(alice, submission.path("runId").asText(), "Manager_Approval");
    String path = "/api/v1/work-items/" + managerItem.path("id").asText() + "/decision";
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<ApiResponse> byBob = threads.submit(() -> decideAfter(go, bob, path));
      Future<ApiResponse> byAda = threads.submit(() -> decideAfter(go, ada, path));
      go.countDown();
      ApiResponse bobs = byBob.get();
      ApiResponse adas = byAda.get();
      assertThat(List.of(bobs.status(), adas.status())).containsExactlyInAnyOrder(200, 409);
      String winner = bobs.status() == 200 ? "bob" : "ada";
      ApiResponse loser = bobs.status() == 200 ? adas : bobs;
      assertThat(loser.json().path("detail").asText())
          .contains("already APPROVED by '" + winner + "'");
    } finally {
      threads.shutdownNow();
    }
    awaitSubmission(alice, submission, "APPROVED");
  }

  @Test
  void aReassignedItemIsDecidedByItsNewAssignee() {
    JsonNode submission = submitExpense("Expense_Approval", "120.00");
    JsonNode managerItem = awaitItem(alice, submission.path("runId").asText(), "Manager_Approval");
    String itemId = managerItem.path("id").asText();

    JsonNode reassigned =
        expect(
            bob.post(
                "/api/v1/work-items/" + itemId + "/reassign",
                "{\"assigneeType\": \"USER\", \"assigneeId\": \"carol\"}"),
            200);
    assertThat(reassigned.path("assigneeId").asText()).isEqualTo("carol");
    assertThat(inboxIds(carol)).contains(itemId);
    assertThat(inboxIds(bob)).doesNotContain(itemId);
    decide(bob, managerItem, "APPROVE", 403);
    decide(carol, managerItem, "APPROVE", 200);
    awaitSubmission(alice, submission, "APPROVED");
  }

  // ---- helpers ----

  private JsonNode submitExpense(String orchestration, String amount) {
    JsonNode record =
        expect(
            alice.post(
                "/api/v1/records/Expense",
                "{\"Title\": \"Conference\", \"Amount\": " + amount + ", \"Status\": \"Draft\"}"),
            201);
    assertThat(record.at("/fields/OwnerId").asText()).isEqualTo("alice");
    return expect(
        alice.post(
            "/api/v1/submissions",
            "{\"objectType\": \"Expense\", \"recordId\": \""
                + record.path("id").asText()
                + "\", \"orchestration\": \""
                + orchestration
                + "\"}"),
        201);
  }

  private static ApiResponse decideAfter(CountDownLatch go, ApiClient client, String path)
      throws InterruptedException {
    go.await();
    return client.post(path, "{\"decision\": \"APPROVE\"}");
  }

  private static void decide(ApiClient client, JsonNode item, String decision, int status) {
    ApiResponse response =
        client.post(
            "/api/v1/work-items/" + item.path("id").asText() + "/decision",
            "{\"decision\": \"" + decision + "\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(status);
  }

  private static JsonNode submission(ApiClient client, JsonNode submission) {
    return expect(client.get("/api/v1/submissions/" + submission.path("id").asText()), 200);
  }

  private static JsonNode awaitSubmission(ApiClient client, JsonNode submission, String status) {
    return awaitJson(
        client,
        "/api/v1/submissions/" + submission.path("id").asText(),
        node -> node.path("status").asText().equals(status));
  }

  private static JsonNode awaitItem(ApiClient client, String runId, String stepName) {
    JsonNode items =
        awaitJson(
            client,
            "/api/v1/runs/" + runId + "/work-items",
            node -> find(node.path("items"), stepName).isPresent());
    return find(items.path("items"), stepName).orElseThrow();
  }

  private static Optional<JsonNode> find(JsonNode items, String stepName) {
    for (JsonNode item : items) {
      if (item.path("stepName").asText().equals(stepName)) {
        return Optional.of(item);
      }
    }
    return Optional.empty();
  }

  private static JsonNode awaitJson(ApiClient client, String path, Predicate<JsonNode> condition) {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (true) {
      JsonNode node = expect(client.get(path), 200);
      if (condition.test(node)) {
        return node;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "GET " + path + " did not reach the state in " + TIMEOUT + ": " + node);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<JsonNode> workItems(ApiClient client, String runId) {
    List<JsonNode> items = new ArrayList<>();
    expect(client.get("/api/v1/runs/" + runId + "/work-items"), 200)
        .path("items")
        .forEach(items::add);
    return items;
  }

  private static List<String> stepNames(List<JsonNode> items) {
    return items.stream().map(item -> item.path("stepName").asText()).toList();
  }

  private static List<String> inboxIds(ApiClient client) {
    List<String> ids = new ArrayList<>();
    expect(client.get("/api/v1/work-items"), 200)
        .path("items")
        .forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  private static JsonNode step(JsonNode explanation, String name) {
    for (JsonNode step : explanation.path("steps")) {
      if (step.path("name").asText().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no step " + name + " in " + explanation);
  }

  private static JsonNode expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    return response.json();
  }

  private static JsonNode expectProblem(ApiResponse response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    return response.json();
  }
}
