package io.orchestrion.engine.cluster;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.signals.WorkSignals;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * What other nodes on the same PostgreSQL tell this one, through LISTEN/NOTIFY: jobs that became
 * due for any node ({@link WorkSignals#JOBS_CHANNEL}), which wakes this node's poller at once
 * rather than at its poll interval. The notifications are sent inside the transactions that make
 * the jobs due, so PostgreSQL delivers them at commit and never before. They are wake-ups only: no
 * cache depends on them (caches are validated inside the caller's transaction). Listening uses one
 * dedicated connection per node, outside the pool; while it is lost, polling finds other nodes'
 * work. On H2 (a single node) there is nothing to listen to.
 */
public final class ClusterNotices implements AutoCloseable {
  private final EngineConfig config;
  private final Database database;
  private final WorkSignals signals;
  private NoticeListener listener;
  private Thread thread;

  @Inject
  public ClusterNotices(EngineConfig config, Database database, WorkSignals signals) {
    this.config = requireNonNull(config, "config is null");
    this.database = requireNonNull(database, "database is null");
    this.signals = requireNonNull(signals, "signals is null");
  }

  /**
   * Starts listening (PostgreSQL only); returns at once, the connection opens in the background.
   */
  public synchronized void start() {
    if (thread != null || database.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    listener =
        new NoticeListener(
            config.database(),
            Map.of(WorkSignals.JOBS_CHANNEL, signals::jobsDue),
            listening -> {
              if (listening) {
                // Work announced while nobody listened: look for it now, not at the next poll.
                signals.jobsDue();
              }
            },
            "orchestrion listener " + config.nodeId());
    // A platform thread, not a virtual one: it blocks in one socket read most of its life, and a
    // notification then wakes it directly. On a virtual thread the read parks, and a notification
    // has to wake the JDK's I/O poller and then a carrier thread before the listener runs: two
    // more threads the operating system must schedule, which on a busy machine put tens of
    // milliseconds into the cross-node hand-off's tail (benchmarks/README.md, "Cluster").
    thread = Thread.ofPlatform().daemon().name("orchestrion-listener").start(listener::run);
  }

  /** Whether this node hears other nodes' notifications now. */
  public boolean isListening() {
    NoticeListener current = listener;
    return current != null && current.isListening();
  }

  @Override
  public synchronized void close() {
    if (thread == null) {
      return;
    }
    listener.stop();
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
    listener = null;
  }
}
