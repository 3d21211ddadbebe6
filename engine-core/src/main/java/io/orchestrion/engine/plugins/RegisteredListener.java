package io.orchestrion.engine.plugins;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.spi.notification.NotificationListener;
import java.util.Set;

/**
 * A plugin's notification listener with its id and kinds (asked once, at start-up) and the loader
 * to call it with.
 */
public record RegisteredListener(
    String pluginId,
    String id,
    Set<EventKind> kinds,
    NotificationListener listener,
    ClassLoader classLoader) {
  public RegisteredListener {
    requireNonNull(pluginId, "pluginId is null");
    requireNonNull(id, "id is null");
    kinds = Set.copyOf(kinds);
    requireNonNull(listener, "listener is null");
    requireNonNull(classLoader, "classLoader is null");
  }
}
