package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.flows.EngineInterviewContext;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.records.JdbcRecordStore;
import io.orchestrion.engine.run.model.Outcome;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.HostFailures;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation pass (SPEC §5.3), run under the run's lock by every command that changes a run:
 * starts the current stage's steps whose start conditions hold (background steps and approval steps
 * through their starters, evaluation flows as the automated process user), exits the stage when its
 * exit condition holds and routes to the next (SPEC §5.4), until the run waits or ends; then
 * records what the pass observed and wakes runs waiting on records this one changed.
 */
final class EvaluationPass {
  private static final Logger log = LoggerFactory.getLogger(EvaluationPass.class);

  /** More stage transitions than this in one pass is a routing loop (SPEC §5.3). */
  static final int MAX_STAGE_TRANSITIONS = 100;

  private final RunRepository repository;
  private final FlowCatalog flows;
  private final FlowInterpreter interpreter;
  private final ApprovalStepStarter approvalSteps;
  private final BackgroundStepStarter backgroundSteps;
  private final EngineMetrics metrics;

  @Inject
  EvaluationPass(
      RunRepository repository,
      FlowCatalog flows,
      FlowInterpreter interpreter,
      ApprovalStepStarter approvalSteps,
      BackgroundStepStarter backgroundSteps,
      EngineMetrics metrics) {
    this.repository = repository;
    this.flows = flows;
    this.interpreter = interpreter;
    this.approvalSteps = approvalSteps;
    this.backgroundSteps = backgroundSteps;
    this.metrics = metrics;
  }

  /**
   * One pass over the locked run at {@code uow}'s instant: starts what may start, exits and routes
   * stages; timed.
   */
  void run(UnitOfWork uow, RunState run, CompiledOrchestration orchestration) throws SQLException {
    long started = System.nanoTime();
    try {
      evaluationPass(uow, run, orchestration, uow.now());
    } finally {
      metrics.evaluationPass(System.nanoTime() - started);
    }
  }

  private void evaluationPass(
      UnitOfWork uow, RunState run, CompiledOrchestration orchestration, Instant now)
      throws SQLException {
    if (run.status() != RunStatus.IN_PROGRESS) {
      return;
    }
    backgroundSteps.startSynchronousBudget(run);
    JdbcRecordStore records = uow.records();
    int changesBefore = records.changeMark();
    PassResolver resolver = resolver(uow, run, orchestration, records, now);
    try {
      runStages(uow, run, orchestration, resolver, records, now);
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        // A database failure: the transaction is lost; let the caller's retry logic see it, and
        // run no more SQL in it (on PostgreSQL that would fail too and hide this error).
        throw e;
      }
      // A condition (plugin) failure, a missing record: the run cannot be evaluated. It goes to
      // ERROR with the reason, rather than the whole transaction failing, so that the caller
      // sees the state and an admin can retry once the cause is fixed.
      log.warn("Evaluation of run {} failed: {}", run.id(), e.getMessage());
      run.fail(e.getMessage(), now);
    }
    // Not in a finally block: after a failure that propagates, no more SQL runs.
    endPass(uow, run, resolver, records.changedRecordKeysSince(changesBefore), now);
  }

  /** Steps 2 and 3 of SPEC §5.3, stage after stage, until the run waits or ends. */
  private void runStages(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      PassResolver resolver,
      JdbcRecordStore records,
      Instant now)
      throws SQLException {
    int transitions = 0;
    while (run.status() == RunStatus.IN_PROGRESS) {
      Optional<StageInstance> current = run.currentStage();
      if (current.isEmpty()) {
        return;
      }
      StageInstance stage = current.get();
      CompiledOrchestration.Stage compiledStage = stage.compiledIn(orchestration);
      startSteps(uow, run, orchestration, compiledStage, stage, resolver, records, now);
      if (run.status() != RunStatus.IN_PROGRESS) {
        return;
      }
      ConditionResult exit = compiledStage.exit().evaluate(resolver);
      if (!exit.met()) {
        exit.recheckAt().ifPresent(at -> run.outbox().scheduleRecheck(at));
        return;
      }
      run.completeStage(stage, now);
      if (stage.isRecall()) {
        // The recall stage finished: the run ends CANCELED, the submission stays RECALLED.
        run.endRecalled(now);
        return;
      }
      if (++transitions > MAX_STAGE_TRANSITIONS) {
        run.fail(
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
      UnitOfWork uow, RunState run, PassResolver resolver, Set<String> changedRecords, Instant now)
      throws SQLException {
    run.recordObservations(resolver.observed(), resolver.evaluations());
    // SPEC §5.3: a record this run's flows changed in this pass may be what another run waits for.
    // Its own record is left out: submissions.open_record_key is unique, so the only open
    // submission on it is this run's (issue 11: the lookup found nothing in the common case).
    Set<String> changed = new LinkedHashSet<>(changedRecords);
    changed.remove(run.submission().recordKey());
    if (repository.scheduleRechecksAbout(uow.transaction(), changed, run.id(), now) > 0) {
      uow.jobsDue(); // whichever node is free runs them, now
    }
  }

  /**
   * The resolver a pass uses now, reading through {@code uow}; also what explanations evaluate
   * conditions with (nothing is written then).
   */
  PassResolver resolver(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      RecordStore records,
      Instant now) {
    return new PassResolver(
        run,
        records,
        now,
        orchestration.timeZone(),
        (apiName, inputs) -> runEvaluationFlow(uow, records, run, apiName, inputs, now));
  }

  /** SPEC §6.5: evaluation flows run as the automated process user, without sharing. */
  private boolean runEvaluationFlow(
      UnitOfWork uow,
      RecordStore records,
      RunState run,
      String apiName,
      Map<String, Object> inputs,
      Instant now) {
    CompiledFlow flow = flows.active(uow.transaction(), apiName);
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
                uow.transaction(),
                flows,
                records,
                SystemUsers.automatedProcess(),
                now,
                run.id() + "/evaluation/" + apiName,
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
      run.routeTo(Outcome.valueOf(target), now);
    } else if (target != null) {
      run.enterStage(orchestration.stage(target).orElseThrow(), now);
    } else if (stage.index() + 1 < orchestration.stages().size()) {
      run.enterStage(orchestration.stages().get(stage.index() + 1), now);
    } else {
      run.finish(now);
    }
  }

  private void startSteps(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      CompiledOrchestration.Stage compiledStage,
      StageInstance stage,
      PassResolver resolver,
      RecordStore records,
      Instant now)
      throws SQLException {
    boolean changed = true;
    while (changed && run.status() == RunStatus.IN_PROGRESS) {
      changed = false;
      for (StepInstance step : run.stepsOf(stage)) {
        if (step.status() != StepStatus.NOT_STARTED) {
          continue;
        }
        CompiledOrchestration.Step compiledStep = compiledStage.steps().get(step.stepIndex());
        ConditionResult start = compiledStep.start().evaluate(resolver);
        if (!start.met()) {
          start.recheckAt().ifPresent(at -> run.outbox().scheduleRecheck(at));
          continue;
        }
        changed = true;
        startStep(uow, run, orchestration, step, compiledStep, resolver, records, now);
        if (run.status() != RunStatus.IN_PROGRESS || run.currentStage().orElse(null) != stage) {
          return;
        }
      }
    }
  }

  /** Starts one step (a retry restarts failed steps with it). */
  void startStep(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      StepInstance step,
      CompiledOrchestration.Step compiledStep,
      PassResolver resolver,
      RecordStore records,
      Instant now)
      throws SQLException {
    switch (compiledStep.definition()) {
      case StepDefinition.BackgroundStep background ->
          backgroundSteps.start(uow, run, orchestration, step, background, resolver, records, now);
      case StepDefinition.ApprovalStep approval ->
          approvalSteps.start(uow, run, step, approval, resolver, now);
    }
  }
}
