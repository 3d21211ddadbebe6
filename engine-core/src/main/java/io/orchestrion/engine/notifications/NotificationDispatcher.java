package io.orchestrion.engine.notifications;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.plugins.RegisteredListener;
import io.orchestrion.spi.notification.Notification;
import io.orchestrion.spi.notification.NotificationContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notification events to the plugins' listeners (docs/plugins.md, "Notification
 * listeners"). Each listener has a virtual thread of its own on this node that, in rounds: leases
 * the listener's position ({@link NotificationCursors#claim}; one node at a time), reads the next
 * batch of wanted events ({@link NotificationFeed}), calls the listener with each one in sequence
 * order with no transaction open, and advances the position after each delivered event in a short
 * transaction of its own. A listener that throws is retried after an exponential back-off, its
 * later events waiting; after {@code maxAttempts} the event is logged as dropped and the listener
 * goes on. One listener's failures or slowness never hold up another listener or a run.
 */
public final class NotificationDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

  private final List<RegisteredListener> listeners;
  private final NotificationCursors cursors;
  private final NotificationFeed feed;
  private final NotificationContext context;
  private final NotificationSettings settings;
  private final Clock clock;
  private final EngineMetrics metrics;
  private final String owner;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Object wake = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  @Inject
  public NotificationDispatcher(
      PluginManager plugins,
      NotificationCursors cursors,
      NotificationFeed feed,
      DirectoryNotificationContext context,
      EngineConfig config,
      Clock clock,
      EngineMetrics metrics) {
    this.listeners = plugins.notificationListeners();
    this.cursors = requireNonNull(cursors, "cursors is null");
    this.feed = requireNonNull(feed, "feed is null");
    this.context = requireNonNull(context, "context is null");
    this.settings = config.notifications();
    this.clock = requireNonNull(clock, "clock is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.owner = config.nodeId();
  }

  /** The listeners this dispatcher serves. */
  public List<RegisteredListener> listeners() {
    return listeners;
  }

  /** Starts one delivery thread per listener (none when there is no listener). */
  public synchronized void start() {
    if (!threads.isEmpty() || listeners.isEmpty()) {
      return;
    }
    stopping = false;
    for (RegisteredListener listener : listeners) {
      threads.add(
          Thread.ofVirtual()
              .name("orchestrion-notifications-" + listener.id())
              .start(() -> loop(listener)));
    }
    log.info(
        "Delivering notification events to listeners {}",
        listeners.stream().map(RegisteredListener::id).toList());
  }

  /** Whether this node's delivery threads run. */
  public synchronized boolean isRunning() {
    return !threads.isEmpty();
  }

  /**
   * Runs one round for every listener on the calling thread: delivers what is due now, up to one
   * batch per listener; returns how many events were delivered. For tests and embedders that drive
   * delivery themselves ({@code notifications.enabled} false).
   *
   * @throws IllegalStateException when the delivery threads run
   */
  public int deliverDue() {
    if (isRunning()) {
      throw new IllegalStateException("notification delivery threads run on this node");
    }
    int delivered = 0;
    for (RegisteredListener listener : listeners) {
      delivered += round(listener).delivered();
    }
    return delivered;
  }

  private void loop(RegisteredListener listener) {
    while (!stopping) {
      Round round;
      try {
        round = round(listener);
      } catch (RuntimeException e) {
        log.warn("Delivering notifications to '{}' failed, will retry: {}", listener.id(), e);
        round = new Round(0, false);
      }
      if (!round.more()) {
        pause();
      }
    }
  }

  private void pause() {
    synchronized (wake) {
      if (stopping) {
        return;
      }
      try {
        wake.wait(settings.pollInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }

  /** What a round did: events delivered, and whether more are waiting right now. */
  private record Round(int delivered, boolean more) {}

  /**
   * Gives every listener that has no position yet one at the feed's end: it hears the events
   * numbered from then on. The engine calls it at start, whether or not it delivers.
   */
  public void registerListeners() {
    for (RegisteredListener listener : listeners) {
      register(listener);
    }
  }

  private void register(RegisteredListener listener) {
    if (registered.add(listener.id())) {
      try {
        cursors.register(listener.id(), clock.instant());
      } catch (RuntimeException e) {
        registered.remove(listener.id());
        throw e;
      }
    }
  }

  private Round round(RegisteredListener listener) {
    register(listener);
    Instant now = clock.instant();
    Optional<NotificationCursors.Claim> claimed =
        cursors.claim(listener.id(), owner, now, now.plus(settings.lease()));
    if (claimed.isEmpty()) {
      return new Round(0, false);
    }
    NotificationCursors.Claim claim = claimed.get();
    long position = claim.deliveredSequence();
    int attempts = claim.attempts();
    int delivered = 0;
    List<Notification> batch;
    try {
      batch = feed.next(listener.kinds(), position, claim.feedEnd(), settings.batchSize());
    } catch (RuntimeException e) {
      cursors.release(listener.id(), owner, clock.instant());
      throw e;
    }
    for (Notification notification : batch) {
      long sequence = notification.event().sequence();
      if (stopping) {
        cursors.release(listener.id(), owner, clock.instant());
        return new Round(delivered, false);
      }
      Optional<String> failure = call(listener, notification);
      Instant after = clock.instant();
      if (failure.isPresent()) {
        attempts++;
        if (attempts < settings.maxAttempts()) {
          log.warn(
              "Notification listener '{}' failed on event {} ({}, id {}), attempt {} of {}; next"
                  + " attempt in {}: {}",
              listener.id(),
              sequence,
              notification.event().kind(),
              notification.event().eventId(),
              attempts,
              settings.maxAttempts(),
              settings.backoffAfter(attempts),
              failure.get());
          metrics.notificationAttempt(listener.id(), "RETRY");
          cursors.failed(
              listener.id(),
              owner,
              attempts,
              failure.get(),
              after.plus(settings.backoffAfter(attempts)),
              after);
          return new Round(delivered, false);
        }
        log.error(
            "Notification listener '{}' failed on event {} ({}, id {}) {} times; the event is"
                + " dropped for it: {}",
            listener.id(),
            sequence,
            notification.event().kind(),
            notification.event().eventId(),
            attempts,
            failure.get());
        metrics.notificationAttempt(listener.id(), "DROPPED");
      } else {
        metrics.notificationAttempt(listener.id(), "DELIVERED");
        delivered++;
      }
      attempts = 0;
      if (!cursors.advance(
          listener.id(), owner, sequence, Optional.of(after.plus(settings.lease())), after)) {
        log.warn(
            "Notification listener '{}' lost its lease after event {}: another node goes on",
            listener.id(),
            sequence);
        return new Round(delivered, false);
      }
      position = sequence;
    }
    boolean full = batch.size() >= settings.batchSize();
    // A batch that was not full read every wanted event up to the feed's end at the claim.
    long end = full ? position : Math.max(position, claim.feedEnd());
    cursors.advance(listener.id(), owner, end, Optional.empty(), clock.instant());
    return new Round(delivered, full);
  }

  /** Calls the listener with its class loader; the failure's description if it threw. */
  private Optional<String> call(RegisteredListener listener, Notification notification) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(listener.classLoader());
    try {
      listener.listener().deliver(notification, context);
      return Optional.empty();
    } catch (Exception | LinkageError | StackOverflowError e) {
      // An InterruptedException is the listener's own (this engine never interrupts its delivery
      // threads): the flag stays clear, since H2 closes its file when a write is interrupted.
      return Optional.of(describe(e));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Stops the delivery threads, letting a delivery under way finish (up to 10 s). */
  @Override
  public synchronized void close() {
    stopping = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Thread thread : threads) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          thread.join(java.time.Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    threads.clear();
  }
}
