package io.orchestrion.engine.run;

import static io.orchestrion.api.run.EventKind.WORK_ITEM_REASSIGNED;
import static io.orchestrion.engine.run.model.Notifications.fields;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.EscalationRung;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.Ids;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.Submission;
import io.orchestrion.engine.run.model.WorkItem;
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
  private final LocalHandOffs handOffs;

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
      EngineMetrics metrics,
      LocalHandOffs handOffs) {
    this.handOffs = handOffs;
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

  /**
   * The ids of a new submission and its run, and the submission as the transaction wrote it (built
   * from the run aggregate, not read back).
   */
  public record StartedRun(String submissionId, String runId, SubmissionView submission) {}

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
    RunState run = RunState.submit(orchestration, objectType, recordId, submitterId, comments, now);
    RunLogging.enter(uow, run);
    pass(uow, run, orchestration);
    // Before the flush, which empties the outbox that holds the submission's audit entries.
    SubmissionView submission = RunViews.created(run);
    persist(uow, run);
    return new StartedRun(run.submission().id(), run.id(), submission);
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
    Optional<StepInstance> found = run.step(stepInstanceId);
    if (found.isEmpty()
        || found.get().status() != StepStatus.IN_PROGRESS
        || found.get().attempt() != attempt) {
      return false;
    }
    StepInstance step = found.get();
    RunLogging.step(step.name());
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    Instant now = uow.now();
    switch (result) {
      case SegmentResult.Completed completed -> {
        run.completeStep(orchestration, step, completed.outputs(), now);
        run.outbox()
            .publish(
                stepEvent(
                    step, StepStatus.COMPLETED, repository.writeJson(completed.outputs()), now));
      }
      case SegmentResult.Failed failed -> {
        String message = failed.failure().describe();
        run.outbox()
            .publish(
                stepEvent(
                    step, StepStatus.ERROR, repository.writeJson(Map.of("error", message)), now));
        run.failStep(step, message, now);
      }
      case SegmentResult.Paused paused ->
          throw new IllegalArgumentException("a paused interview has no step result");
    }
    pass(uow, run, orchestration);
    persist(uow, run, orchestration);
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
    RunOutbox.NewEvent event =
        new RunOutbox.NewEvent(
            Ids.next(),
            EventKind.MANUAL,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            repository.writeJson(payload),
            now);
    run.outbox().publish(event);
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
      Optional<StepInstance> step = run.step(event.stepInstanceId());
      if (step.isPresent()
          && step.get().status() == StepStatus.IN_PROGRESS
          && step.get().attempt() == event.attempt()) {
        Map<String, Object> payload = repository.readMap(event.payloadJson());
        if (event.stepStatus() == StepStatus.COMPLETED) {
          run.completeStep(orchestration, step.get(), payload, now);
        } else {
          run.failStep(step.get(), String.valueOf(payload.get("error")), now);
        }
      }
    }
    pass(uow, run, orchestration);
    persist(uow, run, orchestration);
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
   *
   * @return the decided item as this transaction wrote it (not read back)
   */
  public WorkItemView decide(
      UnitOfWork uow,
      String runId,
      String workItemId,
      Decision decision,
      Optional<String> comments,
      String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actAs(actorId);
    WorkItem item = workItemOf(run, workItemId);
    ApprovalDecisions.requireOpen(run, item);
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    RunPermissions.Decider decider =
        permissions.requireMayDecide(uow, run, orchestration, item, actorId);
    Instant now = uow.now();
    run.recordApprover(actorId);
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
    persist(uow, run, orchestration);
    return RunViews.workItem(run, item);
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
    Optional<WorkItem> found = run.workItem(workItemId);
    if (found.isEmpty() || !found.get().isOpen()) {
      return;
    }
    WorkItem item = found.get();
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    StepInstance step = run.step(item.stepInstanceId()).orElseThrow();
    List<EscalationRung> ladder =
        ApprovalDecisions.definitionOf(run, orchestration, step).escalation();
    if (rung < 0 || rung >= ladder.size()) {
      return; // cannot happen: a run keeps its orchestration version
    }
    RunLogging.step(step.name());
    Instant now = uow.now();
    List<Integer> rungs =
        new ArrayList<>(repository.takeEarlierRungs(uow.transaction(), workItemId, rung));
    rungs.add(rung);
    for (int index : rungs) {
      if (!item.isOpen()) {
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
    persist(uow, run, orchestration);
  }

  /**
   * Gives a work item to another user, group or queue; it stays ASSIGNED. Returns the item as this
   * transaction wrote it (not read back).
   */
  public WorkItemView reassign(
      UnitOfWork uow,
      String runId,
      String workItemId,
      String assigneeType,
      String assigneeId,
      String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actAs(actorId);
    WorkItem item = workItemOf(run, workItemId);
    if (!item.isOpen()) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "work item '%s' is %s; only ASSIGNED items can be reassigned"
              .formatted(workItemId, item.status()));
    }
    boolean admin = permissions.isApprovalAdmin(uow, actorId);
    if (!ApprovalRules.isAssigneeOrAdmin(permissions.isAssignee(uow, item, actorId), admin)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the assignee of work item '%s' or an approval admin may reassign it"
              .formatted(workItemId));
    }
    Assignee to = Assignee.of(assigneeType, assigneeId);
    switch (to.type()) {
      case USER -> approvalSteps.requireActiveUser(uow, assigneeId, "user");
      case GROUP -> {
        if (!assignees.within(uow).groupExists(assigneeId)) {
          throw OrchestrionException.notFound("Group '" + assigneeId + "'");
        }
      }
      case QUEUE -> {
        if (!assignees.within(uow).queueExists(assigneeId)) {
          throw OrchestrionException.notFound("Queue '" + assigneeId + "'");
        }
      }
    }
    Instant now = uow.now();
    Assignee from = item.assignee();
    run.reassign(item, to, WORK_ITEM_REASSIGNED, fields(), now);
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                "REASSIGN",
                actorId,
                admin && !permissions.isAssignee(uow, item, actorId) ? "ADMIN" : "ASSIGNEE",
                "API",
                Optional.of("work item %s from %s to %s".formatted(workItemId, from, to)),
                now));
    persist(uow, run);
    return RunViews.workItem(run, item);
  }

  /** Publishes an OVERDUE event for an approval step whose work item is still undecided. */
  public void overdue(UnitOfWork uow, String runId, String stepInstanceId, UnderRunLock underLock)
      throws SQLException {
    RunState run = lock(uow, runId);
    underLock.run();
    Instant now = uow.now();
    for (WorkItem item : run.workItems()) {
      // A manager chain's later level has its own due time: only items already due are overdue.
      if (item.stepInstanceId().equals(stepInstanceId)
          && item.isOpen()
          && item.dueAt().map(due -> !due.isAfter(now)).orElse(true)) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("workItemId", item.id());
        payload.put("step", item.stepName());
        payload.put("dueAt", String.valueOf(item.dueAt().orElse(null)));
        run.outbox()
            .publish(
                new RunOutbox.NewEvent(
                    Ids.next(),
                    EventKind.OVERDUE,
                    Optional.of(stepInstanceId),
                    Optional.empty(),
                    Optional.empty(),
                    repository.writeJson(payload),
                    now));
      }
    }
    pass(uow, run, orchestrationOf(uow, run));
    persist(uow, run);
  }

  private static WorkItem workItemOf(RunState run, String workItemId) {
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
    run.actAs(actorId);
    requireOpen(run, "recalled");
    boolean submitter = actorId.equals(run.submission().submitterId());
    if (!ApprovalRules.mayRecall(submitter, permissions.isApprovalAdmin(uow, actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the submitter or an approval admin may recall submission '%s'"
              .formatted(run.submission().id()));
    }
    Instant now = uow.now();
    run.recall(comments, now);
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                "RECALL", actorId, submitter ? "SUBMITTER" : "ADMIN", "API", comments, now));
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    if (orchestration.recallStage().isPresent()) {
      run.enterRecallStage(orchestration.recallStage().get(), now);
      pass(uow, run, orchestration);
    } else {
      run.endRecalled(now);
    }
    persist(uow, run, orchestration);
  }

  /** SPEC §3.1: like recall without the recall stage; the submission is CANCELED. */
  public void cancel(UnitOfWork uow, String runId, Optional<String> comments, String actorId)
      throws SQLException {
    RunState run = lock(uow, runId);
    run.actAs(actorId);
    requireOpen(run, "canceled");
    if (!ApprovalRules.mayCancel(permissions.isApprovalAdmin(uow, actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "canceling a submission needs an approval admin (APPROVAL_ADMIN)");
    }
    Instant now = uow.now();
    run.cancel(now);
    run.outbox().audit(new RunOutbox.AuditEntry("CANCEL", actorId, "ADMIN", "API", comments, now));
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
    run.actAs(actorId);
    String verb = to == RunStatus.SUSPENDED ? "suspend" : "resume";
    permissions.requireRunManager(uow, actorId, verb);
    boolean allowed =
        to == RunStatus.SUSPENDED
            ? ApprovalRules.maySuspendFrom(run.status())
            : ApprovalRules.mayResumeFrom(run.status());
    if (!allowed) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only %s runs can be %s"
              .formatted(
                  runId, run.status(), from, verb.equals("suspend") ? "suspended" : "resumed"));
    }
    Instant now = uow.now();
    if (to == RunStatus.SUSPENDED) {
      run.suspend(now);
    } else {
      run.resume(now);
    }
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                verb.toUpperCase(java.util.Locale.ROOT),
                actorId,
                "ADMIN",
                "API",
                Optional.empty(),
                now));
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
    run.actAs(actorId);
    permissions.requireRunManager(uow, actorId, "retry");
    if (!ApprovalRules.mayRetryFrom(run.status())) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "run '%s' is %s; only runs in ERROR can be retried".formatted(runId, run.status()));
    }
    Instant now = uow.now();
    StageInstance stage =
        run.currentStage()
            .orElseThrow(
                () ->
                    new OrchestrionException(
                        StandardErrorCode.CONFLICT,
                        "run '%s' has no current stage".formatted(runId)));
    run.outbox()
        .audit(new RunOutbox.AuditEntry("RETRY", actorId, "ADMIN", "API", Optional.empty(), now));
    run.retry(stage, now);
    CompiledOrchestration orchestration = orchestrationOf(uow, run);
    RecordStore records = uow.records();
    PassResolver resolver = evaluation.resolver(uow, run, orchestration, records, now);
    CompiledOrchestration.Stage compiledStage = stage.compiledIn(orchestration);
    List<StepInstance> restart = new ArrayList<>();
    for (StepInstance step : run.stepsOf(stage)) {
      if (step.status() == StepStatus.ERROR) {
        restart.add(0, step);
        for (StepInstance sibling : run.stepsOf(stage)) {
          if (sibling.discontinuedBy().equals(Optional.of(step.id()))) {
            restart.add(sibling);
          }
        }
      }
    }
    for (StepInstance step : restart) {
      if (run.status() != RunStatus.IN_PROGRESS) {
        break;
      }
      // Starting it again clears its error, outputs and discontinuedBy.
      evaluation.startStep(
          uow,
          run,
          orchestration,
          step,
          compiledStage.steps().get(step.stepIndex()),
          resolver,
          records,
          now);
    }
    pass(uow, run, orchestration);
    persist(uow, run, orchestration);
  }

  private static void requireOpen(RunState run, String what) {
    if (!ApprovalRules.isOpen(run.submission().status())) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "submission '%s' is %s; only IN_PROGRESS submissions can be %s"
              .formatted(run.submission().id(), run.submission().status(), what));
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
        uow.transaction(),
        run.submission().orchestration(),
        run.submission().orchestrationVersion());
  }

  /**
   * Like {@link #persist(UnitOfWork, RunState)}, for a command that knows the run's orchestration:
   * the work items it closed whose step has no escalation ladder have no stored job (rungs are a
   * work item's only jobs, {@link EscalationLadder#schedule}; a run keeps its orchestration
   * version), so the flush deletes none for them.
   */
  private void persist(UnitOfWork uow, RunState run, CompiledOrchestration orchestration)
      throws SQLException {
    for (WorkItem item : run.workItems()) {
      if (item.isChanged() && !item.isOpen()) {
        StepInstance step = run.step(item.stepInstanceId()).orElseThrow();
        if (ApprovalDecisions.definitionOf(run, orchestration, step).escalation().isEmpty()) {
          run.outbox().withoutStoredJobs(item.id());
        }
      }
    }
    persist(uow, run);
  }

  private void persist(UnitOfWork uow, RunState run) throws SQLException {
    observe(uow, run);
    List<NewJob> newJobs = run.outbox().newJobs();
    List<String> localJobs =
        newJobs.stream().filter(job -> job.leasedBy(config.nodeId())).map(NewJob::id).toList();
    // What this node's worker needs of them, carried in memory (read before the flush).
    List<LocalHandOffs.HandOff> carried = new ArrayList<>();
    for (NewJob job : newJobs) {
      if (job.leasedBy(config.nodeId()) && job.stepInstanceId().isPresent()) {
        run.step(job.stepInstanceId().get())
            .flatMap(step -> LocalHandOffs.of(job, run.submission().id(), step))
            .ifPresent(carried::add);
      }
    }
    boolean events = !run.outbox().newEvents().isEmpty() || !run.notifications().isEmpty();
    Instant now = uow.now();
    boolean dueForAnyNode =
        newJobs.stream().anyMatch(job -> job.lease().isEmpty() && !job.dueAt().isAfter(now));
    repository.flush(uow.transaction(), run);
    if (dueForAnyNode) {
      uow.jobsDue();
    }
    if (!carried.isEmpty()) {
      // Before the wake-ups below: after-commit actions run in order.
      uow.afterCommit(() -> carried.forEach(handOffs::put));
    }
    localJobs.forEach(uow::jobReadyAfterCommit);
    if (events) {
      uow.eventsWrittenAfterCommit();
    }
  }

  /**
   * Records the steps and the submission this change ends, once it has committed (read before the
   * flush marks the run persisted).
   */
  private void observe(UnitOfWork uow, RunState run) {
    Instant now = uow.now();
    List<Runnable> observations = new ArrayList<>();
    for (StepInstance step : run.steps()) {
      if ((step.isChanged() || step.isNew())
          && (step.status() == StepStatus.COMPLETED || step.status() == StepStatus.ERROR)
          && step.flow().isPresent()
          && step.startedAt().isPresent()
          && step.endedAt().isPresent()) {
        String flow = step.flow().get();
        String mode = step.executionMode().map(Enum::name).orElse("NONE");
        String status = step.status().name();
        Duration duration = Duration.between(step.startedAt().get(), step.endedAt().get());
        observations.add(() -> metrics.stepEnded(flow, mode, status, duration));
      }
    }
    Submission submission = run.submission();
    if ((submission.isChanged() || submission.isNew())
        && submission.status() != SubmissionStatus.IN_PROGRESS) {
      String orchestration = submission.orchestration();
      SubmissionStatus status = submission.status();
      Duration cycle = Duration.between(submission.createdAt(), now);
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

  private static RunOutbox.NewEvent stepEvent(
      StepInstance step, StepStatus status, String payloadJson, Instant now) {
    return new RunOutbox.NewEvent(
        Ids.next(),
        EventKind.STEP_RESULT,
        Optional.of(step.id()),
        Optional.of(status),
        Optional.of(step.attempt()),
        payloadJson,
        now);
  }
}
