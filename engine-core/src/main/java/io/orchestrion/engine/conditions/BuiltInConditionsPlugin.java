package io.orchestrion.engine.conditions;

import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import java.util.List;

/**
 * The engine's own condition types, registered through the same plugin SPI that third-party
 * condition types use.
 */
public final class BuiltInConditionsPlugin implements Plugin {
  public static final String ID = "orchestrion-builtin-conditions";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<ConditionTypeFactory> getConditionTypeFactories() {
    return List.of(
        new StageStartsCondition.Factory(),
        new StepCompletedCondition.Factory(),
        new AllStepsCompletedCondition.Factory(),
        new RequirementsMetCondition.Factory(),
        new EvaluationFlowCondition.Factory());
  }
}
