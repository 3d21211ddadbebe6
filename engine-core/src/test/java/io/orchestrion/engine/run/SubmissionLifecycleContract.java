package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's rules (SPEC §4), end to end through a real engine on a real database: synchronous
 * steps complete inside the submit call, asynchronous ones on workers with an orchestration event,
 * and a restart in the middle loses nothing. Runs on H2 and on PostgreSQL.
 */
abstract class SubmissionLifecycleContract {
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
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  private RecordData newExpense(String amount) {
    return engine
        .records()
        .create(
            "Expense",
            Map.of("Title", "Team dinner", "Amount", new BigDecimal(amount), "Status", "Draft"),
            "alice");
  }

  private SubmissionView submit(String orchestration, RecordData record) {
    return engine
        .submissions()
        .submit(
            new SubmitRequest(
                "Expense", record.id().orElseThrow(), orchestration, Optional.of("please")),
            "alice");
  }

  private static String oneStage(String name, String steps) {
    return """
        {"apiName": "%s", "objectType": "Expense",
         "stages": [{"name": "Intake", "steps": [%s]}]}
        """
        .formatted(name, steps);
  }

  private static String step(String name, String flow, String start) {
    return """
        {"name": "%s", "kind": "BACKGROUND", "flow": "%s",
         "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": %s}
        """
        .formatted(name, flow, start);
  }

  private static final String STAGE_STARTS = "{\"type\": \"STAGE_STARTS\"}";

  private static String after(String step) {
    return "{\"type\": \"STEP_COMPLETED\", \"step\": \"" + step + "\"}";
  }

  private static RunView.Step stepNamed(RunView run, String name) {
    return run.stages().stream()
        .flatMap(stage -> stage.steps().stream())
        .filter(step -> step.name().equals(name))
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  @Test
  void synchronousStepsCompleteInsideTheSubmitCallAndTheNextStepStartsInTheSamePass() {
    harness.activateFlows("flow-mark-in-review.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                oneStage(
                    "Sync_Only",
                    step("Mark", "Mark_In_Review", STAGE_STARTS)
                        + ","
                        + step("Mark_Again", "Mark_In_Review", after("Mark")))),
            true);
    RecordData expense = newExpense("2500.00");

    SubmissionView submission = submit("Sync_Only", expense);

    // No worker and no event was needed: the whole run happened in the submit transaction.
    assertThat(submission.status()).isEqualTo(SubmissionStatus.APPROVED);
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.stages())
        .singleElement()
        .satisfies(
            stage -> {
              assertThat(stage.status()).isEqualTo(StageStatus.COMPLETED);
              assertThat(stage.steps())
                  .extracting(RunView.Step::status)
                  .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED);
            });
    RunView.Step mark = stepNamed(run, "Mark");
    assertThat(mark.executionMode()).contains(ExecutionMode.SYNC);
    assertThat(mark.flowVersion()).contains(1);
    assertThat(mark.outputs()).containsEntry("category", "large");
    assertThat(mark.runAsUserId()).contains("automated-process");
    // No event made the run evaluate; the notifications tell its whole lifecycle, in order.
    List<OrchestrationEvent> feed = awaitFeed(run.id(), 6);
    assertThat(feed)
        .extracting(OrchestrationEvent::kind)
        .containsExactly(
            EventKind.SUBMITTED,
            EventKind.STAGE_STARTED,
            EventKind.STEP_STARTED,
            EventKind.STEP_STARTED,
            EventKind.STAGE_COMPLETED,
            EventKind.RUN_COMPLETED);
    assertThat(feed).noneMatch(event -> event.kind().makesRunEvaluate());
    assertThat(feed)
        .allSatisfy(
            event -> {
              assertThat(event.submissionId()).isEqualTo(submission.id());
              assertThat(event.objectType()).isEqualTo("Expense");
              assertThat(event.recordId()).isEqualTo(expense.id().orElseThrow());
              assertThat(event.stage())
                  .isEqualTo(
                      event.kind() == EventKind.SUBMITTED
                          ? Optional.empty()
                          : Optional.of("Intake"));
            });
    assertThat(feed.get(0).actorId()).contains(submission.submitterId());
    assertThat(feed.get(2).step()).contains("Mark");
    assertThat(feed.get(3).step()).contains("Mark_Again");
    assertThat(feed.get(5).payload()).containsEntry("submissionStatus", "APPROVED");
    assertThat(feed).extracting(OrchestrationEvent::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(
            engine
                .events()
                .page(
                    0,
                    EventFilter.ALL
                        .withSubmissionId(Optional.of(submission.id()))
                        .withKinds(Set.of(EventKind.STEP_STARTED)),
                    100)
                .items())
        .extracting(event -> event.step().orElseThrow())
        .containsExactly("Mark", "Mark_Again");
    // The submission filter goes through the submission's run: with that run, the same; with
    // another run, or a submission that does not exist, nothing.
    EventFilter bySubmission = EventFilter.ALL.withSubmissionId(Optional.of(submission.id()));
    assertThat(
            engine
                .events()
                .page(0, bySubmission.withRunId(Optional.of(submission.runId())), 100)
                .items())
        .hasSameSizeAs(feed);
    assertThat(
            engine
                .events()
                .page(0, bySubmission.withRunId(Optional.of("no-such-run")), 100)
                .items())
        .isEmpty();
    assertThat(
            engine
                .events()
                .page(0, EventFilter.ALL.withSubmissionId(Optional.of("no-such-submission")), 100)
                .items())
        .isEmpty();
    RecordData updated = engine.records().get("Expense", expense.id().orElseThrow());
    assertThat(updated.fields())
        .containsEntry("Status", "In Review")
        .containsEntry("Category", "large");
  }

  @Test
  void actionSubflowAndWaitEachMakeAStepAsynchronousAndPublishAnEvent() {
    harness.activateFlows(
        "flow-mark-in-review.json",
        "flow-log-only.json",
        "flow-call-subflow.json",
        "flow-wait-briefly.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                oneStage(
                    "Async_Kinds",
                    step("By_Action", "Log_Only", STAGE_STARTS)
                        + ","
                        + step("By_Subflow", "Call_Subflow", STAGE_STARTS)
                        + ","
                        + step("By_Wait", "Wait_Briefly", STAGE_STARTS)
                        + ","
                        + step("Then", "Mark_In_Review", after("By_Wait")))),
            true);

    SubmissionView submission = submit("Async_Kinds", newExpense("10.00"));

    assertThat(submission.status()).isEqualTo(SubmissionStatus.IN_PROGRESS);
    RunView started = engine.runs().get(submission.runId());
    assertThat(stepNamed(started, "By_Action").executionReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("Action element 'Say'"));
    assertThat(stepNamed(started, "By_Subflow").executionReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("Subflow element 'Mark'"));
    assertThat(stepNamed(started, "By_Wait").executionReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("Wait element 'Pause'"));
    assertThat(stepNamed(started, "Then").status()).isEqualTo(StepStatus.NOT_STARTED);

    RunView run = harness.awaitEnd(submission.runId());

    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    assertThat(stepNamed(run, "By_Action").outputs()).containsEntry("note", "logged");
    assertThat(stepNamed(run, "By_Subflow").outputs()).containsEntry("category", "small");
    assertThat(stepNamed(run, "By_Wait").outputs()).containsEntry("waited", true);
    assertThat(stepNamed(run, "Then").status()).isEqualTo(StepStatus.COMPLETED);

    List<OrchestrationEvent> events = awaitEvents(run.id(), 3);
    assertThat(events).extracting(OrchestrationEvent::kind).containsOnly(EventKind.STEP_RESULT);
    assertThat(events)
        .extracting(OrchestrationEvent::stepStatus)
        .containsOnly(Optional.of(StepStatus.COMPLETED));
    assertThat(events)
        .extracting(event -> event.stepInstanceId().orElseThrow())
        .containsExactlyInAnyOrder(
            stepNamed(run, "By_Action").id(),
            stepNamed(run, "By_Subflow").id(),
            stepNamed(run, "By_Wait").id());
    assertThat(events).allSatisfy(event -> assertThat(event.runId()).isEqualTo(run.id()));
    assertThat(events).extracting(OrchestrationEvent::sequence).isSorted().doesNotHaveDuplicates();
    OrchestrationEvent waitEvent =
        events.stream()
            .filter(
                event ->
                    event.stepInstanceId().orElseThrow().equals(stepNamed(run, "By_Wait").id()))
            .findFirst()
            .orElseThrow();
    assertThat(waitEvent.payload()).containsEntry("waited", true);
  }

  @Test
  void applyingAStepResultEventAgainHasNoFurtherEffect() throws Exception {
    harness.activateFlows("flow-log-only.json", "flow-mark-in-review.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                oneStage(
                    "Redelivery",
                    step("Log", "Log_Only", STAGE_STARTS)
                        + ","
                        + step("Mark", "Mark_In_Review", after("Log")))),
            true);
    SubmissionView submission = submit("Redelivery", newExpense("10.00"));
    RunView before = harness.awaitEnd(submission.runId());
    OrchestrationEvent event = awaitEvents(before.id(), 1).get(0);
    long recordVersion = engine.records().get("Expense", submission.recordId()).version();

    for (int delivery = 0; delivery < 2; delivery++) {
      engine.runs().redeliver(event.eventId());
    }

    RunView after = engine.runs().get(before.id());
    assertThat(after).isEqualTo(before);
    assertThat(engine.events().listAfter(0, Optional.of(before.id()), 100))
        .filteredOn(candidate -> candidate.kind().makesRunEvaluate())
        .hasSize(1);
    assertThat(engine.records().get("Expense", submission.recordId()).version())
        .isEqualTo(recordVersion);
    assertThat(countRows("SELECT COUNT(*) FROM jobs")).isZero();
  }

  @Test
  void aFailingSynchronousFlowRollsBackItsWritesAndPutsEverythingInError() {
    harness.activateFlows("flow-update-then-fail.json", "flow-log-only.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                oneStage(
                    "Failing",
                    step("Slow", "Log_Only", STAGE_STARTS)
                        + ","
                        + step("Fail", "Update_Then_Fail", STAGE_STARTS))),
            true);
    RecordData expense = newExpense("10.00");

    SubmissionView submission = submit("Failing", expense);

    assertThat(submission.status()).isEqualTo(SubmissionStatus.ERROR);
    assertThat(submission.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("Update_Then_Fail")
                    .contains("v1")
                    .contains("Boom")
                    .contains("policy violated"));
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.status()).isEqualTo(RunStatus.ERROR);
    assertThat(run.stages().get(0).status()).isEqualTo(StageStatus.ERROR);
    assertThat(stepNamed(run, "Fail").status()).isEqualTo(StepStatus.ERROR);
    assertThat(stepNamed(run, "Slow").status()).isEqualTo(StepStatus.DISCONTINUED);
    // The flow's UpdateRecords ran before the error; its write was rolled back to the savepoint.
    RecordData after = engine.records().get("Expense", expense.id().orElseThrow());
    assertThat(after.fields()).doesNotContainEntry("Category", "touched");
    assertThat(after.version()).isEqualTo(expense.version());
    // The discontinued step's job is gone: nothing will run for it.
    assertThat(countRows("SELECT COUNT(*) FROM jobs")).isZero();
  }

  @Test
  void aRecordHasAtMostOneSubmissionInProgress() {
    harness.activateFlows("flow-wait-briefly.json");
    engine
        .orchestrations()
        .deploy(orchestration(oneStage("Slow", step("Wait", "Wait_Briefly", STAGE_STARTS))), true);
    RecordData expense = newExpense("10.00");
    SubmissionView first = submit("Slow", expense);

    assertThatThrownBy(() -> submit("Slow", expense))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.CONFLICT.toErrorCode());
              assertThat(e.getMessage()).contains(first.id());
            });
    // The record is locked for non-admins while the submission is in progress.
    assertThatThrownBy(
            () ->
                engine
                    .records()
                    .update(
                        "Expense",
                        expense.id().orElseThrow(),
                        Map.of("Category", "x"),
                        Optional.empty(),
                        "alice"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.RECORD_LOCKED.toErrorCode()));

    harness.awaitEnd(first.runId());
    SubmissionView second = submit("Slow", expense);
    assertThat(second.id()).isNotEqualTo(first.id());
  }

  @Test
  void anOrchestrationReferencingAMissingFlowOrAnUnknownConditionCannotBeActivated() {
    String json =
        oneStage(
            "Broken",
            step("A", "No_Such_Flow", STAGE_STARTS)
                + ","
                + step("B", "No_Such_Flow", "{\"type\": \"NO_SUCH_CONDITION\"}")
                + ","
                + step("C", "No_Such_Flow", after("C")));

    assertThatThrownBy(() -> engine.orchestrations().deploy(orchestration(json), true))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .extracting(problem -> problem.path())
                    .contains(
                        "$.stages[0].steps[0].flow",
                        "$.stages[0].steps[1].start.type",
                        "$.stages[0].steps[2].start.step"));
    assertThat(countRows("SELECT COUNT(*) FROM definitions WHERE kind = 'ORCHESTRATION'")).isZero();
  }

  @Test
  void afterARestartAClaimedJobAndAPendingWaitAreCompletedByTheNextNode() {
    harness.activateFlows("flow-log-only.json", "flow-wait-briefly.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                oneStage(
                    "Restartable",
                    step("Log", "Log_Only", STAGE_STARTS)
                        + ","
                        + step("Wait", "Wait_Briefly", STAGE_STARTS))),
            true);
    // The first node accepts the submission but dies before any worker ran: its jobs hold its
    // lease. (Workers off stands for "killed right after the commit".)
    harness.close();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    SubmissionView submission = submit("Restartable", newExpense("10.00"));
    assertThat(countRows("SELECT COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL")).isEqualTo(2);
    harness.close();

    harness = EngineHarness.start(database);
    engine = harness.engine();
    RunView run = harness.awaitEnd(submission.runId());

    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(stepNamed(run, "Wait").outputs()).containsEntry("waited", true);
    assertThat(awaitEvents(run.id(), 2)).hasSize(2);
  }

  /** The run's STEP_RESULT events, once {@code count} are numbered. */
  private List<OrchestrationEvent> awaitEvents(String runId, int count) {
    return await(EventFilter.ofRun(runId).withKinds(Set.of(EventKind.STEP_RESULT)), count);
  }

  /** Every event of the run, once {@code count} are numbered. */
  private List<OrchestrationEvent> awaitFeed(String runId, int count) {
    return await(EventFilter.ofRun(runId), count);
  }

  private List<OrchestrationEvent> await(EventFilter filter, int count) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<OrchestrationEvent> events = engine.events().page(0, filter, 100).items();
    while (events.size() < count && System.nanoTime() < deadline) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      events = engine.events().page(0, filter, 100).items();
    }
    assertThat(events).hasSize(count);
    return events;
  }

  private long countRows(String sql) {
    return database
        .database()
        .inTransaction(
            tx -> {
              try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                  ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            });
  }
}
