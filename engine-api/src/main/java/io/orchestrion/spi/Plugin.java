package io.orchestrion.spi;

import io.orchestrion.api.Experimental;
import io.orchestrion.spi.notification.NotificationListener;
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

  /**
   * Called once by the host, after {@link #id()} and before the factories are asked for, with the
   * plugin's settings and secrets (docs/plugins.md, "Settings and secrets"). Throw {@link
   * IllegalArgumentException} for a missing or invalid setting: the engine does not start and the
   * message, prefixed with the plugin's id, says why. Never put a secret's value into a message.
   * The default ignores the context.
   */
  default void configure(PluginContext context) {}

  default List<ConditionTypeFactory> getConditionTypeFactories() {
    return List.of();
  }

  default List<ActionFactory> getActionFactories() {
    return List.of();
  }

  /**
   * Listeners of the engine's notification events (docs/plugins.md, "Notification listeners"),
   * asked for once after {@link #configure}. A plugin that is not configured to notify anyone (no
   * mail server set, say) returns none.
   */
  @Experimental
  default List<NotificationListener> getNotificationListeners() {
    return List.of();
  }
}
