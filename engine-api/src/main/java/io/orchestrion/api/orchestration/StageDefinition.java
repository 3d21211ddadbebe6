package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** A stage: its steps, its exit condition (default ALL_STEPS_COMPLETED) and its routing. */
public record StageDefinition(
    String name,
    List<StepDefinition> steps,
    Optional<ConditionSpec> exit,
    List<TransitionDefinition> transitions) {
  public StageDefinition {
    requireNonNull(name, "name is null");
    steps = steps == null ? List.of() : List.copyOf(steps);
    exit = exit == null ? Optional.empty() : exit;
    transitions = transitions == null ? List.of() : List.copyOf(transitions);
  }

  public Optional<StepDefinition> step(String stepName) {
    return steps.stream().filter(step -> step.name().equals(stepName)).findFirst();
  }

  /** The exit condition, {@code ALL_STEPS_COMPLETED} when none is given. */
  public ConditionSpec effectiveExit() {
    return exit.orElse(ConditionSpec.of("ALL_STEPS_COMPLETED"));
  }
}
