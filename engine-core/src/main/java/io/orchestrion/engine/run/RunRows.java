package io.orchestrion.engine.run;

import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.StepKind;
import io.orchestrion.engine.run.model.Submission;
import io.orchestrion.engine.run.model.WorkItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The committed rows of a run's parts at one revision of the run — its submission, stage instances,
 * step instances and work items — as immutable values: what {@link RunLoader} reads from the
 * database, and what {@link RunCache} keeps once the transaction that wrote or read them has
 * committed. Every {@link #toState} builds a new {@link RunState} of its own from them, exactly as
 * a load from the tables would (JSON columns as text, read again; instants, truncated messages and
 * the order of the parts as stored), so no two transactions ever share a mutable aggregate.
 */
record RunRows(
    String runId,
    long revision,
    SubmissionRow submission,
    List<StageRow> stages,
    List<StepRow> steps,
    List<WorkItemRow> workItems) {

  /** Work items in the order the loader reads them ({@code created_at, approver_index, id}). */
  static final Comparator<WorkItemRow> WORK_ITEM_ORDER =
      Comparator.comparing(WorkItemRow::createdAt)
          .thenComparingInt(row -> row.placement().approverIndex())
          .thenComparing(WorkItemRow::id);

  /** Steps in stage entry order, then definition order: "latest instance" lookups rely on it. */
  static Comparator<StepRow> stepOrder(List<StageRow> stages) {
    Map<String, Integer> entry = new HashMap<>();
    for (StageRow stage : stages) {
      entry.put(stage.id(), stage.entryNumber());
    }
    return Comparator.<StepRow>comparingInt(step -> entry.getOrDefault(step.stageInstanceId(), 0))
        .thenComparingInt(StepRow::stepIndex);
  }

  RunRows {
    stages = List.copyOf(stages);
    steps = List.copyOf(steps);
    workItems = List.copyOf(workItems);
  }

  /** A submission row ({@code comments}, {@code error} nullable). */
  record SubmissionRow(
      String id,
      String runId,
      String objectType,
      String recordId,
      String orchestration,
      int orchestrationVersion,
      String submitterId,
      String comments,
      Instant createdAt,
      SubmissionStatus status,
      String error,
      Instant updatedAt) {
    Submission toSubmission() {
      return new Submission(
          id,
          runId,
          objectType,
          recordId,
          orchestration,
          orchestrationVersion,
          submitterId,
          comments,
          createdAt,
          status,
          error,
          updatedAt);
    }
  }

  /** A stage instance row ({@code endedAt} nullable). */
  record StageRow(
      String id,
      String name,
      int stageIndex,
      int entryNumber,
      Instant startedAt,
      StageStatus status,
      Instant endedAt) {
    StageInstance toStage() {
      return new StageInstance(id, name, stageIndex, entryNumber, startedAt, status, endedAt);
    }
  }

  /**
   * A step instance row: {@code stored} without its outputs, which are kept as the JSON text of the
   * column ({@code outputsJson}, null for none).
   */
  record StepRow(
      String id,
      String stageInstanceId,
      String name,
      int stepIndex,
      StepKind kind,
      StepInstance.Stored stored,
      String outputsJson) {
    /**
     * The row of {@code step} as a flush stores it: its error truncated like the column, its
     * outputs as the JSON {@code outputsJson} gives (none for no outputs).
     */
    static StepRow written(StepInstance step, Function<StepInstance, String> outputsJson) {
      return new StepRow(
          step.id(),
          step.stageInstanceId(),
          step.name(),
          step.stepIndex(),
          step.kind(),
          new StepInstance.Stored(
              step.status(),
              step.attempt(),
              step.flow().orElse(null),
              step.flowVersion().orElse(null),
              step.executionMode().orElse(null),
              step.executionReason().orElse(null),
              step.runAsUserId().orElse(null),
              step.runMode().orElse(null),
              null,
              Sql.truncate(step.error().orElse(null)),
              step.startedAt().orElse(null),
              step.endedAt().orElse(null),
              step.discontinuedBy().orElse(null)),
          step.outputs().isEmpty() ? null : outputsJson.apply(step));
    }

    StepInstance toStep(RunJson json) {
      Map<String, Object> outputs = outputsJson == null ? Map.of() : json.readMap(outputsJson);
      StepInstance.Stored s = stored;
      return new StepInstance(
          id,
          stageInstanceId,
          name,
          stepIndex,
          kind,
          new StepInstance.Stored(
              s.status(),
              s.attempt(),
              s.flow(),
              s.flowVersion(),
              s.executionMode(),
              s.executionReason(),
              s.runAsUserId(),
              s.runMode(),
              outputs,
              s.error(),
              s.startedAt(),
              s.endedAt(),
              s.discontinuedBy()));
    }
  }

  /** A work item row. */
  record WorkItemRow(
      String id,
      WorkItem.Placement placement,
      Instant createdAt,
      WorkItemStatus status,
      Assignee assignee,
      WorkItem.StoredDecision decision,
      Instant updatedAt) {
    WorkItem toWorkItem() {
      return new WorkItem(id, placement, createdAt, status, assignee, decision, updatedAt);
    }
  }

  /** How many rows the parts have: what the cache counts towards its bound. */
  int rowCount() {
    return 1 + stages.size() + steps.size() + workItems.size();
  }

  /** A new aggregate of its own, with {@code run} (the {@code runs} row read under the lock). */
  RunState toState(RunState.Stored run, RunJson json) {
    List<StepInstance> builtSteps = new ArrayList<>(steps.size());
    for (StepRow step : steps) {
      builtSteps.add(step.toStep(json));
    }
    return new RunState(
        run,
        submission.toSubmission(),
        stages.stream().map(StageRow::toStage).toList(),
        builtSteps,
        workItems.stream().map(WorkItemRow::toWorkItem).toList());
  }

  /**
   * The rows of {@code run} as its flush has just written them (after {@link
   * RunState#markPersisted}): the values as stored — messages truncated like the columns, the
   * submission's own {@code updated_at}, outputs as the JSON {@code outputsJson} gives (the text
   * the flush wrote for the steps it wrote).
   */
  static RunRows written(RunState run, Function<StepInstance, String> outputsJson) {
    Submission s = run.submission();
    SubmissionRow submission =
        new SubmissionRow(
            s.id(),
            s.runId(),
            s.objectType(),
            s.recordId(),
            s.orchestration(),
            s.orchestrationVersion(),
            s.submitterId(),
            s.comments().orElse(null),
            s.createdAt(),
            s.status(),
            Sql.truncate(s.error().orElse(null)),
            s.storedUpdatedAt());
    List<StageRow> stages = new ArrayList<>();
    for (StageInstance stage : run.stages()) {
      stages.add(
          new StageRow(
              stage.id(),
              stage.name(),
              stage.stageIndex(),
              stage.entryNumber(),
              stage.startedAt(),
              stage.status(),
              stage.endedAt().orElse(null)));
    }
    stages.sort(Comparator.comparingInt(StageRow::entryNumber));
    List<StepRow> steps = new ArrayList<>();
    for (StepInstance step : run.steps()) {
      steps.add(StepRow.written(step, outputsJson));
    }
    steps.sort(stepOrder(stages));
    List<WorkItemRow> items = new ArrayList<>();
    for (WorkItem item : run.workItems()) {
      items.add(
          new WorkItemRow(
              item.id(),
              new WorkItem.Placement(
                  item.stepInstanceId(),
                  item.stepName(),
                  item.stepAttempt(),
                  item.approverIndex(),
                  item.chainLevel(),
                  item.dueAt()),
              item.createdAt(),
              item.status(),
              item.assignee(),
              new WorkItem.StoredDecision(
                  item.decision().orElse(null),
                  Sql.truncate(item.comments().orElse(null)),
                  item.decidedBy().orElse(null),
                  item.decidedOnBehalfOf().orElse(null),
                  item.decidedAt().orElse(null)),
              item.updatedAt()));
    }
    items.sort(WORK_ITEM_ORDER);
    return new RunRows(run.id(), run.revision(), submission, stages, steps, items);
  }
}
