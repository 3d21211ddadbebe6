package io.orchestrion.engine.run.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.PluginCondition;
import io.orchestrion.engine.testing.EngineHarness;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run aggregate's transitions (docs/architecture.md, "The run aggregate"): each marks exactly
 * the rows it changed, a persisted run is untouched, and the state is what SPEC §3 says.
 */
class RunStateTest {
  private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  private static final String ORCHESTRATION =
      """
      {"apiName": "Model", "objectType": "Expense",
       "variables": [{"name": "risk", "type": "NUMBER"}, {"name": "note", "type": "TEXT"}],
       "stages": [
         {"name": "Intake", "steps": [
           {"name": "Score", "kind": "BACKGROUND", "flow": "Score_Risk",
            "outputs": {"score": "risk"}},
           {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review"}]},
         {"name": "Review", "steps": [
           {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}}]}],
       "recallStage": {"name": "Undo", "steps": [
           {"name": "Tell", "kind": "BACKGROUND", "flow": "Log_Only",
            "outputs": {"note": "note"}}]}}
      """;

  private CompiledOrchestration orchestration;
  private RunState run;

  @BeforeEach
  void setUp() {
    orchestration = compiled(EngineHarness.orchestration(ORCHESTRATION));
    run = RunState.submit(orchestration, "Expense", "e-1", "alice", Optional.of("please"), T0);
  }

  @Test
  void aSubmitCreatesEveryRowNewAndMarksNothingChanged() {
    assertThat(run.isNew()).isTrue();
    assertThat(run.submission().isNew()).isTrue();
    assertThat(run.stages()).singleElement().matches(StageInstance::isNew);
    assertThat(run.steps()).hasSize(2).allMatch(StepInstance::isNew);
    assertThat(run.steps()).extracting(StepInstance::kind).containsOnly(StepKind.BACKGROUND);
    assertThat(run.currentStage().map(StageInstance::name)).contains("Intake");
    assertThat(run.submission().openRecordKey()).contains("Expense/e-1");
    assertThat(run.outbox().auditEntries())
        .extracting(RunOutbox.AuditEntry::action)
        .containsExactly("SUBMIT");
    assertThat(kinds()).containsExactly(EventKind.SUBMITTED, EventKind.STAGE_STARTED);
    assertThat(changedRows()).isEmpty();
  }

  @Test
  void aPersistedRunIsUntouched() {
    run.markPersisted(0);

    assertThat(newRows()).isEmpty();
    assertThat(changedRows()).isEmpty();
    assertThat(run.outbox().newJobs()).isEmpty();
    assertThat(run.outbox().auditEntries()).isEmpty();
    assertThat(run.notifications().isEmpty()).isTrue();
  }

  @Test
  void startingAStepMarksOnlyThatStep() {
    run.markPersisted(0);
    StepInstance score = step("Score");

    run.startStep(score, T1);

    assertThat(changedRows()).containsExactly("step Score");
    assertThat(score.status()).isEqualTo(StepStatus.IN_PROGRESS);
    assertThat(score.attempt()).isEqualTo(1);
    assertThat(score.startedAt()).contains(T1);
    assertThat(kinds()).containsExactly(EventKind.STEP_STARTED);
  }

  @Test
  void completingABackgroundStepMapsItsOutputsIntoVariablesAndMarksTheRun() {
    StepInstance score = step("Score");
    run.startStep(score, T0);
    run.markPersisted(0);

    run.completeStep(orchestration, score, Map.of("score", 42), T1);

    assertThat(changedRows()).containsExactlyInAnyOrder("run", "step Score");
    assertThat(run.variables()).containsEntry("risk", 42);
    assertThat(score.outputs()).containsEntry("score", 42);
    assertThat(score.endedAt()).contains(T1);
  }

  @Test
  void completeStepFindsTheStepInTheRecallStageByItsStageInstance() {
    run.recall(Optional.empty(), T1);
    run.enterRecallStage(orchestration.recallStage().orElseThrow(), T1);
    StepInstance tell = step("Tell");
    run.startStep(tell, T1);
    run.markPersisted(0);

    run.completeStep(orchestration, tell, Map.of("note", "undone"), T1);

    assertThat(run.variables()).containsEntry("note", "undone");
    assertThat(changedRows()).containsExactlyInAnyOrder("run", "step Tell");
  }

  @Test
  void aFailingStepDiscontinuesItsRunningSiblingAndFailsStageRunAndSubmission() {
    StepInstance score = step("Score");
    StepInstance mark = step("Mark");
    run.startStep(score, T0);
    run.startStep(mark, T0);
    run.markPersisted(0);

    run.failStep(score, "boom", T1);

    assertThat(changedRows())
        .containsExactlyInAnyOrder("run", "submission", "stage Intake", "step Score", "step Mark");
    assertThat(score.status()).isEqualTo(StepStatus.ERROR);
    assertThat(score.error()).contains("boom");
    assertThat(mark.status()).isEqualTo(StepStatus.DISCONTINUED);
    assertThat(mark.discontinuedBy()).contains(score.id());
    assertThat(run.status()).isEqualTo(RunStatus.ERROR);
    assertThat(run.error()).contains("step 'Score' failed: boom");
    assertThat(run.submission().status()).isEqualTo(SubmissionStatus.ERROR);
    // The discontinued step's stored job goes; the failed step's segment is the one reporting.
    assertThat(run.outbox().canceledStepJobs()).containsExactly(mark.id());
  }

  @Test
  void aRetryReopensTheStageAndRestartingAStepForgetsItsError() {
    StepInstance score = step("Score");
    run.startStep(score, T0);
    run.failStep(score, "boom", T0);
    run.markPersisted(0);

    run.retry(run.currentStage().orElseThrow(), T1);
    run.startStep(score, T1);

    assertThat(changedRows())
        .containsExactlyInAnyOrder("run", "submission", "stage Intake", "step Score");
    assertThat(run.currentStage().orElseThrow().status()).isEqualTo(StageStatus.IN_PROGRESS);
    assertThat(run.currentStage().orElseThrow().endedAt()).isEmpty();
    assertThat(run.error()).isEmpty();
    assertThat(score.error()).isEmpty();
    assertThat(score.attempt()).isEqualTo(2);
    assertThat(run.submission().status()).isEqualTo(SubmissionStatus.IN_PROGRESS);
  }

  @Test
  void suspendingWritesOnlyTheRunRow() {
    run.markPersisted(0);

    run.suspend(T1);

    assertThat(changedRows()).containsExactly("run");
    assertThat(run.status()).isEqualTo(RunStatus.SUSPENDED);
    assertThat(run.submission().updatedAt()).isEqualTo(T1);
    assertThat(kinds()).containsExactly(EventKind.RUN_SUSPENDED);
  }

  @Test
  void workItemsAreAssignedDecidedAndSettledThroughTheAggregate() {
    StageInstance intake = run.currentStage().orElseThrow();
    run.completeStage(intake, T0);
    run.enterStage(orchestration.stages().get(1), T0);
    StepInstance approve = step("Approve");
    assertThat(approve.kind()).isEqualTo(StepKind.APPROVAL);
    run.startStep(approve, T0);
    WorkItem bob = run.assign(placement(approve, 0), Assignee.user("bob"), T0);
    WorkItem finance = run.assign(placement(approve, 1), Assignee.queue("Finance"), T0);
    run.markPersisted(0);

    run.decide(bob, Decision.REJECT, Optional.of("no"), "bob", Optional.empty(), T1);
    assertThat(changedRows()).containsExactly("item bob");
    assertThat(bob.status()).isEqualTo(WorkItemStatus.REJECTED);
    assertThat(bob.decision()).contains(Decision.REJECT);
    assertThat(bob.decidedBy()).contains("bob");
    assertThat(bob.decidedAt()).contains(T1);

    run.recordApprover("bob");
    run.settle(orchestration, approve, false, Map.of("approvalDecision", "REJECT"), T1);

    assertThat(changedRows())
        .containsExactlyInAnyOrder("run", "item bob", "item Finance", "step Approve");
    assertThat(finance.status()).isEqualTo(WorkItemStatus.CANCELED);
    assertThat(approve.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(run.rejected()).isTrue();
    assertThat(run.lastApproverId()).contains("bob");

    run.rejectSubmission(T1);
    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.submission().status()).isEqualTo(SubmissionStatus.REJECTED);
    assertThat(run.submission().openRecordKey()).isEmpty();
  }

  @Test
  void reassigningNamesThePreviousAssigneeAndMarksOnlyTheItem() {
    run.completeStage(run.currentStage().orElseThrow(), T0);
    run.enterStage(orchestration.stages().get(1), T0);
    StepInstance approve = step("Approve");
    run.startStep(approve, T0);
    WorkItem item = run.assign(placement(approve, 0), Assignee.user("bob"), T0);
    run.markPersisted(0);

    run.reassign(item, Assignee.group("Managers"), EventKind.WORK_ITEM_REASSIGNED, Map.of(), T1);

    assertThat(changedRows()).containsExactly("item Managers");
    assertThat(item.assignee()).isEqualTo(Assignee.group("Managers"));
    assertThat(item.updatedAt()).isEqualTo(T1);
    assertThat(run.notifications().pending())
        .singleElement()
        .satisfies(
            notification ->
                assertThat(notification.payload())
                    .containsEntry("assigneeType", "GROUP")
                    .containsEntry("fromAssigneeType", "USER")
                    .containsEntry("fromAssigneeId", "bob"));
  }

  @Test
  void routingToAnOutcomeDecidesTheSubmission() {
    run.markPersisted(0);

    run.routeTo(Outcome.REJECT, T1);

    assertThat(changedRows()).containsExactlyInAnyOrder("run", "submission");
    assertThat(run.outcome()).contains(Outcome.REJECT);
    assertThat(run.currentStage()).isEmpty();
    assertThat(run.submission().status()).isEqualTo(SubmissionStatus.REJECTED);
    assertThat(kinds()).containsExactly(EventKind.RUN_REJECTED);
  }

  // ---- helpers ----

  private StepInstance step(String name) {
    return run.latestStep(name).orElseThrow();
  }

  private static WorkItem.Placement placement(StepInstance step, int approver) {
    return new WorkItem.Placement(
        step.id(), step.name(), step.attempt(), approver, Optional.empty(), Optional.empty());
  }

  private List<EventKind> kinds() {
    return run.notifications().pending().stream().map(Notifications.Notification::kind).toList();
  }

  /** The rows the repository would update, named "run", "submission", "stage X", "step X"... */
  private List<String> changedRows() {
    List<String> rows = new ArrayList<>();
    if (run.isChanged()) {
      rows.add("run");
    }
    if (run.submission().isChanged()) {
      rows.add("submission");
    }
    run.stages().stream()
        .filter(StageInstance::isChanged)
        .forEach(s -> rows.add("stage " + s.name()));
    run.steps().stream().filter(StepInstance::isChanged).forEach(s -> rows.add("step " + s.name()));
    run.workItems().stream()
        .filter(WorkItem::isChanged)
        .forEach(item -> rows.add("item " + item.assignee().id()));
    return rows;
  }

  private List<String> newRows() {
    List<String> rows = new ArrayList<>();
    if (run.isNew() || run.submission().isNew()) {
      rows.add("run");
    }
    run.stages().stream().filter(StageInstance::isNew).forEach(s -> rows.add(s.name()));
    run.steps().stream().filter(StepInstance::isNew).forEach(s -> rows.add(s.name()));
    run.workItems().stream().filter(WorkItem::isNew).forEach(item -> rows.add(item.id()));
    return rows;
  }

  /** The orchestration as compiled for a run, with conditions this test never evaluates. */
  private static CompiledOrchestration compiled(OrchestrationDefinition definition) {
    List<CompiledOrchestration.Stage> stages = new ArrayList<>();
    for (int i = 0; i < definition.stages().size(); i++) {
      stages.add(stage(i, definition.stages().get(i)));
    }
    return new CompiledOrchestration(
        1L,
        1,
        definition,
        ZoneOffset.UTC,
        stages,
        definition.recallStage().map(recall -> stage(-1, recall)));
  }

  private static CompiledOrchestration.Stage stage(int index, StageDefinition definition) {
    List<CompiledOrchestration.Step> steps = new ArrayList<>();
    for (int i = 0; i < definition.steps().size(); i++) {
      steps.add(new CompiledOrchestration.Step(i, definition.steps().get(i), never()));
    }
    return new CompiledOrchestration.Stage(index, definition, steps, never(), List.of());
  }

  private static PluginCondition never() {
    return new PluginCondition(
        "NEVER",
        "test",
        RunStateTest.class.getClassLoader(),
        context -> {
          throw new AssertionError("conditions are not evaluated here");
        });
  }
}
