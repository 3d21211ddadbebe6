package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each assertion fails when it should, saying what was expected, what was found, and what the whole
 * run looked like; and passes when it should (the other tests rely on that).
 */
@OrchestrionTest
@Deploy({
  "expenses/expense.object.json",
  "expenses/mark-in-review.flow.json",
  "expenses/cool-off.flow.json",
  "expenses/expense-approval.orchestration.json"
})
class AssertionMessagesTest {
  private TestEngine engine;
  private String run;

  /** A run waiting for bob's decision, with one STEP_RESULT event. */
  @BeforeEach
  void aRunWaitingForTheManager(TestEngine testEngine) {
    engine = testEngine;
    engine.addUser("bob");
    engine.addUser("alice", "bob");
    String expense =
        engine.createRecord(
            "Expense", Map.of("Title", "Taxi", "Amount", new BigDecimal("31.50")), "alice");
    run = engine.submit("Expense", expense, "Expense_Approval", "alice").runId();
    engine.advance(Duration.ofHours(24));
  }

  @Test
  void runAndSubmissionStatus() {
    engine.assertThatRun(run).isInProgress().isPending();

    assertThatThrownBy(() -> engine.assertThatRun(run).isApproved())
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expected the submission to be APPROVED but it is IN_PROGRESS\n")
        // the whole run follows, so that the failure explains itself
        .hasMessageContaining("run " + run + " (Expense_Approval v1) IN_PROGRESS")
        .hasMessageContaining("stage Intake COMPLETED")
        .hasMessageContaining("step Cool_Off (BACKGROUND) COMPLETED, ASYNC, outputs {cooled=true}")
        .hasMessageContaining("stage Review IN_PROGRESS")
        .hasMessageContaining("work items: Manager_Approval ASSIGNED to USER bob, due ")
        .hasMessageContaining("events:")
        .hasMessageContaining(" STEP_RESULT Cool_Off COMPLETED\n")
        .hasMessageContaining(" SUBMITTED by alice\n");
    assertThatThrownBy(() -> engine.assertThatRun(run).hasStatus(RunStatus.COMPLETED))
        .hasMessageStartingWith("Expected the run to be COMPLETED but it is IN_PROGRESS");
    assertThatThrownBy(() -> engine.assertThatRun(run).hasNoOpenWorkItems())
        .hasMessageStartingWith(
            "Expected no ASSIGNED work item but found: Manager_Approval ASSIGNED to USER bob");
  }

  @Test
  void stagesAndSteps() {
    engine.assertThatRun(run).stage("Intake").isCompleted().step("Mark").isCompleted();

    assertThatThrownBy(() -> engine.assertThatRun(run).stage("Intake").isInProgress())
        .hasMessageStartingWith("Expected stage 'Intake' to be IN_PROGRESS but it is COMPLETED");
    assertThatThrownBy(() -> engine.assertThatRun(run).stage("Payment"))
        .hasMessageStartingWith("Expected the run to have a stage 'Payment'\n")
        .hasMessageContaining("stage Review IN_PROGRESS");
    assertThatThrownBy(() -> engine.assertThatRun(run).stage("Review").step("Mark"))
        .hasMessageStartingWith("Expected stage 'Review' to have a step 'Mark'");
    assertThatThrownBy(() -> engine.assertThatRun(run).step("Mark").isInProgress())
        .hasMessageStartingWith("Expected step 'Mark' to be IN_PROGRESS but it is COMPLETED");
    assertThatThrownBy(() -> engine.assertThatRun(run).step("Mark").ranAsynchronously())
        .hasMessageStartingWith("Expected step 'Mark' to run ASYNC but it ran SYNC");
    assertThatThrownBy(() -> engine.assertThatRun(run).step("Manager_Approval").ranSynchronously())
        .hasMessageStartingWith("Expected step 'Manager_Approval' to run SYNC but it has no flow");
    assertThatThrownBy(() -> engine.assertThatRun(run).step("Cool_Off").hasOutput("cooled", false))
        .hasMessageStartingWith(
            "Expected step 'Cool_Off' to have output cooled = false but its outputs are"
                + " {cooled=true}");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).step("Cool_Off").hasErrorContaining("timeout"))
        .hasMessageStartingWith("Expected step 'Cool_Off' to be ERROR but it is COMPLETED");
    assertThatThrownBy(() -> engine.assertThatRun(run).step("Audit"))
        .hasMessageStartingWith("Expected the run to have a step 'Audit'");
  }

  @Test
  void workItems() {
    engine.assertThatRun(run).workItem("Manager_Approval").isAssigned().isAssignedTo("bob");

    assertThatThrownBy(
            () -> engine.assertThatRun(run).workItem("Manager_Approval").isAssignedTo("carol"))
        .hasMessageStartingWith(
            "Expected the work item of step 'Manager_Approval' to be assigned to USER carol but"
                + " it is assigned to USER bob");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).workItem("Manager_Approval").isAssignedToQueue("bob"))
        .hasMessageStartingWith(
            "Expected the work item of step 'Manager_Approval' to be assigned to QUEUE bob");
    assertThatThrownBy(() -> engine.assertThatRun(run).workItem("Manager_Approval").isApproved())
        .hasMessageStartingWith(
            "Expected the work item of step 'Manager_Approval' to be APPROVED but it is ASSIGNED");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).workItem("Manager_Approval").wasDecidedBy("bob"))
        .hasMessageStartingWith(
            "Expected the work item of step 'Manager_Approval' to be decided by bob but it is"
                + " undecided");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).workItem("Manager_Approval").isDueAt(engine.now()))
        .hasMessageStartingWith(
            "Expected the work item of step 'Manager_Approval' to be due at "
                + engine.now()
                + " but it is due at "
                + engine.now().plus(Duration.ofDays(2)));
    assertThatThrownBy(() -> engine.assertThatRun(run).workItem("Mark"))
        .hasMessageStartingWith("Expected the run to have a work item of step 'Mark'");
    assertThatThrownBy(() -> engine.approve(run, "Mark", "bob"))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "run %s has no work item of step 'Mark'; its work items: Manager_Approval ASSIGNED to"
                    .formatted(run)
                + " USER bob, due "
                + engine.now().plus(Duration.ofDays(2)));

    engine.approve(run, "Manager_Approval", "bob");
    assertThatThrownBy(() -> engine.approve(run, "Manager_Approval", "bob"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "the work item of step 'Manager_Approval' in run %s is APPROVED, not ASSIGNED"
                .formatted(run));
  }

  @Test
  void events() {
    engine
        .assertThatRun(run)
        .events()
        .haveKindsInOrder(EventKind.SUBMITTED, EventKind.STEP_RESULT, EventKind.WORK_ITEM_CREATED)
        .contain(EventKind.STEP_STARTED, "Cool_Off")
        .containStepResult("Cool_Off", StepStatus.COMPLETED)
        .containNoOverdue("Manager_Approval")
        .evaluating()
        .haveKinds(EventKind.STEP_RESULT);
    List<EventKind> kinds = engine.events(run).stream().map(OrchestrationEvent::kind).toList();

    assertThatThrownBy(() -> engine.assertThatRun(run).events().haveKinds())
        .hasMessageStartingWith(
            "Expected the run's events to be of kinds [] but they are " + kinds + "\n");
    assertThatThrownBy(() -> engine.assertThatRun(run).events().evaluating().isEmpty())
        .hasMessageStartingWith(
            "Expected the run's events that make the run evaluate to be none but they are"
                + " [STEP_RESULT]\n");
    assertThatThrownBy(
            () ->
                engine
                    .assertThatRun(run)
                    .events()
                    .haveKindsInOrder(EventKind.WORK_ITEM_CREATED, EventKind.SUBMITTED))
        .hasMessageStartingWith(
            "Expected the run's events to have kinds [WORK_ITEM_CREATED, SUBMITTED] in this order"
                + " but they are "
                + kinds
                + " (SUBMITTED not found after [WORK_ITEM_CREATED])");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).events().containKind(EventKind.RUN_COMPLETED))
        .hasMessageStartingWith("Expected the run's events to contain a RUN_COMPLETED event");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).events().doNotContainKind(EventKind.SUBMITTED))
        .hasMessageStartingWith("Expected the run's events to contain no SUBMITTED event");
    assertThatThrownBy(
            () ->
                engine
                    .assertThatRun(run)
                    .events()
                    .about("Mark")
                    .contain(EventKind.WORK_ITEM_CREATED, "Mark"))
        .hasMessageStartingWith(
            "Expected the run's events about step 'Mark' to contain a WORK_ITEM_CREATED event for"
                + " step 'Mark'");
    assertThatThrownBy(() -> engine.assertThatRun(run).events().containOverdue("Manager_Approval"))
        .hasMessageStartingWith("Expected an OVERDUE event for step 'Manager_Approval'");
    assertThatThrownBy(
            () ->
                engine.assertThatRun(run).events().containStepResult("Cool_Off", StepStatus.ERROR))
        .hasMessageStartingWith("Expected a STEP_RESULT event for step 'Cool_Off' ERROR");
    assertThatThrownBy(
            () ->
                engine
                    .assertThatRun(run)
                    .events()
                    .containDecision("Manager_Approval", "APPROVE", "bob"))
        .hasMessageStartingWith(
            "Expected a WORK_ITEM_DECIDED event for step 'Manager_Approval': APPROVE by bob");
    assertThatThrownBy(() -> engine.assertThatRun(run).events().containManual("reason", "audit"))
        .hasMessageStartingWith("Expected a MANUAL event with reason = audit");

    engine.publishManualEvent(run, Map.of("reason", "audit"), "bob");
    engine.approve(run, "Manager_Approval", "bob");
    engine
        .assertThatRun(run)
        .events()
        .containManual("reason", "audit")
        .containDecision("Manager_Approval", "APPROVE", "bob")
        .haveKindsInOrder(EventKind.MANUAL, EventKind.WORK_ITEM_DECIDED, EventKind.RUN_COMPLETED)
        .evaluating()
        .haveKinds(EventKind.STEP_RESULT, EventKind.MANUAL);
  }

  @Test
  void aDescriptionGivenWithAsComesFirst() {
    assertThatThrownBy(() -> engine.assertThatRun(run).as("after a day").isApproved())
        .hasMessageStartingWith("[after a day] Expected the submission to be APPROVED");
    assertThatThrownBy(
            () -> engine.assertThatRun(run).step("Mark").as("the intake step").isInProgress())
        .hasMessageStartingWith("[the intake step] Expected step 'Mark' to be IN_PROGRESS");
  }

  @Test
  void aSnapshotKeepsTheStateItWasTakenIn() {
    RunSnapshot before = engine.snapshot(run);
    engine.approve(run, "Manager_Approval", "bob");

    OrchestrionAssertions.assertThat(before).isPending().workItem("Manager_Approval").isAssigned();
    engine.assertThatRun(run).isApproved().workItem("Manager_Approval").isApproved();
    assertThat(before.toString()).contains("submission IN_PROGRESS, at " + engine.now());
  }
}
