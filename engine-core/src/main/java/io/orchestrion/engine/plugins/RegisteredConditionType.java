package io.orchestrion.engine.plugins;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.ConditionTypeFactory;

/** A condition type factory with the plugin that contributed it. */
public record RegisteredConditionType(
    String pluginId, ConditionTypeFactory factory, ClassLoader classLoader) {
  public RegisteredConditionType {
    requireNonNull(pluginId, "pluginId is null");
    requireNonNull(factory, "factory is null");
    requireNonNull(classLoader, "classLoader is null");
  }
}
