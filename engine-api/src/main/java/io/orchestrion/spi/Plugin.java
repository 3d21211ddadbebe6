package io.orchestrion.spi;

import java.util.List;

/**
 * The entry point of a plugin, found with {@link java.util.ServiceLoader}: list the implementation
 * in {@code META-INF/services/io.orchestrion.spi.Plugin}. A plugin returns its contributions; the
 * engine validates their ids, rejects duplicates and calls them with the plugin's class loader as
 * the thread context class loader. The built-in condition types are contributed the same way.
 */
public interface Plugin {
  /** A unique id, {@code [a-z][a-z0-9_.-]*}, e.g. {@code time-window}. */
  String id();

  default List<ConditionTypeFactory> getConditionTypeFactories() {
    return List.of();
  }

  default List<ActionFactory> getActionFactories() {
    return List.of();
  }
}
