package io.orchestrion.engine.conditions;

import io.orchestrion.engine.references.Reference;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code REQUIREMENTS_MET {requirements: 1..10, logic}}: true when the requirements, combined by
 * ALL (default), ANY or custom logic, hold (SPEC §5.2). Usable as a start and as an exit condition.
 */
final class RequirementsMetCondition implements ConditionType {
  static final String ID = "REQUIREMENTS_MET";

  private final RequirementSet requirements;

  private RequirementsMetCondition(RequirementSet requirements) {
    this.requirements = requirements;
  }

  @Override
  public ConditionResult evaluate(ConditionContext context) {
    RequirementSet.Evaluation evaluation = requirements.evaluate(context);
    ConditionResult result =
        evaluation.met()
            ? ConditionResult.met(evaluation.describe())
            : ConditionResult.notMet(evaluation.describe());
    return result.withDetails(evaluation.details());
  }

  @Override
  public Set<String> dependsOnSteps() {
    Set<String> steps = new HashSet<>();
    for (String reference : requirements.references()) {
      Reference.stepOf(Reference.parse(reference)).ifPresent(steps::add);
    }
    return steps;
  }

  static final class Factory implements ConditionTypeFactory {
    @Override
    public String id() {
      return ID;
    }

    @Override
    public ConditionType create(ConditionSetup setup) {
      ConfigChecks.onlyProperties(setup, ID, Set.of("requirements", "logic"));
      return RequirementSet.compile(
              setup.config().get("requirements"),
              setup.config().get("logic"),
              reference -> setup.referenceType(reference),
              setup::problem)
          .<ConditionType>map(RequirementsMetCondition::new)
          .orElseGet(() -> context -> ConditionResult.notMet("invalid requirements"));
    }
  }
}
