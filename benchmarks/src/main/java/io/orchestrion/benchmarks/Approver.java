package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * the index on assignee and status; seeded history's waiting items belong to others) by polling on
 * its own connection (never the engine's pool, so not counted as the engine's work) and approves
 * each once through {@link EngineHost#decide} (in process or over HTTP), on threads named {@value
 * #THREAD_PREFIX} (so that the counting pool attributes the deciding transactions to {@link
 * CountingDataSource.CodePath#DECISION}).
 */
final class Approver implements AutoCloseable {
  static final String THREAD_PREFIX = "bench-decide-";
  static final Duration POLL_INTERVAL = Duration.ofMillis(5);

  private final Consumer<String> approve;
  private final Connection monitor;
  private final AtomicLong monitorQueries;
  private final ExecutorService deciders;
  private final Thread poller;
  private final Set<String> dispatched = new HashSet<>();
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
    while (!stopping) {
      try {
        for (String id : assigned()) {
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

  private Set<String> assigned() throws SQLException {
    monitorQueries.incrementAndGet();
    Set<String> ids = new HashSet<>();
    try (Statement statement = monitor.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT id AS "
                    + BenchDatabase.MONITOR_MARKER
                    + " FROM work_items WHERE assignee_type = 'USER' AND assignee_id = '"
                    + Workload.APPROVER
                    + "' AND status = 'ASSIGNED'")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
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
