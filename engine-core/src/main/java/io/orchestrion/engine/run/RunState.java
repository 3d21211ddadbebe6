package io.orchestrion.engine.run;

import static io.orchestrion.api.run.EventKind.RUN_CANCELED;
import static io.orchestrion.api.run.EventKind.RUN_COMPLETED;
import static io.orchestrion.api.run.EventKind.RUN_ERROR;
import static io.orchestrion.api.run.EventKind.RUN_REJECTED;
import static io.orchestrion.api.run.EventKind.STAGE_COMPLETED;
import static io.orchestrion.api.run.EventKind.STAGE_STARTED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_CANCELED;
import static io.orchestrion.engine.run.Notifications.fields;

import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.queue.NewJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run with its submission, stage and step instances, loaded under the run's lock (or created by a
 * submit) and changed in memory by an evaluation pass. {@link RunRepository#flush} writes what
 * changed in a few batched statements. Not thread-safe: one pass owns it.
 */
final class RunState {
  final String id;
  final long definitionId;
  final Instant createdAt;
  RunStatus status;
  String currentStageId;
  final Map<String, Object> variables;
  String error;

  /** Values of references at the previous pass, for IS_CHANGED. */
  Map<String, Object> observed = new LinkedHashMap<>();

  // Per evaluation flow: {answer, evaluatedAt, inputs} of the latest pass that ran it.
  Map<String, Object> evaluations = new LinkedHashMap<>();

  /** APPROVE or REJECT when a transition routed there; null otherwise. */
  String outcome;

  /** Whether any work item of the run was rejected. */
  boolean rejected;

  String lastApproverId;
  boolean isNew;
  boolean dirty;

  final Submission submission;
  final List<StageInstance> stages = new ArrayList<>();
  final List<StepInstance> steps = new ArrayList<>();
  final List<WorkItem> workItems = new ArrayList<>();

  // Writes that are not instance rows, collected by the pass and written by flush().
  final List<NewJob> newJobs = new ArrayList<>();
  final List<String> canceledStepJobs = new ArrayList<>();
  final List<NewEvent> newEvents = new ArrayList<>();
  final List<AuditEntry> auditEntries = new ArrayList<>();
  final Notifications notifications = new Notifications(this);
  Instant recheckAt;

  /** The user whose request this unit of work serves; null when the engine itself acts. */
  String actorId;

  /**
   * When the synchronous steps of this call's evaluation passes must end ({@link System#nanoTime}),
   * set by the first pass: the engine's {@code synchronousTimeBudget} from then on.
   */
  long synchronousDeadline;

  boolean synchronousDeadlineSet;

  RunState(
      String id,
      long definitionId,
      Instant createdAt,
      RunStatus status,
      String currentStageId,
      Map<String, Object> variables,
      String error,
      Submission submission) {
    this.id = id;
    this.definitionId = definitionId;
    this.createdAt = createdAt;
    this.status = status;
    this.currentStageId = currentStageId;
    this.variables = new LinkedHashMap<>(variables);
    this.error = error;
    this.submission = submission;
  }

  Optional<StageInstance> currentStage() {
    if (currentStageId == null) {
      return Optional.empty();
    }
    return stages.stream().filter(stage -> stage.id.equals(currentStageId)).findFirst();
  }

  List<StepInstance> stepsOf(StageInstance stage) {
    List<StepInstance> result = new ArrayList<>();
    for (StepInstance step : steps) {
      if (step.stageInstanceId.equals(stage.id)) {
        result.add(step);
      }
    }
    return result;
  }

  /** The latest instance of a step by name (SPEC §5.2: after re-entry, the latest instance). */
  Optional<StepInstance> latestStep(String name) {
    StepInstance latest = null;
    for (StepInstance step : steps) {
      if (step.name.equals(name)) {
        latest = step;
      }
    }
    return Optional.ofNullable(latest);
  }

  Optional<StepInstance> step(String stepInstanceId) {
    return steps.stream().filter(step -> step.id.equals(stepInstanceId)).findFirst();
  }

  void setStatus(RunStatus status, Instant now) {
    this.status = status;
    this.dirty = true;
    submission.updatedAt = now;
  }

  /** The submission of the run; its lifecycle follows the run's (SPEC §3.1). */
  static final class Submission {
    final String id;
    final String runId;
    final String objectType;
    final String recordId;
    final String orchestration;
    final int orchestrationVersion;
    final String submitterId;
    final String comments;
    final Instant createdAt;
    SubmissionStatus status;
    String error;
    Instant updatedAt;
    boolean isNew;
    boolean dirty;

    Submission(
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
      this.id = id;
      this.runId = runId;
      this.objectType = objectType;
      this.recordId = recordId;
      this.orchestration = orchestration;
      this.orchestrationVersion = orchestrationVersion;
      this.submitterId = submitterId;
      this.comments = comments;
      this.createdAt = createdAt;
      this.status = status;
      this.error = error;
      this.updatedAt = updatedAt;
    }

    void setStatus(SubmissionStatus status, String error, Instant now) {
      this.status = status;
      this.error = error;
      this.updatedAt = now;
      this.dirty = true;
    }

    String openRecordKey() {
      return status == SubmissionStatus.IN_PROGRESS ? objectType + "/" + recordId : null;
    }
  }

  static final class StageInstance {
    /** The compiled stage this instance runs: the recall stage has index -1. */
    CompiledOrchestration.Stage compiledIn(CompiledOrchestration orchestration) {
      return stageIndex < 0
          ? orchestration.recallStage().orElseThrow()
          : orchestration.stages().get(stageIndex);
    }

    final String id;
    final String name;
    final int stageIndex;
    final int entryNumber;
    final Instant startedAt;
    StageStatus status;
    Instant endedAt;
    boolean isNew;
    boolean dirty;

    StageInstance(
        String id,
        String name,
        int stageIndex,
        int entryNumber,
        Instant startedAt,
        StageStatus status,
        Instant endedAt) {
      this.id = id;
      this.name = name;
      this.stageIndex = stageIndex;
      this.entryNumber = entryNumber;
      this.startedAt = startedAt;
      this.status = status;
      this.endedAt = endedAt;
    }

    void end(StageStatus status, Instant now) {
      this.status = status;
      this.endedAt = now;
      this.dirty = true;
    }
  }

  static final class StepInstance {
    final String id;
    final String stageInstanceId;
    final String name;
    final int stepIndex;
    final String kind;
    StepStatus status;
    int attempt;
    String flow;
    Integer flowVersion;
    String executionMode;
    String executionReason;
    String runAsUserId;
    String runMode;
    Map<String, Object> outputs;
    String error;
    Instant startedAt;
    Instant endedAt;

    /** The failed step that discontinued this one (SPEC §3.3: retry restarts it). */
    String discontinuedBy;

    boolean isNew;
    boolean dirty;

    StepInstance(String id, String stageInstanceId, String name, int stepIndex, String kind) {
      this.id = id;
      this.stageInstanceId = stageInstanceId;
      this.name = name;
      this.stepIndex = stepIndex;
      this.kind = kind;
      this.status = StepStatus.NOT_STARTED;
      this.outputs = Map.of();
    }

    void setStatus(StepStatus status, Instant now) {
      this.status = status;
      this.dirty = true;
      if (status == StepStatus.IN_PROGRESS) {
        this.startedAt = now;
        this.endedAt = null;
      } else if (status != StepStatus.NOT_STARTED) {
        this.endedAt = now;
      }
    }

    boolean isOpen() {
      return status == StepStatus.NOT_STARTED || status == StepStatus.IN_PROGRESS;
    }
  }

  /** A work item of an approval step (SPEC §8). */
  static final class WorkItem {
    final String id;
    final String stepInstanceId;
    final String stepName;
    final Instant createdAt;
    io.orchestrion.api.run.WorkItemStatus status;
    String assigneeType;
    String assigneeId;
    String decision;
    String comments;
    String decidedBy;

    /** The user on whose behalf {@link #decidedBy}, their delegate, decided; null otherwise. */
    String decidedOnBehalfOf;

    Instant decidedAt;
    Instant dueAt;
    Instant updatedAt;

    /** Which approver of the step's definition (0-based, definition order) the item is for. */
    int approverIndex;

    /** Its level in a MANAGER_CHAIN (1 = the submitter's manager); null for other approvers. */
    Integer chainLevel;

    /** The step attempt that created it: a retried step counts only its new items. */
    int stepAttempt = 1;

    boolean isNew;
    boolean dirty;

    WorkItem(String id, String stepInstanceId, String stepName, Instant createdAt) {
      this.id = id;
      this.stepInstanceId = stepInstanceId;
      this.stepName = stepName;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }

    void setStatus(io.orchestrion.api.run.WorkItemStatus status, Instant now) {
      this.status = status;
      this.updatedAt = now;
      this.dirty = true;
    }
  }

  Optional<WorkItem> workItem(String workItemId) {
    return workItems.stream().filter(item -> item.id.equals(workItemId)).findFirst();
  }

  /** An orchestration event to insert (numbered after commit by the sequencer). */
  record NewEvent(
      String eventId,
      String kind,
      String stepInstanceId,
      String stepStatus,
      Integer attempt,
      String payloadJson,
      Instant publishedAt) {}

  record AuditEntry(
      String action,
      String performerId,
      String performerRole,
      String channel,
      String comments,
      Instant at) {}

  // ---- Transitions (SPEC §3): the run changes itself; the repository writes what changed ----

  void cancelCurrentStage(WorkItemStatus itemStatus, Instant now) {
    currentStage()
        .ifPresent(
            stage -> {
              for (StepInstance step : stepsOf(stage)) {
                if (step.isOpen()) {
                  endStep(step, StepStatus.CANCELED, itemStatus, now);
                }
              }
              stage.end(StageStatus.CANCELED, now);
            });
    currentStageId = null;
    dirty = true;
  }

  StageInstance stageOf(StepInstance step) {
    return stages.stream()
        .filter(stage -> stage.id.equals(step.stageInstanceId))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "step instance " + step.id + " has no stage instance " + step.stageInstanceId));
  }

  /** SPEC §3.3: step, stage, run and submission go to ERROR; running siblings are discontinued. */
  void failStep(StepInstance step, String message, Instant now) {
    step.error = message;
    step.setStatus(StepStatus.ERROR, now);
    currentStage()
        .ifPresent(
            stage -> {
              for (StepInstance sibling : stepsOf(stage)) {
                if (sibling != step && sibling.status == StepStatus.IN_PROGRESS) {
                  discontinue(sibling, now);
                  sibling.discontinuedBy = step.id;
                }
              }
              stage.end(StageStatus.ERROR, now);
            });
    markError("step '%s' failed: %s".formatted(step.name, message), now);
  }

  void fail(String message, Instant now) {
    currentStage()
        .ifPresent(
            stage -> {
              for (StepInstance step : stepsOf(stage)) {
                if (step.status == StepStatus.IN_PROGRESS) {
                  discontinue(step, now);
                }
              }
              stage.end(StageStatus.ERROR, now);
            });
    markError(message, now);
  }

  void markError(String message, Instant now) {
    error = message;
    setStatus(RunStatus.ERROR, now);
    notifications.ofRun(RUN_ERROR, fields("error", message), now);
    // SPEC §3.1: a failing recall stage leaves the submission RECALLED (the run is retryable).
    if (submission.status != SubmissionStatus.RECALLED) {
      submission.setStatus(SubmissionStatus.ERROR, message, now);
    }
  }

  void discontinue(StepInstance step, Instant now) {
    endStep(step, StepStatus.DISCONTINUED, now);
  }

  /**
   * Ends a running step without a result: its interview is canceled (its job removed, so a segment
   * still running is fenced out at commit, SPEC §3.3) and its open work items end with {@code
   * itemStatus}.
   */
  void endStep(StepInstance step, StepStatus status, Instant now) {
    endStep(step, status, WorkItemStatus.CANCELED, now);
  }

  void endStep(StepInstance step, StepStatus status, WorkItemStatus itemStatus, Instant now) {
    step.setStatus(status, now);
    for (WorkItem item : workItems) {
      if (item.stepInstanceId.equals(step.id) && item.status == WorkItemStatus.ASSIGNED) {
        item.setStatus(itemStatus, now);
        notifications.ofWorkItem(WORK_ITEM_CANCELED, item, fields(), now);
      }
    }
    // A job created earlier in this pass is simply not written; a stored one is deleted.
    if (!newJobs.removeIf(job -> job.stepInstanceId().equals(Optional.of(step.id)))) {
      canceledStepJobs.add(step.id);
    }
  }

  void enterStage(CompiledOrchestration.Stage stage, Instant now) {
    int entry = stages.size() + 1;
    StageInstance instance =
        new StageInstance(
            Ids.next(),
            stage.definition().name(),
            stage.index(),
            entry,
            now,
            StageStatus.IN_PROGRESS,
            null);
    instance.isNew = true;
    stages.add(instance);
    notifications.ofStage(STAGE_STARTED, instance, now);
    for (CompiledOrchestration.Step step : stage.steps()) {
      StepInstance stepInstance =
          new StepInstance(
              Ids.next(),
              instance.id,
              step.definition().name(),
              step.index(),
              step.definition() instanceof StepDefinition.ApprovalStep ? "APPROVAL" : "BACKGROUND");
      stepInstance.isNew = true;
      steps.add(stepInstance);
    }
    currentStageId = instance.id;
    dirty = true;
  }

  void completeStage(StageInstance stage, Instant now) {
    for (StepInstance step : stepsOf(stage)) {
      if (step.status == StepStatus.IN_PROGRESS) {
        discontinue(step, now);
      }
    }
    stage.end(StageStatus.COMPLETED, now);
    notifications.ofStage(STAGE_COMPLETED, stage, now);
  }

  /**
   * SPEC §3.1: an explicit routing outcome wins; otherwise APPROVED unless a work item was
   * rejected. An orchestration without approval steps therefore approves every submission.
   */
  void finish(Instant now) {
    boolean approved = outcome != null ? TransitionDefinition.APPROVE.equals(outcome) : !rejected;
    end(RunStatus.COMPLETED, approved ? SubmissionStatus.APPROVED : SubmissionStatus.REJECTED, now);
  }

  /** Ends the run; {@code submissionStatus} null leaves the submission as it is. */
  void end(RunStatus status, SubmissionStatus submissionStatus, Instant now) {
    currentStageId = null;
    setStatus(status, now);
    if (submissionStatus != null) {
      submission.setStatus(submissionStatus, null, now);
    }
    notifications.ofRun(
        status == RunStatus.CANCELED
            ? RUN_CANCELED
            : submission.status == SubmissionStatus.REJECTED ? RUN_REJECTED : RUN_COMPLETED,
        fields("submissionStatus", submission.status.name()),
        now);
  }

  void scheduleRecheck(Instant at) {
    if (recheckAt == null || at.isBefore(recheckAt)) {
      recheckAt = at;
    }
  }

  void completeStep(
      CompiledOrchestration orchestration,
      StepInstance step,
      Map<String, Object> outputs,
      Instant now) {
    step.outputs = new LinkedHashMap<>(outputs);
    step.error = null;
    step.setStatus(StepStatus.COMPLETED, now);
    // The step's own stage instance says which stage (the recall stage included) defines it.
    CompiledOrchestration.Step compiled =
        stageOf(step).compiledIn(orchestration).steps().get(step.stepIndex);
    if (compiled.definition() instanceof StepDefinition.BackgroundStep background) {
      background
          .outputs()
          .forEach(
              (flowOutput, variable) -> {
                variables.put(variable, outputs.get(flowOutput));
                dirty = true;
              });
    }
  }
}
