package io.orchestrion.spi.notification;

import io.orchestrion.api.Experimental;
import io.orchestrion.api.run.EventKind;
import java.util.Set;

/**
 * Hears notification events after their transaction committed (docs/plugins.md, "Notification
 * listeners"). The engine keeps a durable position per listener id and calls {@link #deliver} with
 * the events of {@link #kinds()}, one at a time, in sequence order, with no transaction open, on a
 * thread of its own: a slow or failing listener delays no run and no other listener.
 *
 * <p>Delivery is at least once: an event may be delivered again after a crash or a lost lease, so a
 * listener that must not repeat a side effect keys it on {@code event.eventId()}. Throwing means
 * "try this event again later": the engine retries it with back-off and delivers no later event of
 * this listener meanwhile; after the configured number of attempts it logs the event as dropped and
 * goes on (docs/configuration.md, {@code notifications}).
 */
@Experimental
public interface NotificationListener {
  /**
   * A unique id among all plugins' listeners, {@code [a-z][a-z0-9_.-]*}, e.g. {@code email}. It
   * names the listener's position in the database: keep it stable across releases.
   */
  String id();

  /** The kinds this listener wants; the engine skips every other event for it. Not empty. */
  Set<EventKind> kinds();

  /**
   * Handles one event. Returning means done; throwing means "retry later". Never put a secret's
   * value into the exception's message: the engine logs it and keeps it as the last error.
   */
  void deliver(Notification notification, NotificationContext context) throws Exception;
}
