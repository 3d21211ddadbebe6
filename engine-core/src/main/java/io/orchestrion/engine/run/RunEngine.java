package io.orchestrion.engine.run;

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
import static io.orchestrion.api.run.EventKind.WORK_ITEM_REASSIGNED;
import static io.orchestrion.engine.run.Notifications.fields;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.flows.EngineInterviewContext;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.records.JdbcRecordStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.security.RunAsResolver;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.flow.AsyncReason;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.flow.HostFailures;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs and runs evaluation passes (SPEC §5.3). Every method works inside the caller's
 * transaction and holds the run's row lock from load to commit, so passes of one run never overlap,
 * whichever node runs them.
 */
public final class RunEngine {
  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  /** More stage transitions than this in one pass is a routing loop (SPEC §5.3). */
  static final int MAX_STAGE_TRANSITIONS = 100;

  private final RunRepository repository;
  private final OrchestrationCatalog orchestrations;
  private final FlowCatalog flows;
  private final FlowInterpreter interpreter;
  private final RecordStores recordStores;
  private final WorkSignals signals;
  private final EngineConfig config;
  private final Clock clock;
  private final Assignees assignees;
  private final ActorPermissions permissions;

  private final RunAsResolver runAsResolver;
  private final EngineMetrics metrics;

  @Inject
  public RunEngine(
      RunRepository repository,
      OrchestrationCatalog orchestrations,
      FlowCatalog flows,
      FlowInterpreter interpreter,
      RecordStores recordStores,
      WorkSignals signals,
      EngineConfig config,
      Clock clock,
      Assignees assignees,
      ActorPermissions permissions,
      RunAsResolver runAsResolver,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.assignees = assignees;
    this.permissions = permissions;
    this.runAsResolver = runAsResolver;
    this.repository = repository;
    this.orchestrations = orchestrations;
    this.flows = flows;
    this.interpreter = interpreter;
    this.recordStores = recordStores;
    this.signals = signals;
    this.config = config;
    this.clock = clock;
  }

  /** The ids of a new submission and its run. */
  public record StartedRun(String submissionId, String runId) {}

  /**
   * Creates the submission, its run and the first stage, and runs the first evaluation pass, all in
   * the caller's transaction (SPEC §3.4: synchronous steps run inside it).
   */
  public StartedRun startRun(
      Transaction tx,
      CompiledOrchestration orchestration,
      String objectType,
      String recordId,
      String submitterId,
      Optional<String> comments)
      throws SQLException {
    Instant now = clock.instant();
    String runId = Ids.next();
    RunState.Submission submission =
        new RunState.Submission(
            Ids.next(),
            runId,
            objectType,
            recordId,
            orchestration.apiName(),
            orchestration.version(),
            submitterId,
            comments.orElse(null),
            now,
            SubmissionStatus.IN_PROGRESS,
            null,
            now);
    submission.isNew = true;
    Map<String, Object> variables = new LinkedHashMap<>();
    for (var variable : orchestration.definition().variables()) {
      variables.put(variable.name(), variable.defaultValue().orElse(null));
    }
    RunState run =
        new RunState(
            runId,
            orchestration.definitionId(),
            now,
            RunStatus.IN_PROGRESS,
            null,
            variables,
            null,
            submission);
    run.isNew = true;
    run.actorId = submitterId;
    RunLogging.enter(tx, run);
    run.auditEntries.add(
        new RunState.AuditEntry(
            "SUBMIT", submitterId, "SUBMITTER", "API", comments.orElse(null), now));
    run.notifications.ofRun(
        SUBMITTED,
        fields(
            "orchestration",
            orchestration.apiName(),
            "version",
            orchestration.version(),
            "comments",
            comments.orElse(null)),
        now);
    enterStage(run, orchestration.stages().get(0), now);
    pass(tx, run, orchestration, now);
    persist(tx, run);
    return new StartedRun(submission.id, runId);
  }

  /**
   * Work that runs under the run's lock, before anything else of the transaction: a job removes its
   * own row here, fenced by its lease token, so that its removal commits with its work, and every
   * transaction takes the run's lock before a job row's (no lock-order deadlock with a pass that
   * deletes or schedules the run's jobs).
   */
  @FunctionalInterface
  public interface UnderRunLock {
    UnderRunLock NONE = () -> {};

    void run() throws SQLException;
  }

  /** Locks the run and evaluates it (any trigger: event, timer, record change, API). */
  public void evaluate(Transaction tx, String runId) throws SQLException {
    evaluate(tx, runId, UnderRunLock.NONE);
  }

  /** Like {@link #evaluate(Transaction, String)}, running {@code underLock} first. */
  public void evaluate(Transaction tx, String runId, UnderRunLock underLock) throws SQLException {
    RunState run = lock(tx, runId);
    underLock.run();
    Instant now = clock.instant();
    pass(tx, run, orchestrationOf(tx, run), now);
    persist(tx, run);
  }

  /**
   * Applies the end of an asynchronous step's interview: stores the step result and its
   * orchestration event, then evaluates the run, in the worker's transaction (one commit per
   * hand-off, SPEC §3.4).
   *
   * @return false when the step is no longer waiting for this attempt (discontinued, canceled,
   *     retried): the caller must roll back so that the segment commits nothing
   */
  public boolean finishAsyncStep(
      Transaction tx, String runId, String stepInstanceId, int attempt, SegmentResult result)
      throws SQLException {
    return finishAsyncStep(tx, runId, stepInstanceId, attempt, result, UnderRunLock.NONE);
  }

  /** Like {@link #finishAsyncStep(Transaction, String, String, int, SegmentResult)}, fenced. */
  public boolean finishAsyncStep(
      Transaction tx,
      String runId,
      String stepInstanceId,
      int attempt,
      SegmentResult result,
      UnderRunLock underLock)
      throws SQLException {
    RunState run = lock(tx, runId);
    underLock.run();
    Optional<RunState.StepInstance> found = run.step(stepInstanceId);
    if (found.isEmpty()
        || found.get().status != StepStatus.IN_PROGRESS
        || found.get().attempt != attempt) {
      return false;
    }
    RunState.StepInstance step = found.get();
    RunLogging.step(step.name);
    CompiledOrchestration orchestration = orchestrationOf(tx, run);
    Instant now = clock.instant();
    switch (result) {
      case SegmentResult.Completed completed -> {
        completeStep(run, orchestration, step, completed.outputs(), now);
        run.newEvents.add(
            stepEvent(step, StepStatus.COMPLETED, repository.writeJson(completed.outputs()), now));
      }
      case SegmentResult.Failed failed -> {
        String message = failed.failure().describe();
        run.newEvents.add(
            stepEvent(step, StepStatus.ERROR, repository.writeJson(Map.of("error", message)), now));
        failStep(run, step, message, now);
      }
      case SegmentResult.Paused paused ->
          throw new IllegalArgumentException("a paused interview has no step result");
    }
    pass(tx, run, orchestration, now);
    persist(tx, run);
    return true;
  }

  /**
   * Publishes a MANUAL orchestration event for a run (SPEC §4: to wake it after an outside change)
   * and evaluates the run.
   */
  public String publishManualEvent(Transaction tx, String runId, Map<String, Object> payload)
      throws SQLException {
    RunState run = lock(tx, runId);
    Instant now = clock.instant();
    RunState.NewEvent event =
        new RunState.NewEvent(
            Ids.next(),
            EventKind.MANUAL.name(),
            null,
            null,
            null,
            repository.writeJson(payload),
            now);
    run.newEvents.add(event);
    pass(tx, run, orchestrationOf(tx, run), now);
    persist(tx, run);
    return event.eventId();
  }

  /**
   * Evaluates again, soon and in their own transactions, the IN_PROGRESS runs about a record an
   * asynchronous segment of run {@code runId} changed (SPEC §5.3).
   */
  public void wakeRunsAbout(Transaction tx, JdbcRecordStore records, String runId)
      throws SQLException {
    if (repository.scheduleRechecksAbout(tx, records.changedRecordKeys(), runId, clock.instant())
        > 0) {
      signals.jobsDue(tx);
    }
  }

  /**
   * Delivers a stored event to its run again (at-least-once delivery, SPEC §4). A step result is
   * applied only while its step still waits for that attempt, so a second delivery changes nothing;
   * then the run is evaluated, which is a no-op when nothing else changed.
   */
  public void redeliver(Transaction tx, String eventId) throws SQLException {
    StoredEvent event =
        repository
            .findEvent(tx, eventId)
            .orElseThrow(() -> OrchestrionException.notFound("Event '" + eventId + "'"));
    RunState run = lock(tx, event.runId());
    CompiledOrchestration orchestration = orchestrationOf(tx, run);
    Instant now = clock.instant();
    if (event.kind() == EventKind.STEP_RESULT && event.stepInstanceId() != null) {
      Optional<RunState.StepInstance> step = run.step(event.stepInstanceId());
      if (step.isPresent()
          && step.get().status == StepStatus.IN_PROGRESS
          && step.get().attempt == event.attempt()) {
        Map<String, Object> payload = repository.readMap(event.payloadJson());
        if (event.stepStatus() == StepStatus.COMPLETED) {
          completeStep(run, orchestration, step.get(), payload, now);
        } else {
          failStep(run, step.get(), String.valueOf(payload.get("error")), now);
        }
      }
    }
    pass(tx, run, orchestration, now);
    persist(tx, run);
  }

  /** An event row as {@link #redeliver} needs it. */
  record StoredEvent(
      String runId,
      EventKind kind,
      String stepInstanceId,
      StepStatus stepStatus,
      int attempt,
      String payloadJson) {}

  // ---- Approvals (SPEC §8) ----

  /**
   * Decides a work item: the first decision wins (the run's lock serialises deciders), the step
   * completes with outputs {@code approvalDecision} and {@code approvalComments}, and the run is
   * evaluated. A rejection with {@code onReject: REJECT_SUBMISSION} ends the run at once.
   */
  public void decide(
      Transaction tx,
      String runId,
      String workItemId,
      Decision decision,
      Optional<String> comments,
      String actorId)
      throws SQLException {
    RunState run = lock(tx, runId);
    run.actorId = actorId;
    RunState.WorkItem item = workItemOf(run, workItemId);
    if (item.status != WorkItemStatus.ASSIGNED) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          item.decidedBy != null
              ? "work item '%s' was already %s by '%s' at %s"
                  .formatted(workItemId, item.status, item.decidedBy, item.decidedAt)
              : "work item '%s' is %s, not ASSIGNED".formatted(workItemId, item.status));
    }
    CompiledOrchestration orchestration = orchestrationOf(tx, run);
    String role = requireMayDecide(tx, run, orchestration, item, actorId);
    Instant now = clock.instant();
    item.decision = decision.name();
    item.comments = comments.orElse(null);
    item.decidedBy = actorId;
    item.decidedAt = now;
    item.setStatus(
        decision == Decision.APPROVE ? WorkItemStatus.APPROVED : WorkItemStatus.REJECTED, now);
    run.notifications.ofWorkItem(
        WORK_ITEM_DECIDED,
        item,
        fields("decision", decision.name(), "comments", item.comments),
        now);
    run.lastApproverId = actorId;
    run.dirty = true;
    run.auditEntries.add(
        new RunState.AuditEntry(
            "REVIEW",
            actorId,
            role,
            "API",
            decision + comments.map(c -> ": " + c).orElse(""),
            now));
    RunState.StepInstance step = run.step(item.stepInstanceId).orElseThrow();
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("approvalDecision", decision.name());
    outputs.put("approvalComments", comments.orElse(null));
    if (step.status == StepStatus.IN_PROGRESS) {
      completeStep(run, orchestration, step, outputs, now);
    }
    if (decision == Decision.REJECT) {
      run.rejected = true;
      StepDefinition.ApprovalStep definition = approvalDefinition(run, orchestration, step);
      if (definition.onReject() == StepDefinition.RejectPolicy.REJECT_SUBMISSION
          && run.status == RunStatus.IN_PROGRESS) {
        // SPEC §5.4: the run ends at once; running steps are discontinued, open items canceled.
        run.currentStage().ifPresent(stage -> completeStage(run, stage, now));
        endRun(run, RunStatus.COMPLETED, SubmissionStatus.REJECTED, now);
      }
    }
    pass(tx, run, orchestration, now);
    persist(tx, run);
  }

  /** Gives a work item to another user, group or queue; it stays ASSIGNED. */
  public void reassign(
      Transaction tx,
      String runId,
      String workItemId,
      String assigneeType,
      String assigneeId,
      String actorId)
      throws SQLException {
    RunState run = lock(tx, runId);
    run.actorId = actorId;
    RunState.WorkItem item = workItemOf(run, workItemId);
    if (item.status != WorkItemStatus.ASSIGNED) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "work item '%s' is %s; only ASSIGNED items can be reassigned"
              .formatted(workItemId, item.status));
    }
    boolean admin = permissions.isApprovalAdmin(tx, actorId);
    if (!admin && !isAssignee(tx, item, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the assignee of work item '%s' or an approval admin may reassign it"
              .formatted(workItemId));
    }
    switch (assigneeType) {
      case "USER" -> requireActiveUser(tx, assigneeId, "user");
      case "GROUP" -> {
        if (!assignees.within(tx).groupExists(assigneeId)) {
          throw OrchestrionException.notFound("Group '" + assigneeId + "'");
        }
      }
      case "QUEUE" -> {
        if (!assignees.within(tx).queueExists(assigneeId)) {
          throw OrchestrionException.notFound("Queue '" + assigneeId + "'");
        }
      }
      default ->
          throw new OrchestrionException(
              StandardErrorCode.INVALID_REQUEST,
              "assignee type must be USER, GROUP or QUEUE, not '%s'".formatted(assigneeType));
    }
    Instant now = clock.instant();
    String from = item.assigneeType + " " + item.assigneeId;
    Map<String, Object> previous =
        fields("fromAssigneeType", item.assigneeType, "fromAssigneeId", item.assigneeId);
    item.assigneeType = assigneeType;
    item.assigneeId = assigneeId;
    item.setStatus(WorkItemStatus.ASSIGNED, now);
    run.notifications.ofWorkItem(WORK_ITEM_REASSIGNED, item, previous, now);
    run.auditEntries.add(
        new RunState.AuditEntry(
            "REASSIGN",
            actorId,
            admin && !isAssignee(tx, item, actorId) ? "ADMIN" : "ASSIGNEE",
            "API",
            "work item %s from %s to %s %s".formatted(workItemId, from, assigneeType, assigneeId),
            now));
    persist(tx, run);
  }

  /** Publishes an OVERDUE event for an approval step whose work item is still undecided. */
  public void overdue(Transaction tx, String runId, String stepInstanceId, UnderRunLock underLock)
      throws SQLException {
    RunState run = lock(tx, runId);
    underLock.run();
    Instant now = clock.instant();
    for (RunState.WorkItem item : run.workItems) {
      if (item.stepInstanceId.equals(stepInstanceId) && item.status == WorkItemStatus.ASSIGNED) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("workItemId", item.id);
        payload.put("step", item.stepName);
        payload.put("dueAt", String.valueOf(item.dueAt));
        run.newEvents.add(
            new RunState.NewEvent(
                Ids.next(),
                EventKind.OVERDUE.name(),
                stepInstanceId,
                null,
                null,
                repository.writeJson(payload),
                now));
      }
    }
    pass(tx, run, orchestrationOf(tx, run), now);
    persist(tx, run);
  }

  private static RunState.WorkItem workItemOf(RunState run, String workItemId) {
    return run.workItem(workItemId)
        .orElseThrow(() -> OrchestrionException.notFound("Work item '" + workItemId + "'"));
  }

  private boolean isAssignee(Transaction tx, RunState.WorkItem item, String userId) {
    return assignees.within(tx).isAssignedTo(item.assigneeType, item.assigneeId, userId);
  }

  /** SPEC §7: the assignee, a member of its group or queue, or an approval admin. */
  private String requireMayDecide(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RunState.WorkItem item,
      String actorId) {
    boolean assignee = isAssignee(tx, item, actorId);
    boolean admin = permissions.isApprovalAdmin(tx, actorId);
    if (!assignee && !admin) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not decide work item '%s': it is assigned to %s %s"
              .formatted(actorId, item.id, item.assigneeType, item.assigneeId));
    }
    if (actorId.equals(run.submission.submitterId)
        && !orchestration.definition().allowSubmitterApproval()) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          ("user '%s' submitted this record and may not decide its work items (separation of"
                  + " duties; the orchestration does not allow submitter approval)")
              .formatted(actorId));
    }
    return assignee ? "ASSIGNEE" : "ADMIN";
  }

  private static StepDefinition.ApprovalStep approvalDefinition(
      RunState run, CompiledOrchestration orchestration, RunState.StepInstance step) {
    return (StepDefinition.ApprovalStep)
        compiledStage(orchestration, stageOf(run, step)).steps().get(step.stepIndex).definition();
  }

  // ---- Submission and run operations (SPEC §3) ----

  /**
   * SPEC §3.1: the submission is RECALLED at once; the current stage and its unfinished steps are
   * CANCELED, open work items RECALLED, running interviews canceled; the recall stage, if any,
   * runs, and the run ends CANCELED.
   */
  public void recall(Transaction tx, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = lock(tx, runId);
    run.actorId = actorId;
    requireOpen(run, "recalled");
    boolean submitter = actorId.equals(run.submission.submitterId);
    if (!submitter && !permissions.isApprovalAdmin(tx, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the submitter or an approval admin may recall submission '%s'"
              .formatted(run.submission.id));
    }
    Instant now = clock.instant();
    run.submission.setStatus(SubmissionStatus.RECALLED, null, now);
    run.notifications.ofRun(RECALLED, fields("comments", comments.orElse(null)), now);
    cancelCurrentStage(run, WorkItemStatus.RECALLED, now);
    run.auditEntries.add(
        new RunState.AuditEntry(
            "RECALL",
            actorId,
            submitter ? "SUBMITTER" : "ADMIN",
            "API",
            comments.orElse(null),
            now));
    CompiledOrchestration orchestration = orchestrationOf(tx, run);
    if (orchestration.recallStage().isPresent()) {
      run.status = RunStatus.IN_PROGRESS;
      run.dirty = true;
      enterStage(run, orchestration.recallStage().get(), now);
      pass(tx, run, orchestration, now);
    } else {
      endRun(run, RunStatus.CANCELED, null, now);
    }
    persist(tx, run);
  }

  /** SPEC §3.1: like recall without the recall stage; the submission is CANCELED. */
  public void cancel(Transaction tx, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = lock(tx, runId);
    run.actorId = actorId;
    requireOpen(run, "canceled");
    if (!permissions.isApprovalAdmin(tx, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "canceling a submission needs an approval admin (APPROVAL_ADMIN)");
    }
    Instant now = clock.instant();
    cancelCurrentStage(run, WorkItemStatus.CANCELED, now);
    endRun(run, RunStatus.CANCELED, SubmissionStatus.CANCELED, now);
    run.auditEntries.add(
        new RunState.AuditEntry("CANCEL", actorId, "ADMIN", "API", comments.orElse(null), now));
    persist(tx, run);
  }

  /** SPEC §3.2: a suspended run starts no new step; results that arrive apply on resume. */
  public void suspend(Transaction tx, String runId, String actorId) throws SQLException {
    RunState run = switchStatus(tx, runId, actorId, RunStatus.IN_PROGRESS, RunStatus.SUSPENDED);
    persist(tx, run);
  }

  /** Suspends (IN_PROGRESS → SUSPENDED) or resumes a run, with its audit entry. */
  private RunState switchStatus(
      Transaction tx, String runId, String actorId, RunStatus from, RunStatus to)
      throws SQLException {
    RunState run = lock(tx, runId);
    run.actorId = actorId;
    String verb = to == RunStatus.SUSPENDED ? "suspend" : "resume";
    requireRunManager(tx, actorId, verb);
    if (run.status != from) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only %s runs can be %s"
              .formatted(
                  runId, run.status, from, verb.equals("suspend") ? "suspended" : "resumed"));
    }
    Instant now = clock.instant();
    run.setStatus(to, now);
    run.notifications.ofRun(to == RunStatus.SUSPENDED ? RUN_SUSPENDED : RUN_RESUMED, fields(), now);
    run.auditEntries.add(
        new RunState.AuditEntry(
            verb.toUpperCase(java.util.Locale.ROOT), actorId, "ADMIN", "API", null, now));
    return run;
  }

  public void resume(Transaction tx, String runId, String actorId) throws SQLException {
    RunState run = switchStatus(tx, runId, actorId, RunStatus.SUSPENDED, RunStatus.IN_PROGRESS);
    pass(tx, run, orchestrationOf(tx, run), clock.instant());
    persist(tx, run);
  }

  /**
   * SPEC §3.3: re-runs the errored step of the current stage from the start, with the flow version
   * active now, and restarts the steps its failure discontinued; a run that failed without a failed
   * step (a condition or routing error) is simply evaluated again. Works for every error, at any
   * time later.
   */
  public void retry(Transaction tx, String runId, String actorId) throws SQLException {
    RunState run = lock(tx, runId);
    run.actorId = actorId;
    requireRunManager(tx, actorId, "retry");
    if (run.status != RunStatus.ERROR) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only runs in ERROR can be retried".formatted(runId, run.status));
    }
    Instant now = clock.instant();
    RunState.StageInstance stage =
        run.currentStage()
            .orElseThrow(
                () ->
                    new OrchestrionException(
                        StandardErrorCode.CONFLICT,
                        "run '%s' has no current stage".formatted(runId)));
    stage.status = StageStatus.IN_PROGRESS;
    stage.endedAt = null;
    stage.dirty = true;
    run.error = null;
    run.setStatus(RunStatus.IN_PROGRESS, now);
    if (run.submission.status == SubmissionStatus.ERROR) {
      run.submission.setStatus(SubmissionStatus.IN_PROGRESS, null, now);
    }
    run.auditEntries.add(new RunState.AuditEntry("RETRY", actorId, "ADMIN", "API", null, now));
    run.notifications.ofRun(RUN_RESUMED, fields("cause", "RETRY"), now);
    CompiledOrchestration orchestration = orchestrationOf(tx, run);
    RecordStore records = recordStores.open(tx);
    PassResolver resolver = resolver(tx, run, orchestration, records, now);
    CompiledOrchestration.Stage compiledStage = compiledStage(orchestration, stage);
    List<RunState.StepInstance> restart = new ArrayList<>();
    for (RunState.StepInstance step : run.stepsOf(stage)) {
      if (step.status == StepStatus.ERROR) {
        restart.add(0, step);
        for (RunState.StepInstance sibling : run.stepsOf(stage)) {
          if (step.id.equals(sibling.discontinuedBy)) {
            restart.add(sibling);
          }
        }
      }
    }
    for (RunState.StepInstance step : restart) {
      if (run.status != RunStatus.IN_PROGRESS) {
        break;
      }
      step.error = null;
      step.discontinuedBy = null;
      step.outputs = Map.of();
      startStep(
          tx,
          run,
          orchestration,
          step,
          compiledStage.steps().get(step.stepIndex),
          resolver,
          records,
          now);
    }
    pass(tx, run, orchestration, now);
    persist(tx, run);
  }

  private void requireRunManager(Transaction tx, String actorId, String what) {
    if (!permissions.mayManageRuns(tx, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "%s needs the MANAGE_RUNS permission".formatted(what));
    }
  }

  private static void requireOpen(RunState run, String what) {
    if (run.submission.status != SubmissionStatus.IN_PROGRESS) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "submission '%s' is %s; only IN_PROGRESS submissions can be %s"
              .formatted(run.submission.id, run.submission.status, what));
    }
  }

  private static void cancelCurrentStage(RunState run, WorkItemStatus itemStatus, Instant now) {
    run.currentStage()
        .ifPresent(
            stage -> {
              for (RunState.StepInstance step : run.stepsOf(stage)) {
                if (step.isOpen()) {
                  endStep(run, step, StepStatus.CANCELED, itemStatus, now);
                }
              }
              stage.end(StageStatus.CANCELED, now);
            });
    run.currentStageId = null;
    run.dirty = true;
  }

  private RunState lock(Transaction tx, String runId) throws SQLException {
    RunState run =
        repository
            .lockAndLoad(tx, runId)
            .orElseThrow(() -> OrchestrionException.notFound("Run '" + runId + "'"));
    RunLogging.enter(tx, run);
    return run;
  }

  private CompiledOrchestration orchestrationOf(Transaction tx, RunState run) {
    return orchestrations.version(
        tx, run.submission.orchestration, run.submission.orchestrationVersion);
  }

  private void persist(Transaction tx, RunState run) throws SQLException {
    observe(tx, run);
    List<String> localJobs =
        run.newJobs.stream().filter(job -> job.leasedBy(config.nodeId())).map(NewJob::id).toList();
    boolean events = !run.newEvents.isEmpty() || !run.notifications.isEmpty();
    Instant now = clock.instant();
    boolean dueForAnyNode =
        run.newJobs.stream().anyMatch(job -> job.lease().isEmpty() && !job.dueAt().isAfter(now));
    repository.flush(tx, run);
    if (dueForAnyNode) {
      signals.jobsDue(tx);
    }
    run.newJobs.clear();
    run.newEvents.clear();
    tx.afterCommit(
        () -> {
          localJobs.forEach(signals::jobReady);
          if (events) {
            signals.eventsWritten();
          }
        });
  }

  /**
   * Records the steps and the submission this change ends, once it has committed (read before the
   * flush clears "dirty").
   */
  private void observe(Transaction tx, RunState run) {
    Instant now = clock.instant();
    List<Runnable> observations = new ArrayList<>();
    for (RunState.StepInstance step : run.steps) {
      if ((step.dirty || step.isNew)
          && (step.status == StepStatus.COMPLETED || step.status == StepStatus.ERROR)
          && step.flow != null
          && step.startedAt != null
          && step.endedAt != null) {
        String flow = step.flow;
        String mode = step.executionMode == null ? "NONE" : step.executionMode;
        String status = step.status.name();
        Duration duration = Duration.between(step.startedAt, step.endedAt);
        observations.add(() -> metrics.stepEnded(flow, mode, status, duration));
      }
    }
    RunState.Submission submission = run.submission;
    if ((submission.dirty || submission.isNew)
        && submission.status != SubmissionStatus.IN_PROGRESS) {
      String orchestration = submission.orchestration;
      SubmissionStatus status = submission.status;
      Duration cycle = Duration.between(submission.createdAt, now);
      observations.add(() -> metrics.submissionEnded(orchestration, status, cycle));
    }
    if (!observations.isEmpty()) {
      tx.afterCommit(() -> observations.forEach(Runnable::run));
    }
  }

  // ---- The evaluation pass ----

  private void pass(Transaction tx, RunState run, CompiledOrchestration orchestration, Instant now)
      throws SQLException {
    long started = System.nanoTime();
    try {
      evaluationPass(tx, run, orchestration, now);
    } finally {
      metrics.evaluationPass(System.nanoTime() - started);
    }
  }

  private void evaluationPass(
      Transaction tx, RunState run, CompiledOrchestration orchestration, Instant now)
      throws SQLException {
    if (run.status != RunStatus.IN_PROGRESS) {
      return;
    }
    startSynchronousBudget(run);
    JdbcRecordStore records = recordStores.open(tx);
    PassResolver resolver = resolver(tx, run, orchestration, records, now);
    try {
      runStages(tx, run, orchestration, resolver, records, now);
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        // A database failure: the transaction is lost; let the caller's retry logic see it, and
        // run no more SQL in it (on PostgreSQL that would fail too and hide this error).
        throw e;
      }
      // A condition (plugin) failure, a missing record: the run cannot be evaluated. It goes to
      // ERROR with the reason, rather than the whole transaction failing, so that the caller
      // sees the state and an admin can retry once the cause is fixed.
      log.warn("Evaluation of run {} failed: {}", run.id, e.getMessage());
      failRun(run, e.getMessage(), now);
    }
    // Not in a finally block: after a failure that propagates, no more SQL runs.
    endPass(tx, run, resolver, records, now);
  }

  /** Steps 2 and 3 of SPEC §5.3, stage after stage, until the run waits or ends. */
  private void runStages(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      PassResolver resolver,
      JdbcRecordStore records,
      Instant now)
      throws SQLException {
    int transitions = 0;
    while (run.status == RunStatus.IN_PROGRESS) {
      Optional<RunState.StageInstance> current = run.currentStage();
      if (current.isEmpty()) {
        return;
      }
      RunState.StageInstance stage = current.get();
      CompiledOrchestration.Stage compiledStage = compiledStage(orchestration, stage);
      startSteps(tx, run, orchestration, compiledStage, stage, resolver, records, now);
      if (run.status != RunStatus.IN_PROGRESS) {
        return;
      }
      ConditionResult exit = compiledStage.exit().evaluate(resolver);
      if (!exit.met()) {
        exit.recheckAt().ifPresent(at -> scheduleRecheck(run, at));
        return;
      }
      completeStage(run, stage, now);
      if (stage.stageIndex < 0) {
        // The recall stage finished: the run ends CANCELED, the submission stays RECALLED.
        endRun(run, RunStatus.CANCELED, null, now);
        return;
      }
      if (++transitions > MAX_STAGE_TRANSITIONS) {
        failRun(
            run,
            "routing loop: more than %d stage transitions in one evaluation pass"
                .formatted(MAX_STAGE_TRANSITIONS),
            now);
        return;
      }
      route(run, orchestration, compiledStage, resolver, now);
    }
  }

  /** What every pass that did not fail records: observed values, answers, rechecks of others. */
  private void endPass(
      Transaction tx, RunState run, PassResolver resolver, JdbcRecordStore records, Instant now)
      throws SQLException {
    run.observed = resolver.observed();
    run.evaluations = resolver.evaluations();
    run.dirty = true;
    // SPEC §5.3: a record this run's flows changed may be what another run waits for.
    if (repository.scheduleRechecksAbout(tx, records.changedRecordKeys(), run.id, now) > 0) {
      signals.jobsDue(tx); // whichever node is free runs them, now
    }
  }

  /** The resolver an evaluation pass would use now, for explanations (nothing is written). */
  PassResolver resolverForExplanation(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RecordStore records,
      Instant now) {
    return resolver(tx, run, orchestration, records, now);
  }

  CompiledOrchestration orchestrationFor(Transaction tx, RunState run) {
    return orchestrationOf(tx, run);
  }

  private PassResolver resolver(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RecordStore records,
      Instant now) {
    return new PassResolver(
        run,
        records,
        now,
        orchestration.timeZone(),
        (apiName, inputs) -> runEvaluationFlow(tx, records, run, apiName, inputs, now));
  }

  /** SPEC §6.5: evaluation flows run as the automated process user, without sharing. */
  private boolean runEvaluationFlow(
      Transaction tx,
      RecordStore records,
      RunState run,
      String apiName,
      Map<String, Object> inputs,
      Instant now) {
    CompiledFlow flow = flows.active(tx, apiName);
    if (flow.definition().type() != io.orchestrion.api.flow.FlowType.EVALUATION) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_DEFINITION,
          "flow '%s' v%d is not an evaluation flow".formatted(apiName, flow.version()));
    }
    SegmentResult result =
        interpreter.start(
            flow,
            inputs,
            new EngineInterviewContext(
                tx,
                flows,
                records,
                SystemUsers.automatedProcess(),
                now,
                run.id + "/evaluation/" + apiName,
                false));
    return switch (result) {
      case SegmentResult.Completed completed ->
          Boolean.TRUE.equals(completed.outputs().get("isOrchestrationConditionMet"));
      case SegmentResult.Failed failed ->
          throw new OrchestrionException(
              StandardErrorCode.FLOW_FAULT,
              "evaluation flow failed: " + failed.failure().describe());
      case SegmentResult.Paused paused ->
          throw new OrchestrionException(
              StandardErrorCode.FLOW_FAULT,
              "evaluation flow '%s' paused; evaluation flows cannot wait".formatted(apiName));
    };
  }

  static CompiledOrchestration.Stage compiledStage(
      CompiledOrchestration orchestration, RunState.StageInstance stage) {
    return stage.stageIndex < 0
        ? orchestration.recallStage().orElseThrow()
        : orchestration.stages().get(stage.stageIndex);
  }

  /** SPEC §5.4: the first transition whose requirements hold wins; default is the next stage. */
  private void route(
      RunState run,
      CompiledOrchestration orchestration,
      CompiledOrchestration.Stage stage,
      PassResolver resolver,
      Instant now) {
    String target = null;
    for (CompiledOrchestration.Transition transition : stage.transitions()) {
      if (transition.when().isEmpty() || transition.when().get().evaluate(resolver).met()) {
        target = transition.goTo();
        break;
      }
    }
    if (TransitionDefinition.APPROVE.equals(target) || TransitionDefinition.REJECT.equals(target)) {
      run.outcome = target;
      finishRun(run, now);
    } else if (target != null) {
      enterStage(run, orchestration.stage(target).orElseThrow(), now);
    } else if (stage.index() + 1 < orchestration.stages().size()) {
      enterStage(run, orchestration.stages().get(stage.index() + 1), now);
    } else {
      finishRun(run, now);
    }
  }

  private void startSteps(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      CompiledOrchestration.Stage compiledStage,
      RunState.StageInstance stage,
      PassResolver resolver,
      RecordStore records,
      Instant now)
      throws SQLException {
    boolean changed = true;
    while (changed && run.status == RunStatus.IN_PROGRESS) {
      changed = false;
      for (RunState.StepInstance step : run.stepsOf(stage)) {
        if (step.status != StepStatus.NOT_STARTED) {
          continue;
        }
        CompiledOrchestration.Step compiledStep = compiledStage.steps().get(step.stepIndex);
        ConditionResult start = compiledStep.start().evaluate(resolver);
        if (!start.met()) {
          start.recheckAt().ifPresent(at -> scheduleRecheck(run, at));
          continue;
        }
        changed = true;
        startStep(tx, run, orchestration, step, compiledStep, resolver, records, now);
        if (run.status != RunStatus.IN_PROGRESS || run.currentStage().orElse(null) != stage) {
          return;
        }
      }
    }
  }

  private void startStep(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RunState.StepInstance step,
      CompiledOrchestration.Step compiledStep,
      PassResolver resolver,
      RecordStore records,
      Instant now)
      throws SQLException {
    switch (compiledStep.definition()) {
      case StepDefinition.BackgroundStep background ->
          startBackgroundStep(tx, run, orchestration, step, background, resolver, records, now);
      case StepDefinition.ApprovalStep approval ->
          startApprovalStep(tx, run, step, approval, resolver, now);
    }
  }

  /** SPEC §8: one work item, ASSIGNED to the resolved assignee; an unresolvable one errors. */
  private void startApprovalStep(
      Transaction tx,
      RunState run,
      RunState.StepInstance step,
      StepDefinition.ApprovalStep definition,
      PassResolver resolver,
      Instant now) {
    step.attempt++;
    step.setStatus(StepStatus.IN_PROGRESS, now);
    run.notifications.ofStep(
        STEP_STARTED, step, fields("stepKind", step.kind, "attempt", step.attempt), now);
    String[] assignee;
    try {
      assignee = resolveAssignee(tx, definition.assignee(), run, resolver);
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      failStep(
          run, step, "step '%s' could not start: %s".formatted(step.name, e.getMessage()), now);
      return;
    }
    RunState.WorkItem item = new RunState.WorkItem(Ids.next(), step.id, step.name, now);
    item.isNew = true;
    item.status = WorkItemStatus.ASSIGNED;
    item.assigneeType = assignee[0];
    item.assigneeId = assignee[1];
    if (definition.dueIn().isPresent()) {
      item.dueAt = now.plus(java.time.Duration.parse(definition.dueIn().get()));
      run.newJobs.add(NewJob.overdue(run.id, step.id, step.attempt, item.dueAt));
    }
    run.workItems.add(item);
    run.notifications.ofWorkItem(
        WORK_ITEM_CREATED,
        item,
        fields("dueAt", item.dueAt == null ? null : item.dueAt.toString()),
        now);
    step.executionReason = "work item assigned to " + assignee[0] + " " + assignee[1];
  }

  private String[] resolveAssignee(
      Transaction tx, AssigneeSpec spec, RunState run, PassResolver resolver) {
    return switch (spec.type()) {
      case USER -> {
        String user = spec.userId().orElseThrow();
        requireActiveUser(tx, user, "assignee USER");
        yield new String[] {"USER", user};
      }
      case GROUP -> {
        String group = spec.group().orElseThrow();
        if (!assignees.within(tx).groupExists(group)) {
          throw unresolvable("group '%s' does not exist".formatted(group));
        }
        yield new String[] {"GROUP", group};
      }
      case QUEUE -> {
        String queue = spec.queue().orElseThrow();
        if (!assignees.within(tx).queueExists(queue)) {
          throw unresolvable("queue '%s' does not exist".formatted(queue));
        }
        yield new String[] {"QUEUE", queue};
      }
      case SUBMITTER_MANAGER -> {
        String submitter = run.submission.submitterId;
        String manager =
            assignees
                .within(tx)
                .managerOf(submitter)
                .orElseThrow(
                    () -> unresolvable("submitter '%s' has no manager".formatted(submitter)));
        requireActiveUser(tx, manager, "the submitter's manager");
        yield new String[] {"USER", manager};
      }
      case RECORD_FIELD -> {
        String field = spec.field().orElseThrow();
        Object value = resolver.resolve(new Reference.RecordField(field).text()).orElse(null);
        if (!(value instanceof String user) || user.isBlank()) {
          throw unresolvable("field '%s' of the record holds no user id".formatted(field));
        }
        requireActiveUser(tx, user, "the user in field '" + field + "'");
        yield new String[] {"USER", user};
      }
    };
  }

  private void requireActiveUser(Transaction tx, String userId, String what) {
    if (!assignees.within(tx).isActiveUser(userId)) {
      throw unresolvable("%s '%s' is unknown or inactive".formatted(what, userId));
    }
  }

  private static OrchestrionException unresolvable(String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "unresolvable assignee: " + message);
  }

  private void startBackgroundStep(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RunState.StepInstance step,
      StepDefinition.BackgroundStep definition,
      PassResolver resolver,
      RecordStore records,
      Instant now)
      throws SQLException {
    step.attempt++;
    step.setStatus(StepStatus.IN_PROGRESS, now);
    run.notifications.ofStep(
        STEP_STARTED, step, fields("stepKind", step.kind, "attempt", step.attempt), now);
    CompiledFlow flow;
    SecurityContext security;
    Map<String, Object> inputs;
    String inputsJson;
    try {
      flow = flows.active(tx, definition.flow());
      step.flow = flow.apiName();
      step.flowVersion = flow.version();
      security =
          runAsResolver.resolve(
              tx,
              definition.runAs(),
              flow.definition().runMode(),
              new RunAsResolver.StepFacts(
                  step.name,
                  run.id,
                  run.submission.submitterId,
                  field -> resolver.resolve(new Reference.RecordField(field).text())));
      step.runAsUserId = security.userId();
      step.runMode = security.effectiveMode().name();
      inputs = new LinkedHashMap<>();
      for (Map.Entry<String, ValueSpec> input : definition.inputs().entrySet()) {
        inputs.put(input.getKey(), resolver.value(input.getValue()));
      }
      inputsJson = repository.writeJson(inputs);
      if (inputsJson.length() > config.flowLimits().maxInputJsonChars()) {
        throw new OrchestrionException(
            StandardErrorCode.LIMIT_EXCEEDED,
            "the inputs of flow '%s' are %d characters of JSON, over the limit of %d"
                .formatted(
                    flow.apiName(), inputsJson.length(), config.flowLimits().maxInputJsonChars()));
      }
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      failStep(
          run, step, "step '%s' could not start: %s".formatted(step.name, e.getMessage()), now);
      return;
    }
    var analysis = flow.analysis();
    step.executionMode = analysis.mode().name();
    step.executionReason = executionReason(analysis.mode(), analysis.asyncReasons());
    if (analysis.mode() == ExecutionMode.ASYNC) {
      run.newJobs.add(
          NewJob.flow(
              run.id,
              step.id,
              step.attempt,
              inputsJson,
              now,
              config.nodeId(),
              now.plus(config.leaseDuration())));
      return;
    }
    runSynchronously(tx, run, orchestration, step, flow, security, inputs, records, resolver, now);
  }

  /** "step 'Score' input mapping does not fit flow Score_Risk v2: $.recordId: ...". */
  private static String inputMappingError(
      RunState.StepInstance step, CompiledFlow flow, OrchestrionException refused) {
    String problems =
        refused.getProblems().isEmpty()
            ? refused.getMessage()
            : refused.getProblems().stream()
                .map(Object::toString)
                .collect(Collectors.joining("; "));
    return "step '%s' input mapping does not fit flow %s v%d: %s"
        .formatted(step.name, flow.apiName(), flow.version(), problems);
  }

  private void runSynchronously(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RunState.StepInstance step,
      CompiledFlow flow,
      SecurityContext security,
      Map<String, Object> inputs,
      RecordStore records,
      PassResolver resolver,
      Instant now)
      throws SQLException {
    // SPEC §3.4: the flow runs in the pass's transaction under a savepoint; a failure rolls its
    // writes back and the step, stage, run and submission are committed in ERROR.
    Savepoint savepoint = tx.connection().setSavepoint();
    SegmentResult result;
    try {
      result =
          interpreter.start(
              flow,
              inputs,
              interviewContext(tx, run, step, security, records, now),
              synchronousLimits(run));
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        // Not the flow's failure: the whole transaction fails and is retried, never a step ERROR.
        throw e;
      }
      if (e.getErrorCode().name().equals(StandardErrorCode.INVALID_REQUEST.name())) {
        // The interpreter refused the inputs: the step's input mapping is wrong, no element ran.
        tx.connection().rollback(savepoint);
        failStep(run, step, inputMappingError(step, flow, e), now);
        return;
      }
      result =
          new SegmentResult.Failed(
              new io.orchestrion.flow.FlowFailure(
                  flow.apiName(), flow.version(), flow.definition().start(), e.getMessage()));
    }
    resolver.recordChanged();
    switch (result) {
      case SegmentResult.Completed completed -> {
        tx.connection().releaseSavepoint(savepoint);
        completeStep(run, orchestration, step, completed.outputs(), now);
      }
      case SegmentResult.Failed failed -> {
        tx.connection().rollback(savepoint);
        failStep(run, step, failed.failure().describe(), now);
      }
      case SegmentResult.Paused paused -> {
        tx.connection().rollback(savepoint);
        failStep(
            run,
            step,
            "flow '%s' v%d paused although it was classified synchronous"
                .formatted(flow.apiName(), flow.version()),
            now);
      }
    }
  }

  /**
   * Starts the call's time budget for synchronous steps at its first pass, or at the first step a
   * command starts before its pass (a retry restarts its failed steps first).
   */
  private void startSynchronousBudget(RunState run) {
    if (!run.synchronousDeadlineSet) {
      run.synchronousDeadline = System.nanoTime() + config.synchronousTimeBudget().toNanos();
      run.synchronousDeadlineSet = true;
    }
  }

  /**
   * The limits of a synchronous step's flow: the configured ones, with the segment time cut to what
   * remains of the pass's {@code synchronousTimeBudget} when that is shorter (at least a
   * millisecond, so that a step started after the budget ran out fails at its first check).
   */
  private FlowLimits synchronousLimits(RunState run) {
    startSynchronousBudget(run);
    FlowLimits limits = config.flowLimits();
    long remaining = run.synchronousDeadline - System.nanoTime();
    if (remaining >= limits.maxSegmentTime().toNanos()) {
      return limits;
    }
    return limits.withMaxSegmentTime(
        Duration.ofNanos(Math.max(remaining, 1_000_000)),
        "synchronousTimeBudget of " + config.synchronousTimeBudget() + " for the pass");
  }

  InterviewContext interviewContext(
      Transaction tx,
      RunState run,
      RunState.StepInstance step,
      SecurityContext security,
      RecordStore records,
      Instant now) {
    return new EngineInterviewContext(
        tx,
        flows,
        runAsResolver.recordsFor(tx, records, security),
        security,
        now,
        run.id + "/" + step.id + "/" + step.attempt,
        false);
  }

  private static String executionReason(ExecutionMode mode, List<AsyncReason> reasons) {
    if (mode == ExecutionMode.SYNC) {
      return "no Action, Subflow or Wait element: runs synchronously inside the evaluation pass";
    }
    return "asynchronous because of "
        + reasons.stream()
            .map(reason -> reason.kind() + " element '" + reason.element() + "'")
            .collect(Collectors.joining(", "));
  }

  private void completeStep(
      RunState run,
      CompiledOrchestration orchestration,
      RunState.StepInstance step,
      Map<String, Object> outputs,
      Instant now) {
    step.outputs = new LinkedHashMap<>(outputs);
    step.error = null;
    step.setStatus(StepStatus.COMPLETED, now);
    // The step's own stage instance says which stage (the recall stage included) defines it.
    CompiledOrchestration.Step compiled =
        compiledStage(orchestration, stageOf(run, step)).steps().get(step.stepIndex);
    if (compiled.definition() instanceof StepDefinition.BackgroundStep background) {
      background
          .outputs()
          .forEach(
              (flowOutput, variable) -> {
                run.variables.put(variable, outputs.get(flowOutput));
                run.dirty = true;
              });
    }
  }

  private static RunState.StageInstance stageOf(RunState run, RunState.StepInstance step) {
    return run.stages.stream()
        .filter(stage -> stage.id.equals(step.stageInstanceId))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "step instance " + step.id + " has no stage instance " + step.stageInstanceId));
  }

  /** SPEC §3.3: step, stage, run and submission go to ERROR; running siblings are discontinued. */
  private void failStep(RunState run, RunState.StepInstance step, String message, Instant now) {
    step.error = message;
    step.setStatus(StepStatus.ERROR, now);
    run.currentStage()
        .ifPresent(
            stage -> {
              for (RunState.StepInstance sibling : run.stepsOf(stage)) {
                if (sibling != step && sibling.status == StepStatus.IN_PROGRESS) {
                  discontinue(run, sibling, now);
                  sibling.discontinuedBy = step.id;
                }
              }
              stage.end(StageStatus.ERROR, now);
            });
    markRunError(run, "step '%s' failed: %s".formatted(step.name, message), now);
  }

  private void failRun(RunState run, String message, Instant now) {
    run.currentStage()
        .ifPresent(
            stage -> {
              for (RunState.StepInstance step : run.stepsOf(stage)) {
                if (step.status == StepStatus.IN_PROGRESS) {
                  discontinue(run, step, now);
                }
              }
              stage.end(StageStatus.ERROR, now);
            });
    markRunError(run, message, now);
  }

  private static void markRunError(RunState run, String message, Instant now) {
    run.error = message;
    run.setStatus(RunStatus.ERROR, now);
    run.notifications.ofRun(RUN_ERROR, fields("error", message), now);
    // SPEC §3.1: a failing recall stage leaves the submission RECALLED (the run is retryable).
    if (run.submission.status != SubmissionStatus.RECALLED) {
      run.submission.setStatus(SubmissionStatus.ERROR, message, now);
    }
  }

  private static void discontinue(RunState run, RunState.StepInstance step, Instant now) {
    endStep(run, step, StepStatus.DISCONTINUED, now);
  }

  /**
   * Ends a running step without a result: its interview is canceled (its job removed, so a segment
   * still running is fenced out at commit, SPEC §3.3) and its open work items end with {@code
   * itemStatus}.
   */
  private static void endStep(
      RunState run, RunState.StepInstance step, StepStatus status, Instant now) {
    endStep(run, step, status, WorkItemStatus.CANCELED, now);
  }

  private static void endStep(
      RunState run,
      RunState.StepInstance step,
      StepStatus status,
      WorkItemStatus itemStatus,
      Instant now) {
    step.setStatus(status, now);
    for (RunState.WorkItem item : run.workItems) {
      if (item.stepInstanceId.equals(step.id) && item.status == WorkItemStatus.ASSIGNED) {
        item.setStatus(itemStatus, now);
        run.notifications.ofWorkItem(WORK_ITEM_CANCELED, item, fields(), now);
      }
    }
    // A job created earlier in this pass is simply not written; a stored one is deleted.
    if (!run.newJobs.removeIf(job -> job.stepInstanceId().equals(Optional.of(step.id)))) {
      run.canceledStepJobs.add(step.id);
    }
  }

  private static void enterStage(RunState run, CompiledOrchestration.Stage stage, Instant now) {
    int entry = run.stages.size() + 1;
    RunState.StageInstance instance =
        new RunState.StageInstance(
            Ids.next(),
            stage.definition().name(),
            stage.index(),
            entry,
            now,
            StageStatus.IN_PROGRESS,
            null);
    instance.isNew = true;
    run.stages.add(instance);
    run.notifications.ofStage(STAGE_STARTED, instance, now);
    for (CompiledOrchestration.Step step : stage.steps()) {
      RunState.StepInstance stepInstance =
          new RunState.StepInstance(
              Ids.next(),
              instance.id,
              step.definition().name(),
              step.index(),
              step.definition() instanceof StepDefinition.ApprovalStep ? "APPROVAL" : "BACKGROUND");
      stepInstance.isNew = true;
      run.steps.add(stepInstance);
    }
    run.currentStageId = instance.id;
    run.dirty = true;
  }

  private static void completeStage(RunState run, RunState.StageInstance stage, Instant now) {
    for (RunState.StepInstance step : run.stepsOf(stage)) {
      if (step.status == StepStatus.IN_PROGRESS) {
        discontinue(run, step, now);
      }
    }
    stage.end(StageStatus.COMPLETED, now);
    run.notifications.ofStage(STAGE_COMPLETED, stage, now);
  }

  /**
   * SPEC §3.1: an explicit routing outcome wins; otherwise APPROVED unless a work item was
   * rejected. An orchestration without approval steps therefore approves every submission.
   */
  private static void finishRun(RunState run, Instant now) {
    boolean approved =
        run.outcome != null ? TransitionDefinition.APPROVE.equals(run.outcome) : !run.rejected;
    endRun(
        run,
        RunStatus.COMPLETED,
        approved ? SubmissionStatus.APPROVED : SubmissionStatus.REJECTED,
        now);
  }

  /** Ends the run; {@code submissionStatus} null leaves the submission as it is. */
  private static void endRun(
      RunState run, RunStatus status, SubmissionStatus submissionStatus, Instant now) {
    run.currentStageId = null;
    run.setStatus(status, now);
    if (submissionStatus != null) {
      run.submission.setStatus(submissionStatus, null, now);
    }
    run.notifications.ofRun(
        status == RunStatus.CANCELED
            ? RUN_CANCELED
            : run.submission.status == SubmissionStatus.REJECTED ? RUN_REJECTED : RUN_COMPLETED,
        fields("submissionStatus", run.submission.status.name()),
        now);
  }

  private static void scheduleRecheck(RunState run, Instant at) {
    if (run.recheckAt == null || at.isBefore(run.recheckAt)) {
      run.recheckAt = at;
    }
  }

  private static RunState.NewEvent stepEvent(
      RunState.StepInstance step, StepStatus status, String payloadJson, Instant now) {
    return new RunState.NewEvent(
        Ids.next(),
        EventKind.STEP_RESULT.name(),
        step.id,
        status.name(),
        step.attempt,
        payloadJson,
        now);
  }
}
