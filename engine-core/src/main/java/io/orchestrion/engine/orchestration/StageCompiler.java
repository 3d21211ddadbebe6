package io.orchestrion.engine.orchestration;

import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.engine.conditions.RequirementSet;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Purpose;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates and compiles one stage of an orchestration: its name, its steps (each by kind: {@link
 * BackgroundStepChecks}, {@link ApprovalStepChecks}, {@link EscalationChecks}), their start
 * conditions ({@link StartConditionChecks}), its exit and its transitions' requirements.
 */
final class StageCompiler {
  private final ConditionCompiler conditions;

  StageCompiler(ConditionCompiler conditions) {
    this.conditions = conditions;
  }

  /**
   * @param index the stage's position, -1 for the recall stage
   * @param recall whether it is the recall stage (background steps only)
   */
  CompiledOrchestration.Stage compile(
      OrchestrationScope scope,
      String stagePath,
      int index,
      StageDefinition stage,
      boolean recall) {
    OrchestrationProblems problems = scope.problems();
    problems.checkName(stagePath + ".name", stage.name());
    if (stage.steps().isEmpty()) {
      problems.error(stagePath + ".steps", "stage '%s' has no steps", stage.name());
    }
    List<String> stepNames = stage.steps().stream().map(StepDefinition::name).toList();
    List<String> requiredSteps =
        stage.steps().stream().filter(StepDefinition::required).map(StepDefinition::name).toList();
    List<CompiledOrchestration.Step> steps = new ArrayList<>();
    Map<String, Set<String>> dependencies = new LinkedHashMap<>();
    for (int t = 0; t < stage.steps().size(); t++) {
      StepDefinition step = stage.steps().get(t);
      String stepPath = stagePath + ".steps[" + t + "]";
      checkStep(scope, stepPath, step, recall);
      PluginCondition start =
          conditions.compile(
              problems,
              stepPath + ".start",
              step.effectiveStart(),
              Optional.of(step.name()),
              stepNames,
              requiredSteps,
              scope.types());
      dependencies.put(step.name(), start.condition().dependsOnSteps());
      steps.add(new CompiledOrchestration.Step(t, step, start));
    }
    StartConditionChecks.checkCycles(problems, stagePath, stage, dependencies);
    PluginCondition exit =
        conditions.compile(
            problems,
            stagePath + ".exit",
            stage.effectiveExit(),
            Optional.empty(),
            stepNames,
            requiredSteps,
            scope.types());
    StartConditionChecks.warnOfUnstartedRequiredSteps(problems, stagePath, stage);
    List<CompiledOrchestration.Transition> transitions = new ArrayList<>();
    for (int t = 0; t < stage.transitions().size(); t++) {
      TransitionDefinition transition = stage.transitions().get(t);
      Optional<RequirementSet> when =
          ConditionCompiler.when(
              problems, stagePath + ".transitions[" + t + "]", transition, scope.types());
      transitions.add(new CompiledOrchestration.Transition(when, transition.goTo()));
    }
    return new CompiledOrchestration.Stage(index, stage, steps, exit, transitions);
  }

  /** A step's name (unique in the orchestration) and the checks of its kind. */
  private static void checkStep(
      OrchestrationScope scope, String stepPath, StepDefinition step, boolean recall) {
    OrchestrationProblems problems = scope.problems();
    problems.checkName(stepPath + ".name", step.name());
    String previous = scope.stepPaths().putIfAbsent(step.name(), stepPath);
    if (previous != null) {
      problems.error(
          stepPath + ".name",
          "duplicate step '%s' (also at %s): step names are unique in an orchestration",
          step.name(),
          previous);
    }
    switch (step) {
      case StepDefinition.BackgroundStep background ->
          BackgroundStepChecks.check(scope, stepPath, background);
      case StepDefinition.ApprovalStep approval -> {
        if (recall) {
          problems.error(stepPath + ".kind", "the recall stage holds background steps only");
        }
        ApprovalStepChecks.check(problems, stepPath, approval, scope.objectType());
        // Compiling a stored version to run it: the calendar is looked up when an item starts.
        problems.errors(
            EscalationChecks.problems(
                stepPath,
                approval,
                scope.purpose() == Purpose.RUN
                    ? Optional.empty()
                    : scope.lookups().calendarExists()));
      }
    }
  }
}
