package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The approval scenario's approver: finds the work items ASSIGNED to {@link Workload#APPROVER} (by
 * the index on assignee, status and creation time; seeded history's waiting items belong to others)
 * by polling on its own connection (never the engine's pool, so not counted as the engine's work)
 * and approves each once through {@link EngineHost#decide} (in process or over HTTP), on threads
 * named {@value #THREAD_PREFIX} (so that the counting pool attributes the deciding transactions to
 * {@link CountingDataSource.CodePath#DECISION}).
 *
 * <p>The poll is kept cheap, so that the driver's own CPU does not hide the engine's: one prepared
 * statement, reused on the polling connection, asks only for items created after the newest one
 * already seen (a range on the index, a handful of rows); every {@link #FULL_SCAN_EVERY}-th poll
 * asks for every assigned item, which finds an item whose transaction committed after a newer one
 * had been seen. (Reading every assigned item every 5 ms, as before, read the whole backlog of
 * undecided items each time: 8–12 % of the JVM's CPU in a closed-loop run.)
 */
final class Approver implements AutoCloseable {
  static final String THREAD_PREFIX = "bench-decide-";
  static final Duration POLL_INTERVAL = Duration.ofMillis(5);

  /** Every this many polls, one reads every assigned item (every 0.5 s at the 5 ms interval). */
  static final int FULL_SCAN_EVERY = 100;

  private static final String ASSIGNED =
      "SELECT id AS "
          + BenchDatabase.MONITOR_MARKER
          + ", created_at FROM work_items WHERE assignee_type = 'USER' AND assignee_id = ?"
          + " AND status = 'ASSIGNED' AND created_at > ?";

  /** Before every item: the watermark of a full scan. */
  private static final OffsetDateTime EPOCH = OffsetDateTime.parse("1970-01-01T00:00:00Z");

  private final Consumer<String> approve;
  private final Connection monitor;
  private final AtomicLong monitorQueries;
  private final ExecutorService deciders;
  private final Thread poller;
  private final Set<String> dispatched = new HashSet<>();
  private OffsetDateTime newestSeen = EPOCH;
  private long polls;
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong decided = new AtomicLong();
  private volatile boolean stopping;

  /**
   * Polls on {@code monitor} (a connection of the driver's own, used by the polling thread only),
   * counting each poll (an auto-committed transaction) in {@code monitorQueries}, and decides on
   * {@code threads} threads with {@code approve} (a work item's id).
   */
  Approver(Consumer<String> approve, Connection monitor, int threads, AtomicLong monitorQueries) {
    this.approve = requireNonNull(approve, "approve is null");
    this.monitor = requireNonNull(monitor, "monitor is null");
    this.monitorQueries = requireNonNull(monitorQueries, "monitorQueries is null");
    this.deciders =
        Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(THREAD_PREFIX, 0).factory());
    this.poller = Thread.ofPlatform().name("bench-approver-poll").unstarted(this::poll);
  }

  Approver start() {
    poller.start();
    return this;
  }

  long decided() {
    return decided.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  private void poll() {
    try (PreparedStatement assigned = monitor.prepareStatement(ASSIGNED)) {
      assigned.setString(1, Workload.APPROVER);
      pollWith(assigned);
    } catch (SQLException e) {
      if (!stopping) {
        failures.add("polling work items: " + e);
      }
    }
  }

  private void pollWith(PreparedStatement assigned) {
    while (!stopping) {
      try {
        for (String id : assigned(assigned)) {
          if (dispatched.add(id)) {
            deciders.execute(() -> decide(id));
          }
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        if (!stopping) {
          failures.add("polling work items: " + e);
        }
        return;
      }
    }
  }

  /** The ids of the items the poll finds: new ones, or every assigned one on a full scan. */
  private List<String> assigned(PreparedStatement assigned) throws SQLException {
    monitorQueries.incrementAndGet();
    boolean fullScan = polls++ % FULL_SCAN_EVERY == 0;
    assigned.setObject(2, fullScan ? EPOCH : newestSeen);
    List<String> ids = new ArrayList<>();
    try (ResultSet rs = assigned.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
        OffsetDateTime created = rs.getObject(2, OffsetDateTime.class);
        if (created.isAfter(newestSeen)) {
          newestSeen = created;
        }
      }
    }
    return ids;
  }

  private void decide(String workItemId) {
    try {
      approve.accept(workItemId);
      decided.incrementAndGet();
    } catch (RuntimeException e) {
      if (failures.size() < 5) {
        failures.add("deciding " + workItemId + ": " + e);
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    poller.interrupt();
    deciders.shutdown();
    try {
      poller.join(TimeUnit.SECONDS.toMillis(10));
      deciders.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
