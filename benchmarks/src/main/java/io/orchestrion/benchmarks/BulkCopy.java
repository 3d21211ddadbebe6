package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the copies of a {@link TemplateRows} for {@link HistorySeeder}: batches of {@code batch}
 * copies, one transaction each, on {@code threads} connections of their own in parallel (each batch
 * runs the {@link CloneStatements} of every table).
 *
 * <p>The events' sequence numbers are reserved first, for all copies at once, in one short
 * transaction that moves the sequencer's {@code last_sequence} past them; each batch then numbers
 * its events inside that range (copy {@code n}'s events follow copy {@code n - 1}'s, in the
 * template's order), so the batches need no lock on the sequencer and can run side by side.
 */
final class BulkCopy {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final BenchDatabase database;
  private final boolean postgres;
  private final PrintStream progress;
  private final int threads;
  private final int batch;
  private final Map<String, Long> inserted = new ConcurrentHashMap<>();
  private final Map<String, Long> insertNanos = new ConcurrentHashMap<>();

  BulkCopy(BenchDatabase database, boolean postgres, PrintStream progress, int threads, int batch) {
    this.database = requireNonNull(database, "database is null");
    this.postgres = postgres;
    this.progress = requireNonNull(progress, "progress is null");
    if (threads < 1 || batch < 1) {
      throw new IllegalArgumentException("threads and batch must be positive");
    }
    this.threads = threads;
    this.batch = batch;
  }

  /** Rows inserted so far, per table. */
  Map<String, Long> inserted() {
    return new TreeMap<>(inserted);
  }

  /** Copies {@code template} as numbers {@code first .. first + count - 1}. */
  void copy(Connection control, TemplateRows template, boolean waiting, long first, long count)
      throws Exception {
    if (count == 0) {
      return;
    }
    CloneStatements statements = CloneStatements.of(template, postgres, waiting);
    long eventsPerCopy = template.table("events").rows().size();
    long base = reserveSequences(control, eventsPerCopy * count);
    if (Boolean.getBoolean("bench.history.explain")) {
      explain(control, statements.forBatch(first, first + batch - 1, base));
    }
    String what = waiting ? "waiting" : "finished";
    long start = System.nanoTime();
    AtomicLong next = new AtomicLong(first);
    AtomicLong done = new AtomicLong();
    AtomicLong reported = new AtomicLong();
    AtomicBoolean failed = new AtomicBoolean();
    AtomicLong cpuNanos = new AtomicLong();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        workers.add(
            executor.submit(
                () -> {
                  long cpuBefore = THREADS.getCurrentThreadCpuTime();
                  try (Connection connection = database.openMonitor()) {
                    HistorySeeder.bulkSettings(connection, postgres, true);
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                      for (long from = next.getAndAdd(batch);
                          from < first + count && !failed.get();
                          from = next.getAndAdd(batch)) {
                        long to = Math.min(first + count - 1, from + batch - 1);
                        long batchBase = base + (from - first) * eventsPerCopy;
                        runBatch(connection, statement, statements.forBatch(from, to, batchBase));
                        long copies = done.addAndGet(to - from + 1);
                        report(copies, count, reported, what, template, start);
                      }
                    } catch (SQLException | RuntimeException e) {
                      failed.set(true);
                      connection.rollback();
                      throw e;
                    }
                  } finally {
                    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuBefore);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        try {
          worker.get();
        } catch (ExecutionException e) {
          failed.set(true);
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
    } finally {
      executor.shutdownNow();
    }
    progress.printf(
        Locale.ROOT,
        "history: %d %s copies in %.1f s; CPU of the seeding threads in this JVM %.1f s (%s)%n",
        count,
        what,
        (System.nanoTime() - start) / 1e9,
        cpuNanos.get() / 1e9,
        postgres ? "the copying itself runs in the PostgreSQL server" : "H2 runs in these threads");
  }

  private void runBatch(Connection connection, Statement statement, Map<String, String> inserts)
      throws SQLException {
    for (Map.Entry<String, String> insert : inserts.entrySet()) {
      long began = System.nanoTime();
      long rows = statement.executeUpdate(insert.getValue());
      inserted.merge(insert.getKey(), rows, Long::sum);
      insertNanos.merge(insert.getKey(), System.nanoTime() - began, Long::sum);
    }
    connection.commit();
  }

  /** Prints the plan of each copy statement (with {@code -Dbench.history.explain=true}). */
  private void explain(Connection control, Map<String, String> inserts) throws SQLException {
    try (Statement statement = control.createStatement()) {
      for (Map.Entry<String, String> insert : inserts.entrySet()) {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = statement.executeQuery("EXPLAIN " + insert.getValue())) {
          while (rs.next()) {
            plan.append(rs.getString(1).replaceAll("\\s+", " ")).append(" | ");
          }
        }
        String text = plan.toString();
        progress.println(
            "history: plan of the copy into "
                + insert.getKey()
                + ": "
                + (text.length() > 600
                    ? text.substring(0, 300) + " ... " + text.substring(text.length() - 300)
                    : text));
      }
    }
  }

  /** Moves the sequencer past {@code events} numbers; returns the last number before them. */
  private static long reserveSequences(Connection control, long events) throws SQLException {
    boolean autoCommit = control.getAutoCommit();
    control.setAutoCommit(false);
    try (Statement statement = control.createStatement()) {
      long base;
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT last_sequence FROM event_sequencer WHERE id = 1 FOR UPDATE")) {
        rs.next();
        base = rs.getLong(1);
      }
      statement.executeUpdate(
          "UPDATE event_sequencer SET last_sequence = " + (base + events) + " WHERE id = 1");
      control.commit();
      return base;
    } catch (SQLException | RuntimeException e) {
      control.rollback();
      throw e;
    } finally {
      control.setAutoCommit(autoCommit);
    }
  }

  private void report(
      long copies,
      long count,
      AtomicLong reported,
      String what,
      TemplateRows template,
      long start) {
    long last = reported.get();
    if ((copies - last >= count / 10 || copies == count) && reported.compareAndSet(last, copies)) {
      progress.printf(
          Locale.ROOT,
          "history: %d of %d %s copies (%d rows each) in %.1f s; %d threads; ms per table so"
              + " far (summed over threads): %s%n",
          copies,
          count,
          what,
          template.rowCount(),
          (System.nanoTime() - start) / 1e9,
          threads,
          millis(insertNanos));
    }
  }

  private static Map<String, Long> millis(Map<String, Long> nanos) {
    Map<String, Long> millis = new TreeMap<>();
    nanos.forEach((table, spent) -> millis.put(table, spent / 1_000_000));
    return millis;
  }
}
