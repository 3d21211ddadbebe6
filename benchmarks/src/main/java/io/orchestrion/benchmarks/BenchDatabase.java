package io.orchestrion.benchmarks;

import io.orchestrion.engine.api.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * A fresh database for one benchmark run, with what the driver needs beside the engine's pool: a
 * monitor connection (never counted as the engine's) for completion polling, and the database's own
 * statement and commit counters.
 */
interface BenchDatabase extends AutoCloseable {
  /** A marker in every query of the driver's own, so that database-side counts can leave it out. */
  String MONITOR_MARKER = "bench_monitor";

  String name();

  /** How the engine connects (the pool the engine uses is built from this). */
  DatabaseConfig engineConnection(int poolSize);

  /**
   * Runs the same-run commit baseline with the database writing each commit before the commit
   * returns, and answers what the baseline answered. The engine's H2 file does not (the engine
   * writes its commits in groups itself), so H2 is told to for the baseline's time; PostgreSQL
   * always does.
   */
  default <T> T duringBaseline(Callable<T> baseline) throws Exception {
    return baseline.call();
  }

  /** A connection to the engine's database, auto-commit on, for the driver's own queries. */
  Connection openMonitor() throws SQLException;

  /** Durability-relevant settings, printed with the figures. */
  String settings() throws SQLException;

  /**
   * Zeroes the database's counters. Called with the engine running and idle; the engine's pool is
   * passed so that implementations can make pending server-side statistics visible first.
   */
  void resetCounters(Runnable flushEngineConnections) throws SQLException;

  /** The database's counters since {@link #resetCounters}; the engine's pool is closed by now. */
  ServerCounts readCounters(long monitorTransactions) throws SQLException;

  /**
   * The process id of a database server outside this JVM (whose CPU time then counts with the
   * engine's), if there is one.
   */
  default OptionalLong serverProcessId() throws SQLException {
    return OptionalLong.empty();
  }

  @Override
  void close();

  /**
   * What the database counted for the engine's connections.
   *
   * @param source where the figures come from
   * @param statements statements other than transaction control (BEGIN, COMMIT, ROLLBACK,
   *     SAVEPOINT, RELEASE)
   * @param commits commits as the database counted them, if it does
   * @param transactionControl BEGIN/ROLLBACK/SAVEPOINT/RELEASE statements by kind
   * @param statementCounts executions per statement text (transaction control excluded)
   * @param notes caveats to print with the figures
   */
  record ServerCounts(
      String source,
      long statements,
      Optional<Long> commits,
      Map<String, Long> transactionControl,
      Map<String, Long> tuples,
      Map<String, Long> statementCounts,
      String notes) {
    public ServerCounts {
      transactionControl = Map.copyOf(transactionControl);
      tuples = Map.copyOf(tuples);
      statementCounts = Map.copyOf(statementCounts);
    }
  }
}
