package io.orchestrion.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The same-run commit baseline that every figure of the driver is divided by: INSERT one short row
 * and COMMIT, on the driver's threads and the engine's pool, with the database writing each commit
 * before it returns. It runs in the same JVM as the measurement, just before it, so that the ratio
 * survives a noisy machine.
 */
final class CommitBaseline {
  private final DataSource pool;
  private final int threads;

  private CommitBaseline(DataSource pool, int threads) {
    this.pool = pool;
    this.threads = threads;
  }

  /**
   * The same-run commit baseline, on the engine's pool, with the database writing each commit
   * before it returns ({@link BenchDatabase#duringBaseline}).
   */
  static Measurements.Baseline measure(
      BenchDatabase database, DataSource pool, EndToEndBenchmark.Options options) throws Exception {
    CommitBaseline baseline = new CommitBaseline(pool, options.threads());
    return database.duringBaseline(() -> baseline.commitLoop(options.baselineDuration()));
  }

  /** INSERT and COMMIT of one short row, on every driver thread, for the baseline's duration. */
  private Measurements.Baseline commitLoop(Duration duration) throws Exception {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE bench_baseline (id BIGINT PRIMARY KEY, payload VARCHAR(100))");
      connection.commit();
    }
    AtomicLong ids = new AtomicLong();
    // A short unmeasured run first, so that the pool, the JIT and the table are warm.
    insertLoop(ids, Duration.ofMillis(500));
    long before = ids.get();
    long start = System.nanoTime();
    insertLoop(ids, duration);
    return new Measurements.Baseline(
        ids.get() - before, Duration.ofNanos(System.nanoTime() - start));
  }

  private void insertLoop(AtomicLong ids, Duration duration) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loops.add(
            executor.submit(
                () -> {
                  while (System.nanoTime() < deadline) {
                    try (Connection connection = pool.getConnection();
                        PreparedStatement insert =
                            connection.prepareStatement(
                                "INSERT INTO bench_baseline (id, payload) VALUES (?, ?)")) {
                      insert.setLong(1, ids.incrementAndGet());
                      insert.setString(2, "baseline");
                      insert.executeUpdate();
                      connection.commit();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> loop : loops) {
        loop.get();
      }
    } finally {
      executor.shutdown();
    }
  }
}
