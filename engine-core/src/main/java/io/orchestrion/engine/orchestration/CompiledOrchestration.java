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
    List<Stage> stages) {
  public CompiledOrchestration {
    requireNonNull(definition, "definition is null");
    requireNonNull(timeZone, "timeZone is null");
    stages = List.copyOf(stages);
  }

  public String apiName() {
    return definition.apiName();
  }

  public Optional<Stage> stage(String name) {
    return stages.stream().filter(stage -> stage.definition().name().equals(name)).findFirst();
  }

  public record Stage(
      int index, StageDefinition definition, List<Step> steps, PluginCondition exit) {
    public Stage {
      requireNonNull(definition, "definition is null");
      steps = List.copyOf(steps);
      requireNonNull(exit, "exit is null");
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
}
