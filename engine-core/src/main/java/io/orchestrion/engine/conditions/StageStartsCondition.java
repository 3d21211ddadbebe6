package io.orchestrion.engine.conditions;

import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.util.Set;

/** {@code STAGE_STARTS}: true as soon as the stage starts. */
final class StageStartsCondition implements ConditionType {
  static final String ID = "STAGE_STARTS";

  @Override
  public ConditionResult evaluate(ConditionContext context) {
    return ConditionResult.met("the stage has started");
  }

  static final class Factory implements ConditionTypeFactory {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public ConditionType create(ConditionSetup setup) {
      ConfigChecks.onlyProperties(setup, ID, Set.of());
      if (setup.stepName().isEmpty()) {
        setup.problem("", "STAGE_STARTS is a start condition, not a stage exit condition");
      }
      return new StageStartsCondition();
    }
  }
}
