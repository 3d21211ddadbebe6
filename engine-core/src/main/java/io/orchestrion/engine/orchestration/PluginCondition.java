package io.orchestrion.engine.orchestration;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.plugins.PluginCalls;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionType;

/**
 * A configured condition with the plugin it comes from. Evaluating it switches to the plugin's
 * class loader and turns a plugin failure into an error naming the plugin and condition type.
 */
public record PluginCondition(
    String typeId, String pluginId, ClassLoader classLoader, ConditionType condition) {
  public PluginCondition {
    requireNonNull(typeId, "typeId is null");
    requireNonNull(pluginId, "pluginId is null");
    requireNonNull(classLoader, "classLoader is null");
    requireNonNull(condition, "condition is null");
  }

  public ConditionResult evaluate(ConditionContext context) {
    ConditionResult result =
        PluginCalls.call(pluginId, classLoader, () -> condition.evaluate(context));
    return requireNonNull(
        result, () -> "condition type " + typeId + " of plugin '" + pluginId + "' returned null");
  }
}
