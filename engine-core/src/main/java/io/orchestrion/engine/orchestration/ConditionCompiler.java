package io.orchestrion.engine.orchestration;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.Requirement;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.orchestration.ConditionSpec;
import io.orchestrion.api.orchestration.TransitionDefinition;
import io.orchestrion.engine.conditions.RequirementSet;
import io.orchestrion.engine.plugins.PluginCalls;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.plugins.RegisteredConditionType;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles the conditions of an orchestration: start and exit conditions through the condition type
 * a plugin registered (the plugin reports its configuration's problems), and the requirements of a
 * stage's transitions. A condition that does not compile becomes a placeholder, never met, so that
 * compiling goes on and reports every problem.
 */
final class ConditionCompiler {
  private final PluginManager plugins;

  ConditionCompiler(PluginManager plugins) {
    this.plugins = plugins;
  }

  /**
   * The condition of {@code spec} at {@code path}.
   *
   * @param stepName the step it starts; empty for a stage's exit
   * @param stageSteps the names of the stage's steps
   * @param requiredSteps the names of the stage's required steps
   */
  PluginCondition compile(
      OrchestrationProblems problems,
      String path,
      ConditionSpec spec,
      Optional<String> stepName,
      List<String> stageSteps,
      List<String> requiredSteps,
      ReferenceTypes types) {
    Optional<RegisteredConditionType> registered = plugins.conditionType(spec.type());
    if (registered.isEmpty()) {
      problems.error(path + ".type", "unknown condition type '%s'", spec.type());
      return placeholder(spec.type());
    }
    RegisteredConditionType type = registered.get();
    List<Problem> found = new ArrayList<>();
    ConditionSetup setup =
        new ConditionSetup() {
          @Override
          public Map<String, Object> config() {
            return spec.config();
          }

          @Override
          public Optional<String> stepName() {
            return stepName;
          }

          @Override
          public List<String> stageStepNames() {
            return stageSteps;
          }

          @Override
          public List<String> requiredStepNames() {
            return requiredSteps;
          }

          @Override
          public Optional<DataType> referenceType(String reference) {
            return types.type(reference);
          }

          @Override
          public Optional<FlowDefinition> activeFlow(String apiName) {
            return types.activeFlow(apiName);
          }

          @Override
          public void problem(String property, String message) {
            found.add(new Problem(OrchestrationProblems.subPath(path, property), message));
          }
        };
    ConditionType condition;
    try {
      condition =
          PluginCalls.call(type.pluginId(), type.classLoader(), () -> type.factory().create(setup));
    } catch (OrchestrionException e) {
      problems.error(path, "%s", e.getMessage());
      return placeholder(spec.type());
    }
    problems.errors(found);
    if (condition == null) {
      if (found.isEmpty()) {
        problems.error(path, "condition type %s returned no condition", spec.type());
      }
      return placeholder(spec.type());
    }
    return new PluginCondition(spec.type(), type.pluginId(), type.classLoader(), condition);
  }

  /** The requirements of a transition at {@code path}; empty when it has none (it always goes). */
  static Optional<RequirementSet> when(
      OrchestrationProblems problems,
      String path,
      TransitionDefinition transition,
      ReferenceTypes types) {
    if (transition.when().isEmpty()) {
      return Optional.empty();
    }
    return RequirementSet.compile(
        transition.when().stream().map(ConditionCompiler::asJson).toList(),
        transition.logic(),
        types::type,
        (property, message) ->
            problems.error(
                OrchestrationProblems.subPath(path, property.replaceFirst("^requirements", "when")),
                "%s",
                message));
  }

  private static PluginCondition placeholder(String type) {
    return new PluginCondition(
        type,
        "none",
        OrchestrationCompiler.class.getClassLoader(),
        context -> ConditionResult.notMet("invalid condition"));
  }

  /** A requirement record back to its JSON shape, for {@link RequirementSet#compile}. */
  private static Map<String, Object> asJson(Requirement requirement) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("left", valueJson(requirement.left()));
    json.put("operator", requirement.operator().name());
    json.put("right", valueJson(requirement.right()));
    return json;
  }

  private static Map<String, Object> valueJson(ValueSpec value) {
    Map<String, Object> json = new LinkedHashMap<>();
    switch (value) {
      case ValueSpec.Literal literal -> json.put("value", literal.value());
      case ValueSpec.Reference reference -> json.put("ref", reference.ref());
      case ValueSpec.Formula formula -> json.put("formula", formula.formula());
    }
    return json;
  }
}
