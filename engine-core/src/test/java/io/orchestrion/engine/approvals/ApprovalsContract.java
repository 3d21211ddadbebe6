package io.orchestrion.engine.approvals;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.AuditEntryView;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approvals, routing and run operations (SPEC §3, §5, §8) through a real engine on a real database,
 * with the expense example of the specification: alice submits, her manager bob approves, the
 * Finance queue (fiona) approves large expenses, ada is an approval admin and ron a run manager.
 */
abstract class ApprovalsContract {
  private static final String EXPENSE = fixture("orchestration-expense.json");

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
    harness = EngineHarness.start(database);
    engine = harness.engine();
    harness.defineExpense();
    definePeople(engine.directory());
    harness.activateFlows(
        "flow-mark-in-review.json",
        "flow-score-risk.json",
        "flow-is-large.json",
        "flow-log-only.json",
        "flow-wait-briefly.json",
        "flow-update-then-fail.json",
        "flow-raise-amount.json");
    engine.orchestrations().deploy(orchestration(EXPENSE), true);
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  // ---- The expense example ----

  @Test
  void aSmallExpenseNeedsOnlyTheManagerAndTheStageExitsByRequirements() {
    SubmissionView submission = submit("Expense_Approval", expense("120"));
    WorkItemView managerItem = awaitItem(submission.runId(), "Manager_Approval");
    assertThat(managerItem.assigneeType()).isEqualTo("USER");
    assertThat(managerItem.assigneeId()).isEqualTo("bob");
    assertThat(
            engine.workItems().inbox("bob", WorkItemStatus.ASSIGNED, Optional.empty(), 50).items())
        .extracting(WorkItemView::id)
        .containsExactly(managerItem.id());

    RunExplanation waiting = engine.runs().explain(submission.runId());
    assertThat(waiting.stage()).contains("Review");
    RunExplanation.StepExplanation finance = step(waiting, "Finance_Approval");
    assertThat(finance.start().type()).isEqualTo("EVALUATION_FLOW");
    assertThat(finance.start().met()).isFalse();
    assertThat(finance.start().details()).containsEntry("flow", "Is_Large_Expense");
    assertThat(finance.start().details()).containsEntry("answer", false);
    RunExplanation.ConditionExplanation exit = waiting.exit().orElseThrow();
    assertThat(exit.met()).isFalse();
    assertThat(exit.details()).containsEntry("logic", "1 AND (2 OR 3)");
    assertThat(rows(exit))
        .extracting(row -> row.get("row"), row -> row.get("leftValue"), row -> row.get("met"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "IN_PROGRESS", false),
            org.assertj.core.groups.Tuple.tuple(2, "NOT_STARTED", false),
            org.assertj.core.groups.Tuple.tuple(3, new BigDecimal("120.00"), true));

    engine.workItems().decide(managerItem.id(), Decision.APPROVE, Optional.of("fine"), "bob");

    SubmissionView done = engine.submissions().get(submission.id());
    assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(stepStatus(run, "Finance_Approval")).isEqualTo(StepStatus.NOT_STARTED);
    assertThat(stepOf(run, "Manager_Approval").outputs())
        .containsEntry("approvalDecision", "APPROVE")
        .containsEntry("approvalComments", "fine");
    assertThat(done.history())
        .extracting(AuditEntryView::action, AuditEntryView::performerId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("SUBMIT", "alice"),
            org.assertj.core.groups.Tuple.tuple("REVIEW", "bob"));
  }

  @Test
  void aQueueMemberReadsTheApproverVisibleFieldsOfTheRecordHerOpenItemIsAbout() {
    ObjectTypeDefinition expense = engine.objectTypes().find("Expense").orElseThrow();
    engine
        .objectTypes()
        .define(
            new ObjectTypeDefinition(
                expense.apiName(),
                expense.sharing(),
                expense.fields().stream()
                    .map(
                        field ->
                            field.name().equals("Title") ? field.withApproverVisible(true) : field)
                    .toList()));
    SubmissionView submission = submit("Expense_Approval", expense("7000"));
    WorkItemView financeItem = awaitItem(submission.runId(), "Finance_Approval");
    assertThat(financeItem.assigneeType()).isEqualTo("QUEUE");
    SecurityContext fiona = SecurityContext.of("fiona", RunMode.USER);

    // Her membership of the queue is read through the request's unit of work (it once asked the
    // pool for a second connection inside the transaction, and failed).
    RecordData seen = engine.records().get("Expense", submission.recordId(), fiona);

    assertThat(seen.fields()).containsEntry("Title", "Conference").doesNotContainKey("Amount");
    SecurityContext carol = SecurityContext.of("carol", RunMode.USER);
    assertThatThrownBy(() -> engine.records().get("Expense", submission.recordId(), carol))
        .isInstanceOf(OrchestrionException.class)
        .satisfies(
            e ->
                assertThat(((OrchestrionException) e).getErrorCode().name())
                    .isEqualTo("INSUFFICIENT_ACCESS"));
  }

  @Test
  void aLargeExpenseAlsoNeedsTheFinanceQueue() {
    SubmissionView submission = submit("Expense_Approval", expense("7000"));
    WorkItemView financeItem = awaitItem(submission.runId(), "Finance_Approval");
    assertThat(financeItem.assigneeType()).isEqualTo("QUEUE");
    assertThat(financeItem.assigneeId()).isEqualTo("Finance");
    assertThat(
            engine
                .workItems()
                .inbox("fiona", WorkItemStatus.ASSIGNED, Optional.empty(), 50)
                .items())
        .extracting(WorkItemView::id)
        .containsExactly(financeItem.id());
    assertThat(
            engine.workItems().inbox("bob", WorkItemStatus.ASSIGNED, Optional.empty(), 50).items())
        .extracting(WorkItemView::stepName)
        .containsExactly("Manager_Approval");

    WorkItemView managerItem = itemOf(submission.runId(), "Manager_Approval");
    engine.workItems().decide(managerItem.id(), Decision.APPROVE, Optional.empty(), "bob");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    RunExplanation.ConditionExplanation exit =
        engine.runs().explain(submission.runId()).exit().orElseThrow();
    assertThat(rows(exit)).extracting(row -> row.get("met")).containsExactly(true, false, false);

    assertThatThrownBy(
            () ->
                engine
                    .workItems()
                    .decide(financeItem.id(), Decision.APPROVE, Optional.empty(), "bob"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED))
        .hasMessageContaining("QUEUE Finance");
    engine.workItems().decide(financeItem.id(), Decision.APPROVE, Optional.empty(), "fiona");

    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  @Test
  void aManagerRejectionRejectsAtOnceAndCancelsOpenItems() {
    SubmissionView submission = submit("Expense_Approval", expense("7000"));
    WorkItemView financeItem = awaitItem(submission.runId(), "Finance_Approval");
    WorkItemView managerItem = itemOf(submission.runId(), "Manager_Approval");

    engine.workItems().decide(managerItem.id(), Decision.REJECT, Optional.of("too much"), "bob");

    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
    assertThat(engine.runs().get(submission.runId()).status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(engine.workItems().get(financeItem.id(), "fiona").status())
        .isEqualTo(WorkItemStatus.CANCELED);
    assertThat(engine.workItems().get(managerItem.id(), "alice").status())
        .isEqualTo(WorkItemStatus.REJECTED);
    List<OrchestrationEvent> feed = awaitFeed(submission.runId(), EventKind.RUN_REJECTED);
    assertThat(feed)
        .extracting(OrchestrationEvent::kind)
        .containsSubsequence(
            EventKind.SUBMITTED,
            EventKind.STAGE_STARTED,
            EventKind.STAGE_COMPLETED,
            EventKind.STAGE_STARTED,
            EventKind.STEP_STARTED,
            EventKind.WORK_ITEM_CREATED,
            EventKind.WORK_ITEM_DECIDED,
            EventKind.WORK_ITEM_CANCELED,
            EventKind.STAGE_COMPLETED,
            EventKind.RUN_REJECTED)
        .endsWith(EventKind.RUN_REJECTED);
    OrchestrationEvent decided = only(feed, EventKind.WORK_ITEM_DECIDED);
    assertThat(decided.actorId()).contains("bob");
    assertThat(decided.step()).contains("Manager_Approval");
    assertThat(decided.stage()).contains("Review");
    assertThat(decided.payload())
        .containsEntry("workItemId", managerItem.id())
        .containsEntry("decision", "REJECT")
        .containsEntry("comments", "too much");
    OrchestrationEvent canceled = only(feed, EventKind.WORK_ITEM_CANCELED);
    assertThat(canceled.payload()).containsEntry("workItemId", financeItem.id());
    assertThat(canceled.actorId()).contains("bob");
  }

  @Test
  void withContinueTheRunGoesOnAndEndsRejected() {
    engine
        .orchestrations()
        .deploy(
            orchestration(
                EXPENSE
                    .replace("Expense_Approval", "Expense_Continue")
                    .replace("REJECT_SUBMISSION", "CONTINUE")),
            true);
    SubmissionView submission = submit("Expense_Continue", expense("7000"));
    WorkItemView financeItem = awaitItem(submission.runId(), "Finance_Approval");
    WorkItemView managerItem = itemOf(submission.runId(), "Manager_Approval");

    engine.workItems().decide(managerItem.id(), Decision.REJECT, Optional.empty(), "bob");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
    engine.workItems().decide(financeItem.id(), Decision.APPROVE, Optional.empty(), "fiona");

    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.REJECTED);
    assertThat(engine.runs().get(submission.runId()).status()).isEqualTo(RunStatus.COMPLETED);
  }

  // ---- Decisions ----

  @Test
  void ofTwoConcurrentDecisionsExactlyOneWins() throws Exception {
    SubmissionView submission = submit("Expense_Approval", expense("120"));
    WorkItemView item = awaitItem(submission.runId(), "Manager_Approval");
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (String[] decider : new String[][] {{"bob", "APPROVE"}, {"ada", "REJECT"}}) {
        Callable<String> decide =
            () -> {
              go.await();
              try {
                engine
                    .workItems()
                    .decide(item.id(), Decision.valueOf(decider[1]), Optional.empty(), decider[0]);
                return "won:" + decider[0];
              } catch (OrchestrionException e) {
                assertThat(e.getErrorCode().type()).isEqualTo(ErrorType.CONFLICT);
                return "lost:" + e.getMessage();
              }
            };
        results.add(threads.submit(decide));
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get());
      }
      assertThat(outcomes).filteredOn(outcome -> outcome.startsWith("won:")).hasSize(1);
      String winner = outcomes.stream().filter(o -> o.startsWith("won:")).findFirst().orElseThrow();
      String loser = outcomes.stream().filter(o -> o.startsWith("lost:")).findFirst().orElseThrow();
      assertThat(loser).contains("already").contains("'" + winner.substring(4) + "'");
    } finally {
      threads.shutdownNow();
    }
    WorkItemView decided = engine.workItems().get(item.id(), "bob");
    assertThat(decided.decidedBy()).isPresent();
    assertThat(engine.submissions().get(submission.id()).history())
        .filteredOn(entry -> entry.action().equals("REVIEW"))
        .hasSize(1);
  }

  @Test
  void aReassignedItemIsDecidedByItsNewAssignee() {
    SubmissionView submission = submit("Expense_Approval", expense("120"));
    WorkItemView item = awaitItem(submission.runId(), "Manager_Approval");

    assertThatThrownBy(() -> engine.workItems().reassign(item.id(), "USER", "carol", "fiona"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED));
    assertThatThrownBy(() -> engine.workItems().reassign(item.id(), "QUEUE", "Nope", "bob"))
        .satisfies(e -> assertType(e, ErrorType.NOT_FOUND))
        .hasMessageContaining("Nope");
    WorkItemView moved = engine.workItems().reassign(item.id(), "GROUP", "Reviewers", "bob");
    assertThat(moved.status()).isEqualTo(WorkItemStatus.ASSIGNED);
    assertThat(moved.assigneeId()).isEqualTo("Reviewers");

    assertThatThrownBy(
            () -> engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "bob"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED));
    engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "carol");

    SubmissionView done = engine.submissions().get(submission.id());
    assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(done.history())
        .extracting(AuditEntryView::action)
        .containsExactly("SUBMIT", "REASSIGN", "REVIEW");
    OrchestrationEvent reassigned =
        only(
            awaitFeed(submission.runId(), EventKind.RUN_COMPLETED), EventKind.WORK_ITEM_REASSIGNED);
    assertThat(reassigned.actorId()).contains("bob");
    assertThat(reassigned.payload())
        .containsEntry("fromAssigneeType", "USER")
        .containsEntry("fromAssigneeId", "bob")
        .containsEntry("assigneeType", "GROUP")
        .containsEntry("assigneeId", "Reviewers");
  }

  @Test
  void theSubmitterMayNotApproveTheirOwnExpense() {
    SubmissionView submission = submit("Expense_Approval", expense("120"));
    WorkItemView item = awaitItem(submission.runId(), "Manager_Approval");
    engine.workItems().reassign(item.id(), "USER", "alice", "ada");
    assertThatThrownBy(
            () -> engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "alice"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED))
        .hasMessageContaining("separation of duties");
  }

  @Test
  void anUndecidedItemPastItsDueTimePublishesAnOverdueEvent() {
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Due", "objectType": "Expense", "stages": [{"name": "S", "steps": [
                  {"name": "Quick", "kind": "APPROVAL", "dueIn": "PT1S",
                   "assignee": {"type": "USER", "userId": "bob"}}]}]}
                """),
            true);
    SubmissionView submission = submit("Due", expense("10"));
    WorkItemView item = itemOf(submission.runId(), "Quick");
    assertThat(item.dueAt()).isPresent();

    Instant deadline = Instant.now().plusSeconds(20);
    List<io.orchestrion.api.run.OrchestrationEvent> overdue = List.of();
    while (overdue.isEmpty() && Instant.now().isBefore(deadline)) {
      sleep();
      overdue =
          engine.events().listAfter(0, Optional.of(submission.runId()), 100).stream()
              .filter(event -> event.kind() == io.orchestrion.api.run.EventKind.OVERDUE)
              .toList();
    }

    assertThat(overdue)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.payload()).containsEntry("workItemId", item.id());
              assertThat(event.payload()).containsEntry("step", "Quick");
            });
    // Still undecided and still decidable.
    engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "bob");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  // ---- Recall, cancel ----

  @Test
  void recallCancelsTheStageRecallsItemsAndRunsTheRecallStage() {
    String withRecallStage =
        EXPENSE
            .replace("Expense_Approval", "Expense_Recallable")
            .replace(
                "\"stages\"",
                """
                "variables": [{"name": "recallNote", "type": "TEXT"}],
                "recallStage": {"name": "Undo", "steps": [
                  {"name": "Tell", "kind": "BACKGROUND", "flow": "Log_Only",
                   "inputs": {"recordId": {"ref": "$Record.Id"}},
                   "outputs": {"note": "recallNote"}}]},
                "stages\"""");
    engine.orchestrations().deploy(orchestration(withRecallStage), true);
    SubmissionView submission = submit("Expense_Recallable", expense("120"));
    WorkItemView item = awaitItem(submission.runId(), "Manager_Approval");

    assertThatThrownBy(() -> engine.submissions().recall(submission.id(), Optional.empty(), "bob"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED));
    SubmissionView recalled =
        engine.submissions().recall(submission.id(), Optional.of("wrong amount"), "alice");

    assertThat(recalled.status()).isEqualTo(SubmissionStatus.RECALLED);
    assertThat(engine.workItems().get(item.id(), "bob").status())
        .isEqualTo(WorkItemStatus.RECALLED);
    RunView ended = harness.awaitRun(submission.runId(), run -> run.status() == RunStatus.CANCELED);
    assertThat(ended.stages())
        .extracting(RunView.Stage::name, stage -> stage.status().name())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Intake", "COMPLETED"),
            org.assertj.core.groups.Tuple.tuple("Review", "CANCELED"),
            org.assertj.core.groups.Tuple.tuple("Undo", "COMPLETED"));
    // The recall stage's step outputs are mapped like those of any stage (issue 8 §4).
    assertThat(ended.variables()).containsEntry("recallNote", "logged");
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.RECALLED);
    assertThatThrownBy(
            () -> engine.submissions().recall(submission.id(), Optional.empty(), "alice"))
        .satisfies(e -> assertType(e, ErrorType.CONFLICT));
    List<OrchestrationEvent> feed = awaitFeed(submission.runId(), EventKind.RUN_CANCELED);
    assertThat(feed)
        .extracting(OrchestrationEvent::kind)
        .containsSubsequence(
            EventKind.WORK_ITEM_CREATED,
            EventKind.RECALLED,
            EventKind.WORK_ITEM_CANCELED,
            EventKind.STAGE_STARTED,
            EventKind.STEP_STARTED,
            EventKind.STEP_RESULT,
            EventKind.STAGE_COMPLETED,
            EventKind.RUN_CANCELED)
        .endsWith(EventKind.RUN_CANCELED);
    assertThat(only(feed, EventKind.RUN_CANCELED).payload())
        .containsEntry("submissionStatus", "RECALLED");
    OrchestrationEvent recalledEvent = only(feed, EventKind.RECALLED);
    assertThat(recalledEvent.actorId()).contains("alice");
    assertThat(recalledEvent.payload()).containsEntry("comments", "wrong amount");
    assertThat(only(feed, EventKind.WORK_ITEM_CANCELED).payload())
        .containsEntry("status", "RECALLED");
  }

  @Test
  void onlyAnApprovalAdminCancels() {
    SubmissionView submission = submit("Expense_Approval", expense("7000"));
    WorkItemView item = awaitItem(submission.runId(), "Finance_Approval");

    assertThatThrownBy(
            () -> engine.submissions().cancel(submission.id(), Optional.empty(), "alice"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED))
        .hasMessageContaining("APPROVAL_ADMIN");
    SubmissionView canceled =
        engine.submissions().cancel(submission.id(), Optional.of("duplicate"), "ada");

    assertThat(canceled.status()).isEqualTo(SubmissionStatus.CANCELED);
    assertThat(engine.runs().get(submission.runId()).status()).isEqualTo(RunStatus.CANCELED);
    assertThat(engine.workItems().get(item.id(), "fiona").status())
        .isEqualTo(WorkItemStatus.CANCELED);
    assertThat(canceled.history()).extracting(AuditEntryView::action).contains("CANCEL");
    OrchestrationEvent runCanceled =
        only(awaitFeed(submission.runId(), EventKind.RUN_CANCELED), EventKind.RUN_CANCELED);
    assertThat(runCanceled.actorId()).contains("ada");
    assertThat(runCanceled.payload()).containsEntry("submissionStatus", "CANCELED");
    // The record is no longer locked: a new submission may start.
    assertThat(submit("Expense_Approval", recordOf(submission)).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);
  }

  // ---- Suspend, resume, retry ----

  @Test
  void aSuspendedRunAppliesAResultThatArrivedOnResume() throws Exception {
    engine.orchestrations().deploy(orchestration(oneStep("Waits", "Wait_Briefly", "")), true);
    SubmissionView submission = submit("Waits", expense("50"));

    assertThatThrownBy(() -> engine.runs().suspend(submission.runId(), "alice"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED))
        .hasMessageContaining("MANAGE_RUNS");
    assertThat(engine.runs().suspend(submission.runId(), "ron").status())
        .isEqualTo(RunStatus.SUSPENDED);
    assertThat(engine.runs().explain(submission.runId()).note().orElseThrow())
        .contains("SUSPENDED");
    // The Wait (2 s) ends while the run is suspended; the run does not move.
    harness.awaitRun(
        submission.runId(), run -> stepStatus(run, "Step").equals(StepStatus.COMPLETED));
    Thread.sleep(300);
    assertThat(engine.runs().get(submission.runId()).status()).isEqualTo(RunStatus.SUSPENDED);
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.IN_PROGRESS);

    RunView resumed = engine.runs().resume(submission.runId(), "ron");

    assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    assertThat(engine.submissions().get(submission.id()).history())
        .extracting(AuditEntryView::action)
        .containsExactly("SUBMIT", "SUSPEND", "RESUME");
  }

  @Test
  void aFailedStepIsRetriedWithTheFixedFlowVersion() {
    engine.orchestrations().deploy(orchestration(oneStep("Fails", "Update_Then_Fail", "")), true);
    RecordData record = expense("50");
    SubmissionView submission = submit("Fails", record);
    assertThat(submission.status()).isEqualTo(SubmissionStatus.ERROR);
    assertThat(submission.error().orElseThrow()).contains("Update_Then_Fail");

    assertThatThrownBy(() -> engine.runs().retry(submission.runId(), "alice"))
        .satisfies(e -> assertType(e, ErrorType.PERMISSION_DENIED));
    // Retrying the same broken version fails the same way; fixing the flow makes it pass.
    assertThat(engine.runs().retry(submission.runId(), "ron").status()).isEqualTo(RunStatus.ERROR);
    engine
        .flows()
        .deploy(
            EngineHarness.read(
                fixture("flow-mark-in-review.json").replace("Mark_In_Review", "Update_Then_Fail"),
                io.orchestrion.api.flow.FlowDefinition.class),
            true);

    RunView retried = engine.runs().retry(submission.runId(), "ron");

    assertThat(retried.status()).isEqualTo(RunStatus.COMPLETED);
    RunView.Step step = stepOf(retried, "Step");
    assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(step.attempt()).isEqualTo(3);
    assertThat(step.flowVersion()).contains(2);
    SubmissionView done = engine.submissions().get(submission.id());
    assertThat(done.status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(done.history())
        .extracting(AuditEntryView::action)
        .containsExactly("SUBMIT", "RETRY", "RETRY");
  }

  // ---- Evaluation-flow gates ----

  @Test
  void anEvaluationFlowGateOpensWhenTheRecordIsUpdatedThroughTheEngine() {
    engine.orchestrations().deploy(orchestration(oneStep("Gated", "Log_Only", gate(""))), true);
    RecordData record = expense("50");
    SubmissionView submission = submit("Gated", record);
    RunView waiting = engine.runs().get(submission.runId());
    assertThat(stepStatus(waiting, "Step")).isEqualTo(StepStatus.NOT_STARTED);
    RunExplanation explanation = engine.runs().explain(submission.runId());
    assertThat(step(explanation, "Step").start().details()).containsEntry("answer", false);
    // What the submit's pass got from the flow, and when: the answer the engine acted on.
    assertThat(step(explanation, "Step").start().details().get("lastPass"))
        .isInstanceOfSatisfying(
            Map.class,
            lastPass -> {
              assertThat(lastPass.get("answer")).isEqualTo(false);
              assertThat(Instant.parse((String) lastPass.get("evaluatedAt")))
                  .isBeforeOrEqualTo(explanation.evaluatedAt());
              assertThat(lastPass.get("inputs")).isEqualTo(Map.of("amount", "50.00"));
            });
    assertThat(explanation.nextRecheckAt()).isEmpty();

    assertThatThrownBy(
            () ->
                engine
                    .records()
                    .update(
                        "Expense",
                        record.id().orElseThrow(),
                        Map.of("Amount", new BigDecimal("9000")),
                        Optional.empty(),
                        "alice"))
        .satisfies(e -> assertType(e, ErrorType.CONFLICT));
    engine
        .records()
        .update(
            "Expense",
            record.id().orElseThrow(),
            Map.of("Amount", new BigDecimal("9000")),
            Optional.empty(),
            "ada");

    harness.awaitEnd(submission.runId());
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  @Test
  void aFlowOfAnotherRunChangingTheRecordWakesTheWaitingRun() {
    engine.orchestrations().deploy(orchestration(oneStep("Gated", "Log_Only", gate(""))), true);
    RecordData waitingRecord = expense("50");
    SubmissionView waiting = submit("Gated", waitingRecord);
    assertThat(stepStatus(engine.runs().get(waiting.runId()), "Step"))
        .isEqualTo(StepStatus.NOT_STARTED);

    // Another submission's synchronous flow raises the amount of the first one's record.
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Raiser", "objectType": "Expense", "stages": [{"name": "Only", "steps": [
                  {"name": "Raise", "kind": "BACKGROUND", "flow": "Raise_Amount",
                   "inputs": {"recordId": {"value": "%s"}}}]}]}
                """
                    .formatted(waitingRecord.id().orElseThrow())),
            true);
    SubmissionView raiser = submit("Raiser", expense("10"));
    assertThat(raiser.status()).isEqualTo(SubmissionStatus.APPROVED);

    harness.awaitEnd(waiting.runId());
    assertThat(engine.submissions().get(waiting.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  @Test
  void anEvaluationFlowGateWithRecheckEveryOpensWithoutAnyEvent() throws Exception {
    engine
        .orchestrations()
        .deploy(
            orchestration(oneStep("Rechecked", "Log_Only", gate(", \"recheckEvery\": \"PT1S\""))),
            true);
    RecordData record = expense("50");
    SubmissionView submission = submit("Rechecked", record);
    RunExplanation explanation = engine.runs().explain(submission.runId());
    assertThat(explanation.nextRecheckAt()).isPresent();
    assertThat(step(explanation, "Step").start().recheckAt()).isPresent();

    // A change the engine does not see: straight into the table.
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement update =
            connection.prepareStatement("UPDATE rec_expense SET f_amount = ? WHERE id = ?")) {
      update.setBigDecimal(1, new BigDecimal("8000"));
      update.setString(2, record.id().orElseThrow());
      assertThat(update.executeUpdate()).isEqualTo(1);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }

    harness.awaitEnd(submission.runId());
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  @Test
  void explainNamesAStepThatCanNoLongerStart() {
    String json =
        """
        {"apiName": "Chain", "objectType": "Expense", "stages": [{"name": "S", "steps": [
          {"name": "Fails", "kind": "BACKGROUND", "flow": "Update_Then_Fail",
           "inputs": {"recordId": {"ref": "$Record.Id"}}},
          {"name": "After", "kind": "BACKGROUND", "flow": "Log_Only",
           "inputs": {"recordId": {"ref": "$Record.Id"}},
           "start": {"type": "STEP_COMPLETED", "step": "Fails"}},
          {"name": "AfterAfter", "kind": "BACKGROUND", "flow": "Log_Only",
           "inputs": {"recordId": {"ref": "$Record.Id"}},
           "start": {"type": "STEP_COMPLETED", "step": "After"}}]}]}
        """;
    engine.orchestrations().deploy(orchestration(json), true);
    SubmissionView submission = submit("Chain", expense("50"));

    RunExplanation explanation = engine.runs().explain(submission.runId());

    assertThat(explanation.status()).isEqualTo(RunStatus.ERROR);
    assertThat(explanation.note().orElseThrow()).contains("ERROR");
    assertThat(step(explanation, "After").blockedForever().orElseThrow())
        .contains("'Fails' is ERROR");
    assertThat(step(explanation, "AfterAfter").blockedForever().orElseThrow())
        .contains("'After', which can no longer start");
  }

  // ---- Helpers ----

  /** The people of the expense example, in the engine's own directory. */
  private static void definePeople(DirectoryService directory) {
    directory.saveUser(User.of("bob", "Bob (manager)"));
    directory.saveUser(User.of("alice", "Alice (submitter)").withManager("bob"));
    for (String[] user :
        new String[][] {
          {"carol", "Carol"},
          {"fiona", "Fiona (finance)"},
          {"ada", "Ada (admin)"},
          {"ron", "Ron (operations)"}
        }) {
      directory.saveUser(User.of(user[0], user[1]));
    }
    directory.saveGroup(
        new PublicGroup("Reviewers", "Reviewers", List.of(GroupMember.user("carol"))));
    directory.saveQueue(
        new Queue("Finance", "Finance", List.of(GroupMember.user("fiona")), List.of("Expense")));
    directory.savePermissionSet(
        EngineHarness.systemPermissionSet("approval-admins", SystemPermission.APPROVAL_ADMIN));
    directory.savePermissionSet(
        EngineHarness.systemPermissionSet("run-managers", SystemPermission.MANAGE_RUNS));
    directory.assign("ada", "approval-admins");
    directory.assign("ron", "run-managers");
  }

  private static String gate(String extra) {
    return """
        "start": {"type": "EVALUATION_FLOW", "flow": "Is_Large_Expense",
                  "inputs": {"amount": {"ref": "$Record.Amount"}}%s},
        """
        .formatted(extra);
  }

  private static String oneStep(String apiName, String flow, String start) {
    return """
        {"apiName": "%s", "objectType": "Expense", "stages": [{"name": "Only", "steps": [
          {"name": "Step", "kind": "BACKGROUND", "flow": "%s", %s
           "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
        """
        .formatted(apiName, flow, start);
  }

  private RecordData expense(String amount) {
    return engine
        .records()
        .create(
            "Expense",
            Map.of("Title", "Conference", "Amount", new BigDecimal(amount), "Status", "Draft"),
            "alice");
  }

  private RecordData recordOf(SubmissionView submission) {
    return engine.records().get("Expense", submission.recordId());
  }

  private SubmissionView submit(String orchestration, RecordData record) {
    return engine
        .submissions()
        .submit(
            new SubmitRequest(
                "Expense", record.id().orElseThrow(), orchestration, Optional.empty()),
            "alice");
  }

  private WorkItemView awaitItem(String runId, String stepName) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      Optional<WorkItemView> item = findItem(runId, stepName::equals);
      if (item.isPresent()) {
        return item.get();
      }
      sleep();
    }
    throw new AssertionError(
        "no work item for " + stepName + " in 20 s: " + engine.runs().get(runId));
  }

  private WorkItemView itemOf(String runId, String stepName) {
    return findItem(runId, stepName::equals).orElseThrow();
  }

  private Optional<WorkItemView> findItem(String runId, Predicate<String> stepName) {
    return engine.workItems().ofRun(runId).stream()
        .filter(item -> stepName.test(item.stepName()))
        .findFirst();
  }

  /** The run's feed once an event of kind {@code last} is numbered. */
  private List<OrchestrationEvent> awaitFeed(String runId, EventKind last) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<OrchestrationEvent> feed = engine.events().listAfter(0, Optional.of(runId), 1000);
      if (feed.stream().anyMatch(event -> event.kind() == last)) {
        return feed;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + last + " event in " + feed);
      }
      sleep();
    }
  }

  private static OrchestrationEvent only(List<OrchestrationEvent> feed, EventKind kind) {
    List<OrchestrationEvent> matching =
        feed.stream().filter(event -> event.kind() == kind).toList();
    assertThat(matching).as("events of kind %s", kind).hasSize(1);
    return matching.get(0);
  }

  private static void sleep() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static RunExplanation.StepExplanation step(RunExplanation explanation, String name) {
    return explanation.steps().stream()
        .filter(step -> step.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no NOT_STARTED step " + name + " in " + explanation));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(RunExplanation.ConditionExplanation condition) {
    return (List<Map<String, Object>>) condition.details().get("requirements");
  }

  private static RunView.Step stepOf(RunView run, String name) {
    return run.stages().stream()
        .flatMap(stage -> stage.steps().stream())
        .filter(step -> step.name().equals(name))
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  private static StepStatus stepStatus(RunView run, String name) {
    return stepOf(run, name).status();
  }

  private static void assertType(Throwable e, ErrorType type) {
    assertThat(e).isInstanceOf(OrchestrionException.class);
    assertThat(((OrchestrionException) e).getErrorCode().type()).isEqualTo(type);
  }
}
