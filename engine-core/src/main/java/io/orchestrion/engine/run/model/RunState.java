package io.orchestrion.engine.run.model;

import static io.orchestrion.api.run.EventKind.RECALLED;
import static io.orchestrion.api.run.EventKind.RUN_CANCELED;
import static io.orchestrion.api.run.EventKind.RUN_COMPLETED;
import static io.orchestrion.api.run.EventKind.RUN_ERROR;
import static io.orchestrion.api.run.EventKind.RUN_REJECTED;
import static io.orchestrion.api.run.EventKind.RUN_RESUMED;
import static io.orchestrion.api.run.EventKind.RUN_SUSPENDED;
import static io.orchestrion.api.run.EventKind.STAGE_COMPLETED;
import static io.orchestrion.api.run.EventKind.STAGE_STARTED;
import static io.orchestrion.api.run.EventKind.STEP_STARTED;
import static io.orchestrion.api.run.EventKind.SUBMITTED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_CANCELED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_CREATED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_DECIDED;
import static io.orchestrion.engine.run.model.Notifications.fields;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run aggregate: a run with its submission, stage and step instances and work items, loaded
 * under the run's lock (or created by a submit) and changed in memory by one command. Its state
 * changes only through the transitions below (SPEC §3), each of which marks the rows it changed and
 * adds its notifications; the repository writes what changed and calls {@link #markPersisted}.
 * Fields and reads are in {@link RunRoot}. Not thread-safe: one command owns it.
 */
public final class RunState extends RunRoot {
  /** A stored run with its submission and instances, as the repository loads it. */
  public RunState(
      Stored run,
      Submission submission,
      List<StageInstance> stages,
      List<StepInstance> steps,
      List<WorkItem> workItems) {
    super(run, submission, stages, steps, workItems);
  }

  /**
   * A new submission of {@code orchestration} by {@code submitterId}: its run, with its variables'
   * defaults, in the first stage (SUBMITTED, STAGE_STARTED and the SUBMIT audit entry).
   */
  public static RunState submit(
      CompiledOrchestration orchestration,
      String objectType,
      String recordId,
      String submitterId,
      Optional<String> comments,
      Instant now) {
    String runId = Ids.next();
    Submission submission =
        Submission.created(
            runId,
            objectType,
            recordId,
            orchestration.apiName(),
            orchestration.version(),
            submitterId,
            comments,
            now);
    Map<String, Object> variables = new LinkedHashMap<>();
    for (var variable : orchestration.definition().variables()) {
      variables.put(variable.name(), variable.defaultValue().orElse(null));
    }
    RunState run =
        new RunState(
            new Stored(
                runId,
                0,
                orchestration.definitionId(),
                now,
                RunStatus.IN_PROGRESS,
                null,
                variables,
                null,
                Map.of(),
                Map.of(),
                null,
                false,
                null),
            submission,
            List.of(),
            List.of(),
            List.of());
    run.markNew();
    run.setActor(submitterId);
    run.outbox()
        .audit(new RunOutbox.AuditEntry("SUBMIT", submitterId, "SUBMITTER", "API", comments, now));
    run.notifications()
        .ofRun(
            SUBMITTED,
            fields(
                "orchestration",
                orchestration.apiName(),
                "version",
                orchestration.version(),
                "comments",
                comments.orElse(null)),
            now);
    run.enterStage(orchestration.stages().get(0), now);
    return run;
  }

  // ---- Transitions of the run (SPEC §3.1, §3.2, §5.3) ----

  public void enterStage(CompiledOrchestration.Stage stage, Instant now) {
    StageInstance instance = StageInstance.entered(stage, stages().size() + 1, now);
    addStage(instance);
    notifications().ofStage(STAGE_STARTED, instance, now);
    for (CompiledOrchestration.Step step : stage.steps()) {
      addStep(
          StepInstance.created(
              instance.id(),
              step.definition().name(),
              step.index(),
              StepKind.of(step.definition())));
    }
    setCurrentStage(instance.id());
  }

  /** The current stage's open steps end: the stage is COMPLETED (STAGE_COMPLETED). */
  public void completeStage(StageInstance stage, Instant now) {
    for (StepInstance step : stepsOf(stage)) {
      if (step.status() == StepStatus.IN_PROGRESS) {
        discontinue(step, now);
      }
    }
    stage.end(StageStatus.COMPLETED, now);
    notifications().ofStage(STAGE_COMPLETED, stage, now);
  }

  /** SPEC §5.4: a transition routed to APPROVE or REJECT; the run finishes with that outcome. */
  public void routeTo(Outcome outcome, Instant now) {
    setOutcome(outcome);
    finish(now);
  }

  /**
   * SPEC §3.1: an explicit routing outcome wins; otherwise APPROVED unless a work item was
   * rejected. An orchestration without approval steps therefore approves every submission.
   */
  public void finish(Instant now) {
    boolean approved = outcome().map(routed -> routed == Outcome.APPROVE).orElse(!rejected());
    end(RunStatus.COMPLETED, approved ? SubmissionStatus.APPROVED : SubmissionStatus.REJECTED, now);
  }

  /** SPEC §5.4: a rejection with REJECT_SUBMISSION ends the run at once, REJECTED. */
  public void rejectSubmission(Instant now) {
    currentStage().ifPresent(stage -> completeStage(stage, now));
    end(RunStatus.COMPLETED, SubmissionStatus.REJECTED, now);
  }

  /**
   * SPEC §3.1: the submission is RECALLED; the current stage and its unfinished steps are CANCELED,
   * its open work items RECALLED. The run enters the recall stage or ends.
   */
  public void recall(Optional<String> comments, Instant now) {
    submission().setStatus(SubmissionStatus.RECALLED, null, now);
    notifications().ofRun(RECALLED, fields("comments", comments.orElse(null)), now);
    cancelCurrentStage(WorkItemStatus.RECALLED, now);
  }

  /** After a recall: the run runs the orchestration's recall stage. */
  public void enterRecallStage(CompiledOrchestration.Stage recallStage, Instant now) {
    setStatus(RunStatus.IN_PROGRESS, now);
    enterStage(recallStage, now);
  }

  /** A recalled run ends CANCELED; the submission stays RECALLED. */
  public void endRecalled(Instant now) {
    end(RunStatus.CANCELED, null, now);
  }

  /** SPEC §3.1: like a recall without the recall stage; the submission is CANCELED. */
  public void cancel(Instant now) {
    cancelCurrentStage(WorkItemStatus.CANCELED, now);
    end(RunStatus.CANCELED, SubmissionStatus.CANCELED, now);
  }

  /** SPEC §3.2: IN_PROGRESS → SUSPENDED (RUN_SUSPENDED). */
  public void suspend(Instant now) {
    setStatus(RunStatus.SUSPENDED, now);
    notifications().ofRun(RUN_SUSPENDED, fields(), now);
  }

  /** SPEC §3.2: SUSPENDED → IN_PROGRESS (RUN_RESUMED). */
  public void resume(Instant now) {
    setStatus(RunStatus.IN_PROGRESS, now);
    notifications().ofRun(RUN_RESUMED, fields(), now);
  }

  /**
   * SPEC §3.3: a run in ERROR goes on in its current stage, IN_PROGRESS again, and so does its
   * submission (a recalled one stays RECALLED); the caller restarts the failed steps.
   */
  public void retry(StageInstance stage, Instant now) {
    stage.reopen();
    setError(null);
    setStatus(RunStatus.IN_PROGRESS, now);
    if (submission().status() == SubmissionStatus.ERROR) {
      submission().setStatus(SubmissionStatus.IN_PROGRESS, null, now);
    }
    notifications().ofRun(RUN_RESUMED, fields("cause", "RETRY"), now);
  }

  /** The run cannot be evaluated (a condition, routing loop): it goes to ERROR with the reason. */
  public void fail(String message, Instant now) {
    currentStage()
        .ifPresent(
            stage -> {
              for (StepInstance step : stepsOf(stage)) {
                if (step.status() == StepStatus.IN_PROGRESS) {
                  discontinue(step, now);
                }
              }
              stage.end(StageStatus.ERROR, now);
            });
    markError(message, now);
  }

  /** What an evaluation pass observed, for IS_CHANGED and explanations of the next. */
  public void recordObservations(Map<String, Object> observed, Map<String, Object> evaluations) {
    setObservations(observed, evaluations);
  }

  /** Who decided last through the API. */
  public void recordApprover(String actorId) {
    setLastApprover(actorId);
  }

  // ---- Transitions of steps (SPEC §3.3, §3.4) ----

  /** A step starts a new attempt (STEP_STARTED); a retried one forgets its last result. */
  public void startStep(StepInstance step, Instant now) {
    step.start(now);
    notifications()
        .ofStep(
            STEP_STARTED,
            step,
            fields("stepKind", step.kind().name(), "attempt", step.attempt()),
            now);
  }

  /** A background step's flow, as resolved when it starts. */
  public void resolveFlow(StepInstance step, String apiName, int version) {
    step.resolveFlow(apiName, version);
  }

  /** Who a background step's flow runs as, and how access is enforced. */
  public void runStepAs(StepInstance step, String userId, RunMode mode) {
    step.runAs(userId, mode);
  }

  /** How a background step runs, and why. */
  public void classifyStep(StepInstance step, ExecutionMode mode, String reason) {
    step.classify(mode, reason);
  }

  /** Why an approval step waits for whom (its work items). */
  public void explainStep(StepInstance step, String reason) {
    step.explain(reason);
  }

  /**
   * A step completes with {@code outputs}; a background step's mapped outputs become run variables.
   * Its own stage instance says which stage (the recall stage included) defines it.
   */
  public void completeStep(
      CompiledOrchestration orchestration,
      StepInstance step,
      Map<String, Object> outputs,
      Instant now) {
    step.complete(outputs, now);
    CompiledOrchestration.Step compiled =
        stageOf(step).compiledIn(orchestration).steps().get(step.stepIndex());
    if (compiled.definition() instanceof StepDefinition.BackgroundStep background) {
      background
          .outputs()
          .forEach(
              (flowOutput, variable) -> {
                putVariable(variable, outputs.get(flowOutput));
              });
    }
  }

  /** SPEC §3.3: step, stage, run and submission go to ERROR; running siblings are discontinued. */
  public void failStep(StepInstance step, String message, Instant now) {
    step.fail(message, now);
    currentStage()
        .ifPresent(
            stage -> {
              for (StepInstance sibling : stepsOf(stage)) {
                if (sibling != step && sibling.status() == StepStatus.IN_PROGRESS) {
                  discontinue(sibling, now);
                  sibling.discontinuedBy(step.id());
                }
              }
              stage.end(StageStatus.ERROR, now);
            });
    markError("step '%s' failed: %s".formatted(step.name(), message), now);
  }

  // ---- Transitions of work items (SPEC §8) ----

  /** A new ASSIGNED work item of {@code placement}'s step (WORK_ITEM_CREATED). */
  public WorkItem assign(WorkItem.Placement placement, Assignee assignee, Instant now) {
    WorkItem item = WorkItem.assigned(placement, assignee, now);
    addWorkItem(item);
    notifications()
        .ofWorkItem(
            WORK_ITEM_CREATED,
            item,
            fields("dueAt", item.dueAt().map(Instant::toString).orElse(null)),
            now);
    return item;
  }

  /** Records a decision on an open item (WORK_ITEM_DECIDED); the caller applies the policy. */
  public void decide(
      WorkItem item,
      Decision decision,
      Optional<String> comments,
      String actorId,
      Optional<String> onBehalfOf,
      Instant now) {
    item.decide(decision, comments, actorId, onBehalfOf, now);
    Map<String, Object> payload =
        fields("decision", decision.name(), "comments", comments.orElse(null));
    onBehalfOf.ifPresent(user -> payload.put("onBehalfOf", user));
    notifications().ofWorkItem(WORK_ITEM_DECIDED, item, payload, now);
  }

  /**
   * Gives an open item to {@code to} ({@code kind}: WORK_ITEM_REASSIGNED or WORK_ITEM_ESCALATED,
   * with {@code extra} and the previous assignee in its payload).
   */
  public void reassign(
      WorkItem item, Assignee to, EventKind kind, Map<String, Object> extra, Instant now) {
    Map<String, Object> payload = new LinkedHashMap<>(extra);
    payload.put("fromAssigneeType", item.assignee().type().name());
    payload.put("fromAssigneeId", item.assignee().id());
    item.reassign(to, now);
    notifications().ofWorkItem(kind, item, payload, now);
  }

  /**
   * An approval step settled: its other open items are CANCELED (STEP_SETTLED), it completes with
   * {@code outputs}, and a rejection marks the run rejected.
   */
  public void settle(
      CompiledOrchestration orchestration,
      StepInstance step,
      boolean approved,
      Map<String, Object> outputs,
      Instant now) {
    for (WorkItem other : workItems()) {
      if (other.stepInstanceId().equals(step.id()) && other.isOpen()) {
        other.close(WorkItemStatus.CANCELED, now);
        notifications()
            .ofWorkItem(WORK_ITEM_CANCELED, other, fields("reason", "STEP_SETTLED"), now);
      }
    }
    completeStep(orchestration, step, outputs, now);
    if (!approved) {
      markRejected();
    }
  }

  // ---- Internals ----

  private void cancelCurrentStage(WorkItemStatus itemStatus, Instant now) {
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
    setCurrentStage(null);
  }

  private void markError(String message, Instant now) {
    setError(message);
    setStatus(RunStatus.ERROR, now);
    notifications().ofRun(RUN_ERROR, fields("error", message), now);
    // SPEC §3.1: a failing recall stage leaves the submission RECALLED (the run is retryable).
    if (submission().status() != SubmissionStatus.RECALLED) {
      submission().setStatus(SubmissionStatus.ERROR, message, now);
    }
  }

  private void discontinue(StepInstance step, Instant now) {
    endStep(step, StepStatus.DISCONTINUED, WorkItemStatus.CANCELED, now);
  }

  /**
   * Ends a running step without a result: its interview is canceled (its job removed, so a segment
   * still running is fenced out at commit, SPEC §3.3) and its open work items end with {@code
   * itemStatus}.
   */
  private void endStep(
      StepInstance step, StepStatus status, WorkItemStatus itemStatus, Instant now) {
    step.end(status, now);
    for (WorkItem item : workItems()) {
      if (item.stepInstanceId().equals(step.id()) && item.isOpen()) {
        item.close(itemStatus, now);
        notifications().ofWorkItem(WORK_ITEM_CANCELED, item, fields(), now);
      }
    }
    outbox().cancelStepJob(step.id());
  }

  /** Ends the run; {@code submissionStatus} null leaves the submission as it is. */
  private void end(RunStatus status, SubmissionStatus submissionStatus, Instant now) {
    setCurrentStage(null);
    setStatus(status, now);
    if (submissionStatus != null) {
      submission().setStatus(submissionStatus, null, now);
    }
    notifications()
        .ofRun(
            status == RunStatus.CANCELED
                ? RUN_CANCELED
                : submission().status() == SubmissionStatus.REJECTED ? RUN_REJECTED : RUN_COMPLETED,
            fields("submissionStatus", submission().status().name()),
            now);
  }
}
