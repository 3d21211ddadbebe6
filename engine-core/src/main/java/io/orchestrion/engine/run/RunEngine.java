package io.orchestrion.engine.run;

import static io.orchestrion.api.run.EventKind.RECALLED;
import static io.orchestrion.api.run.EventKind.RUN_RESUMED;
import static io.orchestrion.api.run.EventKind.RUN_SUSPENDED;
import static io.orchestrion.api.run.EventKind.SUBMITTED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_REASSIGNED;
import static io.orchestrion.engine.run.Notifications.fields;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.EscalationRung;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs and runs evaluation passes (SPEC §5.3). Every method works inside the caller's
 * transaction and holds the run's row lock from load to commit, so passes of one run never overlap,
 * whichever node runs them.
 */
public final class RunEngine {
  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  private final RunRepository repository;
  private final OrchestrationCatalog orchestrations;
  private final EngineConfig config;
  private final Assignees assignees;
  private final RunPermissions permissions;
  private final ApprovalStepStarter approvalSteps;
  private final EvaluationPass evaluation;
  private final ApprovalDecisions approvalDecisions;
  private final EscalationLadder escalation;

  private final EngineMetrics metrics;

  @Inject
  public RunEngine(
      RunRepository repository,
      OrchestrationCatalog orchestrations,
      EngineConfig config,
      Assignees assignees,
      RunPermissions permissions,
      ApprovalStepStarter approvalSteps,
      EvaluationPass evaluation,
      ApprovalDecisions approvalDecisions,
      EscalationLadder escalation,
      EngineMetrics metrics) {
    this.approvalDecisions = approvalDecisions;
    this.escalation = escalation;
    this.metrics = metrics;
    this.assignees = assignees;
    this.permissions = permissions;
    this.approvalSteps = approvalSteps;
    this.evaluation = evaluation;
    this.repository = repository;
    this.orchestrations = orchestrations;
    this.config = config;
  }

  /** The ids of a new submission and its run. */
  public record StartedRun(String submissionId, String runId) {}

  /**
   * Creates the submission, its run and the first stage, and runs the first evaluation pass, all in
   * the caller's transaction (SPEC §3.4: synchronous steps run inside it).
   */
  public StartedRun startRun(
      UnitOfWork uow,
      CompiledOrchestration orchestration,
      String objectType,
      String recordId,
      String submitterId,
      Optional<String> comments)
      throws SQLException {
    Instant now = uow.now();
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
    RunLogging.enter(uow, run);
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
    run.enterStage(orchestration.stages().get(0), now);
    pass(uow, run, orchestration);
    persist(uow, run);
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
  public void evaluate(UnitOfWork uow, String runId) throws SQLException {
    evaluate(uow, runId, UnderRunLock.NONE);
  }

  /** Like {@link #evaluate(UnitOfWork, String)}, running {@code underLock} first. */
  public void evaluate(UnitOfWork uow, String runId, UnderRunLock underLock) throws SQLException {
    RunState run = lock(uow, runId);
    underLock.run();
    Instant now = uow.now();
    pass(uow, run, orchestrationOf(uow, run));
    persist(uow, run);
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
      UnitOfWork uow, String runId, String stepInstanceId, int attempt, SegmentResult result)
      throws SQLException {
    return finishAsyncStep(uow, runId, stepInstanceId, attempt, result, UnderRunLock.NONE);
  }

  /** Like {@link #finishAsyncStep(UnitOfWork, String, String, int, SegmentResult)}, fenced. */
  public boolean finishAsyncStep(
      UnitOfWork uow,
      String runId,
      String stepInstanceId,
      int attempt,
      SegmentResult result,
      UnderRunLock underLock)
      throws SQLException {
    RunState run = lock(uow, runId);
    underLock.run();
    Optional<RunState.StepInstance> found = run.step(stepInstanceId);
    if (found.isEmpty()
        || found.get().status != StepStatus.IN_PROGRESS
        || found.get().attempt != attempt) {
      return false;
    }
    RunState.StepInstance step = found.get();
    RunLogging.step(step.name);
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    Instant now = uow.now();
    switch (result) {
      case SegmentResult.Completed completed -> {
        run.completeStep(orchestration, step, completed.outputs(), now);
        run.newEvents.add(
            stepEvent(step, StepStatus.COMPLETED, repository.writeJson(completed.outputs()), now));
      }
      case SegmentResult.Failed failed -> {
        String message = failed.failure().describe();
        run.newEvents.add(
            stepEvent(step, StepStatus.ERROR, repository.writeJson(Map.of("error", message)), now));
        run.failStep(step, message, now);
      }
      case SegmentResult.Paused paused ->
          throw new IllegalArgumentException("a paused interview has no step result");
    }
    pass(uow, run, orchestration);
    persist(uow, run);
    return true;
  }

  /**
   * Publishes a MANUAL orchestration event for a run (SPEC §4: to wake it after an outside change)
   * and evaluates the run.
   */
  public String publishManualEvent(UnitOfWork uow, String runId, Map<String, Object> payload)
      throws SQLException {
    RunState run = lock(uow, runId);
    Instant now = uow.now();
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
    pass(uow, run, orchestrationOf(uow, run));
    persist(uow, run);
    return event.eventId();
  }

  /**
   * Evaluates again, soon and in their own transactions, the IN_PROGRESS runs about a record that
   * {@code uow}'s record store changed so far (an asynchronous segment of run {@code runId}; SPEC
   * §5.3).
   */
  public void wakeRunsAbout(UnitOfWork uow, String runId) throws SQLException {
    if (repository.scheduleRechecksAbout(
            uow.transaction(), uow.records().changedRecordKeys(), runId, uow.now())
        > 0) {
      uow.jobsDue();
    }
  }

  /**
   * Delivers a stored event to its run again (at-least-once delivery, SPEC §4). A step result is
   * applied only while its step still waits for that attempt, so a second delivery changes nothing;
   * then the run is evaluated, which is a no-op when nothing else changed.
   */
  public void redeliver(UnitOfWork uow, String eventId) throws SQLException {
    StoredEvent event =
        repository
            .findEvent(uow.transaction(), eventId)
            .orElseThrow(() -> OrchestrionException.notFound("Event '" + eventId + "'"));
    RunState run = lock(uow, event.runId());
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    Instant now = uow.now();
    if (event.kind() == EventKind.STEP_RESULT && event.stepInstanceId() != null) {
      Optional<RunState.StepInstance> step = run.step(event.stepInstanceId());
      if (step.isPresent()
          && step.get().status == StepStatus.IN_PROGRESS
          && step.get().attempt == event.attempt()) {
        Map<String, Object> payload = repository.readMap(event.payloadJson());
        if (event.stepStatus() == StepStatus.COMPLETED) {
          run.completeStep(orchestration, step.get(), payload, now);
        } else {
          run.failStep(step.get(), String.valueOf(payload.get("error")), now);
        }
      }
    }
    pass(uow, run, orchestration);
    persist(uow, run);
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
   * Decides a work item (docs/orchestrations.md, "Several approvers and decision policies"):
   * authorizes the decider, records the decision, counts it with the step's decision policy — the
   * run's lock serialises deciders, so the step settles exactly once — and evaluates the run. A
   * decision on an item the step no longer waits for is a 409 saying how it ended.
   */
  public void decide(
      UnitOfWork uow,
      String runId,
      String workItemId,
      Decision decision,
      Optional<String> comments,
      String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actorId = actorId;
    RunState.WorkItem item = workItemOf(run, workItemId);
    ApprovalDecisions.requireOpen(run, item);
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    RunPermissions.Decider decider =
        permissions.requireMayDecide(uow, run, orchestration, item, actorId);
    Instant now = uow.now();
    run.lastApproverId = actorId;
    approvalDecisions.apply(
        uow,
        run,
        orchestration,
        item,
        decision,
        comments,
        actorId,
        decider.role(),
        decider.onBehalfOf(),
        "API",
        now);
    pass(uow, run, orchestration);
    persist(uow, run);
  }

  /**
   * Fires rung {@code rung} (0-based) of a work item's escalation ladder (docs/orchestrations.md,
   * "Escalation"), with any earlier rung of the item still pending (they fire first, in order, and
   * their jobs go): REMIND, REASSIGN or DECIDE, each only while the item is undecided. A rung of a
   * decided or canceled item is a no-op.
   */
  public void escalate(
      UnitOfWork uow, String runId, String workItemId, int rung, UnderRunLock underLock)
      throws SQLException {
    RunState run = lock(uow, runId);
    underLock.run();
    Optional<RunState.WorkItem> found = run.workItem(workItemId);
    if (found.isEmpty() || !ApprovalRules.isOpen(found.get().status)) {
      return;
    }
    RunState.WorkItem item = found.get();
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    RunState.StepInstance step = run.step(item.stepInstanceId).orElseThrow();
    List<EscalationRung> ladder =
        ApprovalDecisions.definitionOf(run, orchestration, step).escalation();
    if (rung < 0 || rung >= ladder.size()) {
      return; // cannot happen: a run keeps its orchestration version
    }
    RunLogging.step(step.name);
    Instant now = uow.now();
    List<Integer> rungs =
        new ArrayList<>(repository.takeEarlierRungs(uow.transaction(), workItemId, rung));
    rungs.add(rung);
    for (int index : rungs) {
      if (!ApprovalRules.isOpen(item.status)) {
        break;
      }
      EscalationRung definition = ladder.get(index);
      switch (definition.action()) {
        case REMIND -> escalation.remind(run, item, definition, index, now);
        case REASSIGN -> escalation.reassign(uow, run, item, definition, index, now);
        case DECIDE ->
            approvalDecisions.apply(
                uow,
                run,
                orchestration,
                item,
                Decision.valueOf(definition.decision().orElseThrow()),
                Optional.of(EscalationLadder.decisionComments(definition, index)),
                EscalationLadder.ENGINE_ACTOR,
                "SYSTEM",
                Optional.empty(),
                "SYSTEM",
                now);
      }
    }
    pass(uow, run, orchestration);
    persist(uow, run);
  }

  /** Gives a work item to another user, group or queue; it stays ASSIGNED. */
  public void reassign(
      UnitOfWork uow,
      String runId,
      String workItemId,
      String assigneeType,
      String assigneeId,
      String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actorId = actorId;
    RunState.WorkItem item = workItemOf(run, workItemId);
    if (!ApprovalRules.isOpen(item.status)) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "work item '%s' is %s; only ASSIGNED items can be reassigned"
              .formatted(workItemId, item.status));
    }
    boolean admin = permissions.isApprovalAdmin(uow, actorId);
    if (!ApprovalRules.isAssigneeOrAdmin(permissions.isAssignee(uow, item, actorId), admin)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the assignee of work item '%s' or an approval admin may reassign it"
              .formatted(workItemId));
    }
    switch (assigneeType) {
      case "USER" -> approvalSteps.requireActiveUser(uow, assigneeId, "user");
      case "GROUP" -> {
        if (!assignees.within(uow).groupExists(assigneeId)) {
          throw OrchestrionException.notFound("Group '" + assigneeId + "'");
        }
      }
      case "QUEUE" -> {
        if (!assignees.within(uow).queueExists(assigneeId)) {
          throw OrchestrionException.notFound("Queue '" + assigneeId + "'");
        }
      }
      default ->
          throw new OrchestrionException(
              StandardErrorCode.INVALID_REQUEST,
              "assignee type must be USER, GROUP or QUEUE, not '%s'".formatted(assigneeType));
    }
    Instant now = uow.now();
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
            admin && !permissions.isAssignee(uow, item, actorId) ? "ADMIN" : "ASSIGNEE",
            "API",
            "work item %s from %s to %s %s".formatted(workItemId, from, assigneeType, assigneeId),
            now));
    persist(uow, run);
  }

  /** Publishes an OVERDUE event for an approval step whose work item is still undecided. */
  public void overdue(UnitOfWork uow, String runId, String stepInstanceId, UnderRunLock underLock)
      throws SQLException {
    RunState run = lock(uow, runId);
    underLock.run();
    Instant now = uow.now();
    for (RunState.WorkItem item : run.workItems) {
      // A manager chain's later level has its own due time: only items already due are overdue.
      if (item.stepInstanceId.equals(stepInstanceId)
          && item.status == WorkItemStatus.ASSIGNED
          && (item.dueAt == null || !item.dueAt.isAfter(now))) {
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
    pass(uow, run, orchestrationOf(uow, run));
    persist(uow, run);
  }

  private static RunState.WorkItem workItemOf(RunState run, String workItemId) {
    return run.workItem(workItemId)
        .orElseThrow(() -> OrchestrionException.notFound("Work item '" + workItemId + "'"));
  }

  // ---- Submission and run operations (SPEC §3) ----

  /**
   * SPEC §3.1: the submission is RECALLED at once; the current stage and its unfinished steps are
   * CANCELED, open work items RECALLED, running interviews canceled; the recall stage, if any,
   * runs, and the run ends CANCELED.
   */
  public void recall(UnitOfWork uow, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actorId = actorId;
    requireOpen(run, "recalled");
    boolean submitter = actorId.equals(run.submission.submitterId);
    if (!ApprovalRules.mayRecall(submitter, permissions.isApprovalAdmin(uow, actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the submitter or an approval admin may recall submission '%s'"
              .formatted(run.submission.id));
    }
    Instant now = uow.now();
    run.submission.setStatus(SubmissionStatus.RECALLED, null, now);
    run.notifications.ofRun(RECALLED, fields("comments", comments.orElse(null)), now);
    run.cancelCurrentStage(WorkItemStatus.RECALLED, now);
    run.auditEntries.add(
        new RunState.AuditEntry(
            "RECALL",
            actorId,
            submitter ? "SUBMITTER" : "ADMIN",
            "API",
            comments.orElse(null),
            now));
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    if (orchestration.recallStage().isPresent()) {
      run.status = RunStatus.IN_PROGRESS;
      run.dirty = true;
      run.enterStage(orchestration.recallStage().get(), now);
      pass(uow, run, orchestration);
    } else {
      run.end(RunStatus.CANCELED, null, now);
    }
    persist(uow, run);
  }

  /** SPEC §3.1: like recall without the recall stage; the submission is CANCELED. */
  public void cancel(UnitOfWork uow, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actorId = actorId;
    requireOpen(run, "canceled");
    if (!ApprovalRules.mayCancel(permissions.isApprovalAdmin(uow, actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "canceling a submission needs an approval admin (APPROVAL_ADMIN)");
    }
    Instant now = uow.now();
    run.cancelCurrentStage(WorkItemStatus.CANCELED, now);
    run.end(RunStatus.CANCELED, SubmissionStatus.CANCELED, now);
    run.auditEntries.add(
        new RunState.AuditEntry("CANCEL", actorId, "ADMIN", "API", comments.orElse(null), now));
    persist(uow, run);
  }

  /** SPEC §3.2: a suspended run starts no new step; results that arrive apply on resume. */
  public void suspend(UnitOfWork uow, String runId, String actorId) throws SQLException {
    RunState run = switchStatus(uow, runId, actorId, RunStatus.IN_PROGRESS, RunStatus.SUSPENDED);
    persist(uow, run);
  }

  /** Suspends (IN_PROGRESS → SUSPENDED) or resumes a run, with its audit entry. */
  private RunState switchStatus(
      UnitOfWork uow, String runId, String actorId, RunStatus from, RunStatus to)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actorId = actorId;
    String verb = to == RunStatus.SUSPENDED ? "suspend" : "resume";
    permissions.requireRunManager(uow, actorId, verb);
    boolean allowed =
        to == RunStatus.SUSPENDED
            ? ApprovalRules.maySuspendFrom(run.status)
            : ApprovalRules.mayResumeFrom(run.status);
    if (!allowed) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only %s runs can be %s"
              .formatted(
                  runId, run.status, from, verb.equals("suspend") ? "suspended" : "resumed"));
    }
    Instant now = uow.now();
    run.setStatus(to, now);
    run.notifications.ofRun(to == RunStatus.SUSPENDED ? RUN_SUSPENDED : RUN_RESUMED, fields(), now);
    run.auditEntries.add(
        new RunState.AuditEntry(
            verb.toUpperCase(java.util.Locale.ROOT), actorId, "ADMIN", "API", null, now));
    return run;
  }

  public void resume(UnitOfWork uow, String runId, String actorId) throws SQLException {
    RunState run = switchStatus(uow, runId, actorId, RunStatus.SUSPENDED, RunStatus.IN_PROGRESS);
    pass(uow, run, orchestrationOf(uow, run));
    persist(uow, run);
  }

  /**
   * SPEC §3.3: re-runs the errored step of the current stage from the start, with the flow version
   * active now, and restarts the steps its failure discontinued; a run that failed without a failed
   * step (a condition or routing error) is simply evaluated again. Works for every error, at any
   * time later.
   */
  public void retry(UnitOfWork uow, String runId, String actorId) throws SQLException {
    RunState run = lock(uow, runId);
    run.actorId = actorId;
    permissions.requireRunManager(uow, actorId, "retry");
    if (!ApprovalRules.mayRetryFrom(run.status)) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only runs in ERROR can be retried".formatted(runId, run.status));
    }
    Instant now = uow.now();
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
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    RecordStore records = uow.records();
    PassResolver resolver = evaluation.resolver(uow, run, orchestration, records, now);
    CompiledOrchestration.Stage compiledStage = stage.compiledIn(orchestration);
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
      evaluation.startStep(
          uow,
          run,
          orchestration,
          step,
          compiledStage.steps().get(step.stepIndex),
          resolver,
          records,
          now);
    }
    pass(uow, run, orchestration);
    persist(uow, run);
  }

  private static void requireOpen(RunState run, String what) {
    if (!ApprovalRules.isOpen(run.submission.status)) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "submission '%s' is %s; only IN_PROGRESS submissions can be %s"
              .formatted(run.submission.id, run.submission.status, what));
    }
  }

  private RunState lock(UnitOfWork uow, String runId) throws SQLException {
    RunState run =
        repository
            .lockAndLoad(uow.transaction(), runId)
            .orElseThrow(() -> OrchestrionException.notFound("Run '" + runId + "'"));
    RunLogging.enter(uow, run);
    return run;
  }

  private CompiledOrchestration orchestrationOf(UnitOfWork uow, RunState run) {
    return orchestrations.version(
        uow.transaction(), run.submission.orchestration, run.submission.orchestrationVersion);
  }

  private void persist(UnitOfWork uow, RunState run) throws SQLException {
    observe(uow, run);
    List<String> localJobs =
        run.newJobs.stream().filter(job -> job.leasedBy(config.nodeId())).map(NewJob::id).toList();
    boolean events = !run.newEvents.isEmpty() || !run.notifications.isEmpty();
    Instant now = uow.now();
    boolean dueForAnyNode =
        run.newJobs.stream().anyMatch(job -> job.lease().isEmpty() && !job.dueAt().isAfter(now));
    repository.flush(uow.transaction(), run);
    if (dueForAnyNode) {
      uow.jobsDue();
    }
    run.newJobs.clear();
    run.newEvents.clear();
    localJobs.forEach(uow::jobReadyAfterCommit);
    if (events) {
      uow.eventsWrittenAfterCommit();
    }
  }

  /**
   * Records the steps and the submission this change ends, once it has committed (read before the
   * flush clears "dirty").
   */
  private void observe(UnitOfWork uow, RunState run) {
    Instant now = uow.now();
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
      uow.afterCommit(() -> observations.forEach(Runnable::run));
    }
  }

  /** One evaluation pass (SPEC §5.3) over the locked run, timed. */
  private void pass(UnitOfWork uow, RunState run, CompiledOrchestration orchestration)
      throws SQLException {
    evaluation.run(uow, run, orchestration);
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
