package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.RunExplanation.ConditionExplanation;
import io.orchestrion.engine.api.RunExplanation.StepExplanation;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.orchestration.PluginCondition;
import io.orchestrion.engine.queue.JobTable;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.spi.ConditionResult;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers "why is this step waiting?" (SPEC §5.5) by evaluating, without writing anything, the
 * conditions an evaluation pass would test now: the stage's exit and the start condition of every
 * NOT_STARTED step of the current stage. Evaluation flows run again, so their answer is the answer
 * at {@link RunExplanation#evaluatedAt()}.
 */
public final class RunExplainer {
  private static final String STEP_COMPLETED = "STEP_COMPLETED";

  private final RunRepository repository;
  private final EvaluationPass evaluation;
  private final OrchestrationCatalog orchestrations;
  private final ApprovalExplanations approvals;

  @Inject
  RunExplainer(
      RunRepository repository,
      EvaluationPass evaluation,
      OrchestrationCatalog orchestrations,
      ApprovalExplanations approvals) {
    this.approvals = approvals;
    this.repository = repository;
    this.evaluation = evaluation;
    this.orchestrations = orchestrations;
  }

  public RunExplanation explain(UnitOfWork uow, String runId) throws SQLException {
    RunState run =
        repository
            .read(uow.transaction(), runId)
            .orElseThrow(() -> OrchestrionException.notFound("Run '" + runId + "'"));
    Instant now = uow.now();
    Optional<Instant> recheck = JobTable.nextRecheck(uow.connection(), runId);
    Optional<StageInstance> current = run.currentStage();
    if (current.isEmpty()) {
      return new RunExplanation(
          run.id(),
          run.status(),
          Optional.of(note(run).orElse("the run has no current stage")),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          recheck,
          now);
    }
    StageInstance stage = current.get();
    CompiledOrchestration orchestration =
        orchestrations.version(
            uow.transaction(),
            run.submission().orchestration(),
            run.submission().orchestrationVersion());
    CompiledOrchestration.Stage compiledStage = stage.compiledIn(orchestration);
    PassResolver resolver = evaluation.resolver(uow, run, orchestration, uow.records(), now);

    Map<String, StepStatus> statuses = new HashMap<>();
    for (StepInstance step : run.stepsOf(stage)) {
      statuses.put(step.name(), step.status());
    }
    List<StepExplanation> steps = new ArrayList<>();
    Map<String, String> blocked = new HashMap<>();
    for (StepInstance step : run.stepsOf(stage)) {
      if (step.status() != StepStatus.NOT_STARTED) {
        continue;
      }
      CompiledOrchestration.Step compiledStep = compiledStage.steps().get(step.stepIndex());
      ConditionExplanation start = explain(compiledStep.start(), resolver, run);
      blockedForever(compiledStep, statuses, compiledStage)
          .ifPresent(reason -> blocked.put(step.name(), reason));
      steps.add(
          new StepExplanation(
              step.name(),
              step.kind().name(),
              step.status(),
              compiledStep.definition().required(),
              start,
              Optional.ofNullable(blocked.get(step.name()))));
    }
    ConditionExplanation exit = explain(compiledStage.exit(), resolver, run);
    return new RunExplanation(
        run.id(),
        run.status(),
        note(run),
        Optional.of(stage.name()),
        Optional.of(exit),
        propagateBlocked(steps, blocked, compiledStage),
        recheck,
        now,
        approvals.explain(uow, run, orchestration, stage));
  }

  private static ConditionExplanation explain(
      PluginCondition condition, PassResolver resolver, RunState run) {
    try {
      ConditionResult result = condition.evaluate(resolver);
      return new ConditionExplanation(
          condition.typeId(),
          result.met(),
          result.explanation(),
          withLastPass(result.details(), run),
          result.recheckAt());
    } catch (OrchestrionException e) {
      // The pass would put the run in ERROR for this; explain shows the cause instead of failing.
      return new ConditionExplanation(
          condition.typeId(),
          false,
          "the condition cannot be evaluated: " + e.getMessage(),
          Map.of(),
          Optional.empty());
    }
  }

  /**
   * An evaluation flow's answer now, plus the answer the run's latest pass got from it ({@code
   * lastPass}: answer, evaluatedAt, inputs), which is what the engine acted on.
   */
  private static Map<String, Object> withLastPass(Map<String, Object> details, RunState run) {
    if (!(details.get("flow") instanceof String flow) || !run.evaluations().containsKey(flow)) {
      return details;
    }
    Map<String, Object> extended = new java.util.LinkedHashMap<>(details);
    extended.put("lastPass", run.evaluations().get(flow));
    return extended;
  }

  /** A STEP_COMPLETED step waits forever when the step it names ended without completing. */
  private static Optional<String> blockedForever(
      CompiledOrchestration.Step step,
      Map<String, StepStatus> statuses,
      CompiledOrchestration.Stage stage) {
    if (!step.start().typeId().equals(STEP_COMPLETED)) {
      return Optional.empty();
    }
    for (String dependency : step.start().condition().dependsOnSteps()) {
      StepStatus status = statuses.get(dependency);
      if (status == StepStatus.ERROR
          || status == StepStatus.DISCONTINUED
          || status == StepStatus.CANCELED) {
        return Optional.of(
            "step '%s' is %s and will not complete in this stage instance"
                .formatted(dependency, status));
      }
    }
    return Optional.empty();
  }

  /** A step waiting for a step that can never start can never start either. */
  private static List<StepExplanation> propagateBlocked(
      List<StepExplanation> steps, Map<String, String> blocked, CompiledOrchestration.Stage stage) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (StepExplanation step : steps) {
        if (blocked.containsKey(step.name()) || !step.start().type().equals(STEP_COMPLETED)) {
          continue;
        }
        CompiledOrchestration.Step compiled = stage.step(step.name()).orElseThrow();
        for (String dependency : compiled.start().condition().dependsOnSteps()) {
          if (blocked.containsKey(dependency)) {
            blocked.put(
                step.name(),
                "it waits for step '%s', which can no longer start".formatted(dependency));
            changed = true;
            break;
          }
        }
      }
    }
    return steps.stream()
        .map(
            step ->
                new StepExplanation(
                    step.name(),
                    step.kind(),
                    step.status(),
                    step.required(),
                    step.start(),
                    Optional.ofNullable(blocked.get(step.name()))))
        .toList();
  }

  private static Optional<String> note(RunState run) {
    return switch (run.status()) {
      case IN_PROGRESS -> Optional.empty();
      case SUSPENDED ->
          Optional.of(
              "the run is SUSPENDED: no step starts and the stage does not exit until it"
                  + " is resumed");
      case ERROR ->
          Optional.of(
              "the run is in ERROR (%s): nothing moves until a run manager retries it"
                  .formatted(run.error().orElse(null)));
      case COMPLETED, CANCELED -> Optional.of("the run has ended " + run.status());
    };
  }
}
