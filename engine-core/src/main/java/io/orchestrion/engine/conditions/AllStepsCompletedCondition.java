package io.orchestrion.engine.conditions;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ALL_STEPS_COMPLETED}, the default stage exit: every required step of the stage is
 * COMPLETED. A required step that never starts blocks the exit (SPEC §5.4).
 */
final class AllStepsCompletedCondition implements ConditionType {
  static final String ID = "ALL_STEPS_COMPLETED";

  private final List<String> requiredSteps;

  private AllStepsCompletedCondition(List<String> requiredSteps) {
    this.requiredSteps = List.copyOf(requiredSteps);
  }

  @Override
  public ConditionResult evaluate(ConditionContext context) {
    List<String> waiting = new ArrayList<>();
    for (String step : requiredSteps) {
      StepStatus status = context.stepStatus(step).orElse(StepStatus.NOT_STARTED);
      if (status != StepStatus.COMPLETED) {
        waiting.add(step + " (" + status + ")");
      }
    }
    if (waiting.isEmpty()) {
      return ConditionResult.met("all required steps are COMPLETED");
    }
    return ConditionResult.notMet("waiting for required steps: " + String.join(", ", waiting));
  }

  static final class Factory implements ConditionTypeFactory {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public ConditionType create(ConditionSetup setup) {
      ConfigChecks.onlyProperties(setup, ID, Set.of());
      if (setup.stepName().isPresent()) {
        setup.problem("", "ALL_STEPS_COMPLETED is a stage exit condition, not a start condition");
      }
      return new AllStepsCompletedCondition(setup.requiredStepNames());
    }
  }
}
