package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waits, due dates and re-checks fire when the virtual clock reaches them, and not a second
 * earlier; flow events resume waiting interviews; all of it on the test's thread.
 */
@OrchestrionTest
@Deploy({
  "expenses/expense.object.json",
  "expenses/mark-in-review.flow.json",
  "expenses/cool-off.flow.json",
  "expenses/await-audit.flow.json",
  "expenses/after-cutoff.flow.json",
  "expenses/expense-approval.orchestration.json",
  "expenses/expense-audit.orchestration.json",
  "expenses/evening-batch.orchestration.json"
})
class VirtualTimeTest {
  private String expense;

  @BeforeEach
  void people(TestEngine engine) {
    engine.addUser("bob");
    engine.addUser("alice", "bob");
    expense =
        engine.createRecord(
            "Expense", Map.of("Title", "Hotel", "Amount", new BigDecimal("240.00")), "alice");
  }

  @Test
  void aWaitEndsWhenTheClockReachesItsEndAndNotBefore(TestEngine engine) {
    Instant submittedAt = engine.now();
    String run = engine.submit("Expense", expense, "Expense_Approval", "alice").runId();
    engine.assertThatRun(run).step("Cool_Off").isInProgress().ranAsynchronously();

    assertThat(engine.advance(Duration.ofHours(24).minusSeconds(1))).isZero();
    engine.assertThatRun(run).isPending().step("Cool_Off").isInProgress();
    assertThat(engine.workItems(run)).isEmpty();

    assertThat(engine.advance(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(engine.now()).isEqualTo(submittedAt.plus(Duration.ofHours(24)));
    engine
        .assertThatRun(run)
        .step("Cool_Off")
        .isCompleted()
        .hasOutput("cooled", true)
        .run()
        .stage("Review")
        .isInProgress()
        .run()
        .workItem("Manager_Approval")
        .isAssigned()
        .isAssignedTo("bob");
    engine.assertThatRun(run).events().evaluating().haveKinds(EventKind.STEP_RESULT);
    engine
        .assertThatRun(run)
        .events()
        .haveKinds(
            EventKind.SUBMITTED,
            EventKind.STAGE_STARTED,
            EventKind.STEP_STARTED,
            EventKind.STEP_STARTED,
            EventKind.STEP_RESULT,
            EventKind.STAGE_COMPLETED,
            EventKind.STAGE_STARTED,
            EventKind.STEP_STARTED,
            EventKind.WORK_ITEM_CREATED);
    engine.assertThatRun(run).events().containStepResult("Cool_Off", StepStatus.COMPLETED);
  }

  @Test
  void aDueDateThatPassesPublishesOverdueAtItsTimeAndTheItemStaysAssigned(TestEngine engine) {
    String run = engine.submit("Expense", expense, "Expense_Approval", "alice").runId();
    engine.advance(Duration.ofHours(24));
    Instant due = engine.now().plus(Duration.ofDays(2));
    engine.assertThatRun(run).workItem("Manager_Approval").isDueAt(due);

    engine.advanceTo(due.minusSeconds(1));
    engine.assertThatRun(run).events().containNoOverdue("Manager_Approval");

    assertThat(engine.advance(Duration.ofSeconds(1))).isEqualTo(1);
    engine
        .assertThatRun(run)
        .isPending()
        .events()
        .evaluating()
        .haveKinds(EventKind.STEP_RESULT, EventKind.OVERDUE)
        .containOverdue("Manager_Approval")
        .run()
        .workItem("Manager_Approval")
        .isAssigned();
    assertThat(
            engine.events(run).stream()
                .filter(event -> event.kind() == EventKind.OVERDUE)
                .findFirst()
                .orElseThrow()
                .payload())
        .containsEntry("step", "Manager_Approval")
        .containsEntry("workItemId", engine.workItem(run, "Manager_Approval").id());

    engine.approve(run, "Manager_Approval", "bob");
    engine.assertThatRun(run).isApproved().workItem("Manager_Approval").wasDecidedBy("bob");
  }

  @Test
  void anItemDecidedInTimeIsNeverOverdue(TestEngine engine) {
    String run = engine.submit("Expense", expense, "Expense_Approval", "alice").runId();
    engine.advance(Duration.ofHours(24));
    engine.reject(run, "Manager_Approval", "bob", "not this hotel");

    // The item's OVERDUE timer still fires (one job run) and finds the item decided: no event.
    engine.advance(Duration.ofDays(3));
    engine
        .assertThatRun(run)
        .isRejected()
        .events()
        .containNoOverdue("Manager_Approval")
        .run()
        .workItem("Manager_Approval")
        .isRejected();
  }

  @Test
  void aRecheckEvaluatesTheRunAgainEveryHourUntilTheGateOpens(TestEngine engine) {
    // Submitted at 09:30; After_Cutoff is true from 18:00; the gate re-checks every hour.
    String run = engine.submit("Expense", expense, "Evening_Batch", "alice").runId();
    engine.assertThatRun(run).isPending().step("Book").isNotStarted();

    for (int hour = 1; hour <= 8; hour++) { // 10:30 ... 17:30
      assertThat(engine.advance(Duration.ofHours(1))).as("re-checks at hour %d", hour).isEqualTo(1);
      engine.assertThatRun(run).as("at %s", engine.now()).step("Book").isNotStarted();
    }
    assertThat(engine.advance(Duration.ofHours(1))).isEqualTo(1); // 18:30
    engine.assertThatRun(run).isApproved().step("Book").isCompleted();
    assertThat(engine.record("Expense", expense).fields()).containsEntry("Status", "In Review");
  }

  @Test
  void aFlowEventResumesTheWaitingInterviewAtOnce(TestEngine engine) {
    String run = engine.submit("Expense", expense, "Expense_Audit", "alice").runId();
    engine.assertThatRun(run).step("Await_Audit").isInProgress();
    assertThat(engine.publishFlowEvent("expense.audited", "someone-else", Map.of())).isZero();

    assertThat(engine.publishFlowEvent("expense.audited", expense, Map.of("verdict", "fine")))
        .isEqualTo(1);
    engine
        .assertThatRun(run)
        .isApproved()
        .step("Await_Audit")
        .isCompleted()
        .hasOutput("verdict", "fine (audited)");
  }

  @Test
  void withoutTheEventTheWaitTimesOut(TestEngine engine) {
    String run = engine.submit("Expense", expense, "Expense_Audit", "alice").runId();

    engine.advance(Duration.ofHours(48));
    engine.assertThatRun(run).isApproved().step("Await_Audit").hasOutput("verdict", "timed out");
    assertThat(engine.publishFlowEvent("expense.audited", expense, Map.of("verdict", "late")))
        .isZero();
  }

  @Test
  void theClockOnlyMovesForward(TestEngine engine, VirtualClock clock) {
    Instant now = clock.instant();
    assertThatThrownBy(() -> engine.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only moves forward");
    assertThatThrownBy(() -> engine.advanceTo(now.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is " + now);
    assertThat(engine.now()).isEqualTo(now).isEqualTo(VirtualClock.DEFAULT_START);
  }

  @Test
  void runDueJobsIsRefusedWhileTheEnginesOwnWorkersRun() {
    DatabaseConfig database =
        new DatabaseConfig("jdbc:h2:mem:kit_workers;DB_CLOSE_DELAY=0", "", "", 4);
    try (OrchestrionEngine engine = OrchestrionEngine.create(EngineConfig.defaults(database))) {
      engine.start();
      assertThatThrownBy(engine::runDueJobs)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("withStartWorkers(false)");
    }
  }
}
