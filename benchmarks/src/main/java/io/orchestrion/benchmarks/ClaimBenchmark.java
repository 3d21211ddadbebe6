package io.orchestrion.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims per second at which contention appears (issue 12). Fills the jobs table with {@code
 * cluster.claimJobs} trivial due jobs, then lets K claimers (each a node's poller: a connection of
 * its own) claim them with the engine's own statement ({@link Dialect#claimDueJobs}, {@code FOR
 * UPDATE SKIP LOCKED}) asking for n jobs at a time, and finish each claimed batch in a second
 * transaction (deleting the jobs, as a trivial job's run would), until the table is empty. Per K
 * and n: claim transactions and jobs claimed per second, claim latency, and <em>short</em> claims —
 * a claim that returned fewer than n jobs although, when it returned, more than (K − 1) × n jobs
 * were still unclaimed (so even with every other claimer holding n locked rows there were rows it
 * could have had). With {@code SKIP LOCKED} claimers never wait for each other's row locks;
 * contention shows as short claims or as claim latency that grows with K.
 */
final class ClaimBenchmark {
  private static final int JOBS = Integer.getInteger("cluster.claimJobs", 20_000);
  private static final List<Integer> CLAIMERS = List.of(1, 2, 4, 8, 16);
  private static final List<Integer> BATCHES = List.of(1, 16);

  /** One round's figures. */
  record Round(
      int claimers,
      int batch,
      int jobs,
      double seconds,
      long claims,
      long shortClaims,
      long emptyClaims,
      long p50Micros,
      long p99Micros) {
    double claimsPerSecond() {
      return claims / seconds;
    }

    double jobsPerSecond() {
      return jobs / seconds;
    }
  }

  /** One claimer's claim latencies in microseconds (written by its thread only). */
  private static final class Latencies {
    private long[] micros = new long[1024];
    private int size;

    void add(long value) {
      if (size == micros.length) {
        micros = java.util.Arrays.copyOf(micros, size * 2);
      }
      micros[size++] = value;
    }

    java.util.stream.LongStream stream() {
      return java.util.Arrays.stream(micros, 0, size);
    }
  }

  private final DatabaseConfig database;

  ClaimBenchmark(DatabaseConfig database) {
    this.database = database;
  }

  List<Round> run() throws Exception {
    try (HikariDataSource pool = DataSources.create(database)) {
      Migrations.migrate(pool, Dialect.POSTGRESQL);
    }
    List<Round> rounds = new ArrayList<>();
    for (int batch : BATCHES) {
      for (int claimers : CLAIMERS) {
        rounds.add(round(claimers, batch));
        System.out.printf("claims: K=%d n=%d done%n", claimers, batch);
      }
    }
    return rounds;
  }

  private Round round(int claimers, int batch) throws Exception {
    fill();
    AtomicLong claimed = new AtomicLong();
    AtomicLong claims = new AtomicLong();
    AtomicLong shortClaims = new AtomicLong();
    AtomicLong emptyClaims = new AtomicLong();
    List<Latencies> latencies = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch ready = new CountDownLatch(claimers);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < claimers; k++) {
      Latencies mine = new Latencies();
      latencies.add(mine);
      String owner = "bench-claimer-" + k;
      threads.add(
          Thread.ofPlatform()
              .name(owner)
              .start(
                  () -> {
                    try (Connection connection = connect()) {
                      ready.countDown();
                      go.await();
                      while (claimed.get() < JOBS) {
                        long started = System.nanoTime();
                        Instant now = Instant.now();
                        List<String> ids =
                            Dialect.POSTGRESQL.claimDueJobs(
                                connection,
                                batch,
                                owner,
                                UUID.randomUUID().toString(),
                                JdbcValues.utc(now.plus(Duration.ofMinutes(5))),
                                JdbcValues.utc(now));
                        connection.commit();
                        long total = claimed.addAndGet(ids.size());
                        mine.add((System.nanoTime() - started) / 1000);
                        claims.incrementAndGet();
                        if (ids.size() < batch && JOBS - total > (long) (claimers - 1) * batch) {
                          shortClaims.incrementAndGet();
                          if (ids.isEmpty()) {
                            emptyClaims.incrementAndGet();
                          }
                        }
                        if (!ids.isEmpty()) {
                          finish(connection, ids);
                        }
                      }
                    } catch (Exception e) {
                      failures.add(e);
                      ready.countDown();
                    }
                  }));
    }
    ready.await();
    long started = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a claimer failed", failures.getFirst());
    }
    long[] all = latencies.stream().flatMapToLong(Latencies::stream).sorted().toArray();
    return new Round(
        claimers,
        batch,
        JOBS,
        seconds,
        claims.get(),
        shortClaims.get(),
        emptyClaims.get(),
        HandoffBenchmark.percentile(all, 0.50),
        HandoffBenchmark.percentile(all, 0.99));
  }

  /** Deletes the claimed jobs in a transaction of their own, as their (trivial) runs would. */
  private static void finish(Connection connection, List<String> ids) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM jobs WHERE id = ANY (?) AND lease_owner IS NOT NULL")) {
      delete.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
      delete.executeUpdate();
    }
    connection.commit();
  }

  /** Empties the jobs table and inserts {@link #JOBS} jobs due in the past, with no lease. */
  private void fill() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM jobs");
      statement.execute(
          "INSERT INTO jobs (id, kind, run_id, attempt, due_at, failures, created_at)"
              + " SELECT gen_random_uuid()::text, 'RUN_STEP', gen_random_uuid()::text, 1,"
              + " now() - interval '1 minute' + i * interval '1 microsecond', 0, now()"
              + " FROM generate_series(1, "
              + JOBS
              + ") AS i");
      connection.commit();
      connection.setAutoCommit(true);
      statement.execute("VACUUM ANALYZE jobs");
    }
  }

  private Connection connect() throws SQLException {
    Connection connection =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    return connection;
  }

  static void report(List<Round> rounds) {
    System.out.printf(
        "Claims: %d due jobs per round, each claimer a connection of its own; a claim asks for n"
            + " jobs (FOR UPDATE SKIP LOCKED) and its jobs are deleted in a second transaction%n",
        JOBS);
    System.out.println(
        "| n | claimers K | claims/s | jobs/s | claim p50 ms | claim p99 ms | short claims"
            + " (of which empty) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Round round : rounds) {
      System.out.printf(
          "| %d | %d | %.0f | %.0f | %.2f | %.2f | %d (%d) of %d |%n",
          round.batch(),
          round.claimers(),
          round.claimsPerSecond(),
          round.jobsPerSecond(),
          round.p50Micros() / 1000.0,
          round.p99Micros() / 1000.0,
          round.shortClaims(),
          round.emptyClaims(),
          round.claims());
    }
  }
}
