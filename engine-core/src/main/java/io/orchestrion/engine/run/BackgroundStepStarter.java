package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.flows.EngineInterviewContext;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.security.RunAsResolver;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.AsyncReason;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.flow.HostFailures;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts a background step (SPEC §3.4, §5.3): resolves its flow, run-as user and inputs; an
 * asynchronous flow becomes a FLOW job leased by this node, a synchronous one runs now, in the
 * pass's transaction under a savepoint, within what remains of the call's synchronous time budget.
 */
final class BackgroundStepStarter {
  private final FlowCatalog flows;
  private final FlowInterpreter interpreter;
  private final RunAsResolver runAsResolver;
  private final RunRepository repository;
  private final EngineConfig config;

  @Inject
  BackgroundStepStarter(
      FlowCatalog flows,
      FlowInterpreter interpreter,
      RunAsResolver runAsResolver,
      RunRepository repository,
      EngineConfig config) {
    this.flows = flows;
    this.interpreter = interpreter;
    this.runAsResolver = runAsResolver;
    this.repository = repository;
    this.config = config;
  }

  void start(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      StepInstance step,
      StepDefinition.BackgroundStep definition,
      PassResolver resolver,
      RecordStore records,
      Instant now)
      throws SQLException {
    run.startStep(step, now);
    CompiledFlow flow;
    SecurityContext security;
    Map<String, Object> inputs;
    String inputsJson;
    try {
      flow = flows.active(uow.transaction(), definition.flow());
      run.resolveFlow(step, flow.apiName(), flow.version());
      security =
          runAsResolver.resolve(
              uow.transaction(),
              uow::directoryIndex,
              definition.runAs(),
              flow.definition().runMode(),
              new RunAsResolver.StepFacts(
                  step.name(),
                  run.id(),
                  run.submission().submitterId(),
                  field -> resolver.resolve(new Reference.RecordField(field).text())));
      run.runStepAs(step, security.userId(), security.effectiveMode());
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
      run.failStep(
          step, "step '%s' could not start: %s".formatted(step.name(), e.getMessage()), now);
      return;
    }
    var analysis = flow.analysis();
    run.classifyStep(
        step, analysis.mode(), executionReason(analysis.mode(), analysis.asyncReasons()));
    if (analysis.mode() == ExecutionMode.ASYNC) {
      run.outbox()
          .schedule(
              NewJob.flow(
                  run.id(),
                  step.id(),
                  step.attempt(),
                  inputsJson,
                  now,
                  config.nodeId(),
                  now.plus(config.leaseDuration())));
      return;
    }
    runSynchronously(uow, run, orchestration, step, flow, security, inputs, records, resolver, now);
  }

  /** "step 'Score' input mapping does not fit flow Score_Risk v2: $.recordId: ...". */
  private static String inputMappingError(
      StepInstance step, CompiledFlow flow, OrchestrionException refused) {
    String problems =
        refused.getProblems().isEmpty()
            ? refused.getMessage()
            : refused.getProblems().stream()
                .map(Object::toString)
                .collect(Collectors.joining("; "));
    return "step '%s' input mapping does not fit flow %s v%d: %s"
        .formatted(step.name(), flow.apiName(), flow.version(), problems);
  }

  private void runSynchronously(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      StepInstance step,
      CompiledFlow flow,
      SecurityContext security,
      Map<String, Object> inputs,
      RecordStore records,
      PassResolver resolver,
      Instant now)
      throws SQLException {
    // SPEC §3.4: the flow runs in the pass's transaction under a savepoint; a failure rolls its
    // writes back and the step, stage, run and submission are committed in ERROR.
    Savepoint savepoint = uow.transaction().setSavepoint();
    SegmentResult result;
    try {
      result =
          interpreter.start(
              flow,
              inputs,
              interviewContext(uow, run, step, security, records, now),
              synchronousLimits(run));
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        // Not the flow's failure: the whole transaction fails and is retried, never a step ERROR.
        throw e;
      }
      if (e.getErrorCode().name().equals(StandardErrorCode.INVALID_REQUEST.name())) {
        // The interpreter refused the inputs: the step's input mapping is wrong, no element ran.
        uow.transaction().rollbackTo(savepoint);
        run.failStep(step, inputMappingError(step, flow, e), now);
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
        uow.transaction().releaseSavepoint(savepoint);
        run.completeStep(orchestration, step, completed.outputs(), now);
      }
      case SegmentResult.Failed failed -> {
        uow.transaction().rollbackTo(savepoint);
        run.failStep(step, failed.failure().describe(), now);
      }
      case SegmentResult.Paused paused -> {
        uow.transaction().rollbackTo(savepoint);
        run.failStep(
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
  void startSynchronousBudget(RunState run) {
    if (run.synchronousDeadline().isEmpty()) {
      run.startSynchronousBudget(System.nanoTime() + config.synchronousTimeBudget().toNanos());
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
    long remaining = run.synchronousDeadline().orElseThrow() - System.nanoTime();
    if (remaining >= limits.maxSegmentTime().toNanos()) {
      return limits;
    }
    return limits.withMaxSegmentTime(
        Duration.ofNanos(Math.max(remaining, 1_000_000)),
        "synchronousTimeBudget of " + config.synchronousTimeBudget() + " for the pass");
  }

  InterviewContext interviewContext(
      UnitOfWork uow,
      RunState run,
      StepInstance step,
      SecurityContext security,
      RecordStore records,
      Instant now) {
    return new EngineInterviewContext(
        uow.transaction(),
        flows,
        runAsResolver.recordsFor(records, security, uow::directoryIndex),
        security,
        now,
        run.id() + "/" + step.id() + "/" + step.attempt(),
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
}
