package io.orchestrion.spi;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.DataType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a {@link ConditionTypeFactory} sees at deploy time. */
public interface ConditionSetup {
  /** The condition's properties other than {@code type}: plain JSON values. */
  Map<String, Object> config();

  /** The step whose start condition this is; empty for a stage's exit condition. */
  Optional<String> stepName();

  /** The names of the steps of the stage the condition belongs to, in definition order. */
  List<String> stageStepNames();

  /**
   * The steps of the stage that a stage's default exit waits for (those not marked {@code
   * "required": false}).
   */
  default List<String> requiredStepNames() {
    return stageStepNames();
  }

  /**
   * Reports a problem with the configuration.
   *
   * @param property the configuration property at fault ({@code "step"}, {@code "days[2]"}), or the
   *     empty string for the condition as a whole
   */
  void problem(String property, String message);

  /**
   * The type of a reference at deploy time, such as {@code $Record.Amount} (CURRENCY) or {@code
   * $Step.Review.status} (TEXT); empty when the reference is unknown. Used to check operators and
   * literals against their types before anything runs.
   */
  default Optional<DataType> referenceType(String reference) {
    return Optional.empty();
  }

  /**
   * The active version of a flow, to check a condition that runs one (its type, inputs and
   * outputs); empty when the flow has no active version.
   */
  default Optional<FlowDefinition> activeFlow(String apiName) {
    return Optional.empty();
  }
}
