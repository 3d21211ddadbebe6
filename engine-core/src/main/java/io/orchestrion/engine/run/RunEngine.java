package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.orchestration.RunAsSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.EngineConfig;
import io.orchestrion.engine.flows.EngineInterviewContext;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.jobs.WorkSignals;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.flow.AsyncReason;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.security.RunModes;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
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

  @Inject
  public RunEngine(
      RunRepository repository,
      OrchestrationCatalog orchestrations,
      FlowCatalog flows,
      FlowInterpreter interpreter,
      RecordStores recordStores,
      WorkSignals signals,
      EngineConfig config,
      Clock clock) {
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
    run.auditEntries.add(
        new RunState.AuditEntry(
            "SUBMIT", submitterId, "SUBMITTER", "API", comments.orElse(null), now));
    enterStage(run, orchestration.stages().get(0), now);
    pass(tx, run, orchestration, now);
    persist(tx, run);
    return new StartedRun(submission.id, runId);
  }

  /** Locks the run and evaluates it (any trigger: event, timer, record change, API). */
  public void evaluate(Transaction tx, String runId) throws SQLException {
    RunState run = lock(tx, runId);
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
    RunState run = lock(tx, runId);
    Optional<RunState.StepInstance> found = run.step(stepInstanceId);
    if (found.isEmpty()
        || found.get().status != StepStatus.IN_PROGRESS
        || found.get().attempt != attempt) {
      return false;
    }
    RunState.StepInstance step = found.get();
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

  private RunState lock(Transaction tx, String runId) throws SQLException {
    return repository
        .lockAndLoad(tx, runId)
        .orElseThrow(() -> OrchestrionException.notFound("Run '" + runId + "'"));
  }

  private CompiledOrchestration orchestrationOf(Transaction tx, RunState run) {
    return orchestrations.version(
        tx, run.submission.orchestration, run.submission.orchestrationVersion);
  }

  private void persist(Transaction tx, RunState run) throws SQLException {
    List<String> localJobs =
        run.newJobs.stream()
            .filter(job -> config.nodeId().equals(job.leaseOwner()))
            .map(RunState.NewJob::id)
            .toList();
    boolean events = !run.newEvents.isEmpty();
    repository.flush(tx, run);
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

  // ---- The evaluation pass ----

  private void pass(Transaction tx, RunState run, CompiledOrchestration orchestration, Instant now)
      throws SQLException {
    if (run.status != RunStatus.IN_PROGRESS) {
      return;
    }
    RecordStore records = recordStores.open(tx);
    PassResolver resolver = new PassResolver(run, records, now, orchestration.timeZone());
    int transitions = 0;
    try {
      while (run.status == RunStatus.IN_PROGRESS) {
        Optional<RunState.StageInstance> current = run.currentStage();
        if (current.isEmpty()) {
          return;
        }
        RunState.StageInstance stage = current.get();
        CompiledOrchestration.Stage compiledStage = orchestration.stages().get(stage.stageIndex);
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
        if (++transitions > MAX_STAGE_TRANSITIONS) {
          failRun(
              run,
              "routing loop: more than %d stage transitions in one evaluation pass"
                  .formatted(MAX_STAGE_TRANSITIONS),
              now);
          return;
        }
        int next = stage.stageIndex + 1;
        if (next < orchestration.stages().size()) {
          enterStage(run, orchestration.stages().get(next), now);
        } else {
          finishRun(run, now);
        }
      }
    } catch (OrchestrionException e) {
      if (e.getErrorCode().type() == io.orchestrion.api.ErrorType.INTERNAL_ERROR) {
        // A database failure: the transaction is lost; let the caller's retry logic see it.
        throw e;
      }
      // A condition (plugin) failure, a missing record: the run cannot be evaluated. It goes to
      // ERROR with the reason, rather than the whole transaction failing, so that the caller
      // sees the state and an admin can retry once the cause is fixed.
      log.warn("Evaluation of run {} failed: {}", run.id, e.getMessage());
      failRun(run, e.getMessage(), now);
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
        switch (compiledStep.definition()) {
          case StepDefinition.BackgroundStep background ->
              startBackgroundStep(tx, run, orchestration, step, background, resolver, records, now);
          case StepDefinition.ApprovalStep approval ->
              failStep(run, step, "approval steps are not supported yet (issue #5)", now);
        }
        if (run.status != RunStatus.IN_PROGRESS) {
          return;
        }
      }
    }
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
    CompiledFlow flow;
    SecurityContext security;
    Map<String, Object> inputs;
    String inputsJson;
    try {
      flow = flows.active(tx, definition.flow());
      step.flow = flow.apiName();
      step.flowVersion = flow.version();
      security = runAs(definition.runAs(), flow, resolver, run);
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
      failStep(
          run, step, "step '%s' could not start: %s".formatted(step.name, e.getMessage()), now);
      return;
    }
    var analysis = flow.analysis();
    step.executionMode = analysis.mode().name();
    step.executionReason = executionReason(analysis.mode(), analysis.asyncReasons());
    if (analysis.mode() == ExecutionMode.ASYNC) {
      run.newJobs.add(
          new RunState.NewJob(
              Ids.next(),
              "FLOW",
              step.id,
              step.attempt,
              inputsJson,
              now,
              config.nodeId(),
              Ids.next(),
              now.plus(config.leaseDuration())));
      return;
    }
    runSynchronously(tx, run, orchestration, step, flow, security, inputs, records, resolver, now);
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
          interpreter.start(flow, inputs, interviewContext(tx, run, step, security, records, now));
    } catch (OrchestrionException e) {
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

  InterviewContext interviewContext(
      Transaction tx,
      RunState run,
      RunState.StepInstance step,
      SecurityContext security,
      RecordStore records,
      Instant now) {
    return new EngineInterviewContext(
        tx, flows, records, security, now, run.id + "/" + step.id + "/" + step.attempt);
  }

  private SecurityContext runAs(
      RunAsSpec runAs, CompiledFlow flow, PassResolver resolver, RunState run) {
    String userId =
        switch (runAs.type()) {
          case AUTOMATED_PROCESS_USER -> SystemUsers.AUTOMATED_PROCESS_USER_ID;
          case SUBMITTER -> run.submission.submitterId;
          case USER -> runAs.userId().orElseThrow();
          case RECORD_FIELD -> {
            Object value = resolver.resolve("$Record." + runAs.field().orElseThrow()).orElse(null);
            if (!(value instanceof String id) || id.isBlank()) {
              throw new OrchestrionException(
                  StandardErrorCode.INVALID_REQUEST,
                  "runAs RECORD_FIELD: field '%s' of the record holds no user id"
                      .formatted(runAs.field().orElseThrow()));
            }
            yield id;
          }
          case LAST_APPROVER ->
              throw new OrchestrionException(
                  StandardErrorCode.INVALID_REQUEST,
                  "runAs LAST_APPROVER: no work item of this run has been decided");
        };
    RunMode mode = RunModes.resolve(flow.definition().runMode(), userId);
    return new SecurityContext(userId, mode);
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
    orchestration.stages().stream()
        .flatMap(stage -> stage.step(step.name).stream())
        .findFirst()
        .ifPresent(
            compiled -> {
              if (compiled.definition() instanceof StepDefinition.BackgroundStep background) {
                background
                    .outputs()
                    .forEach(
                        (flowOutput, variable) -> {
                          run.variables.put(variable, outputs.get(flowOutput));
                          run.dirty = true;
                        });
              }
            });
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
    run.submission.setStatus(SubmissionStatus.ERROR, message, now);
  }

  private static void discontinue(RunState run, RunState.StepInstance step, Instant now) {
    step.setStatus(StepStatus.DISCONTINUED, now);
    // A job created earlier in this pass is simply not written; a stored one is deleted.
    if (!run.newJobs.removeIf(job -> step.id.equals(job.stepInstanceId()))) {
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
  }

  private static void finishRun(RunState run, Instant now) {
    run.currentStageId = null;
    run.setStatus(RunStatus.COMPLETED, now);
    // No approval step can reject yet (issue #5): a completed run approves (SPEC §3.1).
    run.submission.setStatus(SubmissionStatus.APPROVED, null, now);
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
