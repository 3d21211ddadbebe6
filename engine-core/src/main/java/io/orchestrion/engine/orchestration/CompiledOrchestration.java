package io.orchestrion.engine.orchestration;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * An orchestration version ready to run: its definition with every condition configured. Immutable
 * and shared by all runs of the version.
 */
public record CompiledOrchestration(
    long definitionId,
    int version,
    OrchestrationDefinition definition,
    ZoneId timeZone,
    List<Stage> stages,
    Optional<Stage> recallStage) {
  public CompiledOrchestration {
    requireNonNull(definition, "definition is null");
    requireNonNull(timeZone, "timeZone is null");
    stages = List.copyOf(stages);
    requireNonNull(recallStage, "recallStage is null");
  }

  /** Whether any stage holds an approval step (otherwise every completed run approves). */
  public boolean hasApprovalSteps() {
    return stages.stream()
        .flatMap(stage -> stage.steps().stream())
        .anyMatch(step -> step.definition() instanceof StepDefinition.ApprovalStep);
  }

  public String apiName() {
    return definition.apiName();
  }

  public Optional<Stage> stage(String name) {
    return stages.stream().filter(stage -> stage.definition().name().equals(name)).findFirst();
  }

  /** A stage. {@code index} is its position in {@link #stages()}, or -1 for the recall stage. */
  public record Stage(
      int index,
      StageDefinition definition,
      List<Step> steps,
      PluginCondition exit,
      List<Transition> transitions) {
    public Stage {
      requireNonNull(definition, "definition is null");
      steps = List.copyOf(steps);
      requireNonNull(exit, "exit is null");
      transitions = List.copyOf(transitions);
    }

    public Optional<Step> step(String name) {
      return steps.stream().filter(step -> step.definition().name().equals(name)).findFirst();
    }
  }

  public record Step(int index, StepDefinition definition, PluginCondition start) {
    public Step {
      requireNonNull(definition, "definition is null");
      requireNonNull(start, "start is null");
    }
  }

  /**
   * Routing after a stage: when {@code when} holds (always, when empty), go to {@code goTo}: a
   * stage name, {@code APPROVE} or {@code REJECT}.
   */
  public record Transition(
      Optional<io.orchestrion.engine.conditions.RequirementSet> when, String goTo) {
    public Transition {
      requireNonNull(when, "when is null");
      requireNonNull(goTo, "goTo is null");
    }
  }
}
