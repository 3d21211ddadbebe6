package io.orchestrion.engine.conditions;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.util.Set;

/** {@code STEP_COMPLETED {step}}: true when the named step of the same stage is COMPLETED. */
final class StepCompletedCondition implements ConditionType {
  static final String ID = "STEP_COMPLETED";

  private final String step;

  private StepCompletedCondition(String step) {
    this.step = step;
  }

  @Override
  public ConditionResult evaluate(ConditionContext context) {
    StepStatus status = context.stepStatus(step).orElse(StepStatus.NOT_STARTED);
    if (status == StepStatus.COMPLETED) {
      return ConditionResult.met("step '%s' is COMPLETED".formatted(step));
    }
    return ConditionResult.notMet(
        "waiting for step '%s' to be COMPLETED (it is %s)".formatted(step, status));
  }

  @Override
  public Set<String> dependsOnSteps() {
    return Set.of(step);
  }

  static final class Factory implements ConditionTypeFactory {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public ConditionType create(ConditionSetup setup) {
      ConfigChecks.onlyProperties(setup, ID, Set.of("step"));
      Object value = setup.config().get("step");
      if (!(value instanceof String step) || step.isBlank()) {
        setup.problem("step", "STEP_COMPLETED needs 'step': the name of a step of the same stage");
        return new StepCompletedCondition("");
      }
      if (setup.stepName().isEmpty()) {
        setup.problem("", "STEP_COMPLETED is a start condition, not a stage exit condition");
      } else if (setup.stepName().get().equals(step)) {
        setup.problem("step", "step '%s' cannot wait for itself".formatted(step));
      } else if (!setup.stageStepNames().contains(step)) {
        setup.problem(
            "step",
            "unknown step '%s': STEP_COMPLETED must name a step of the same stage (steps: %s)"
                .formatted(step, setup.stageStepNames()));
      }
      return new StepCompletedCondition(step);
    }
  }
}
