package io.orchestrion.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * How long migration V20 (a run's stage and step instances into its row) takes on a database of
 * {@code RUNS} runs: the schema is built up to V19, filled with RUNS runs shaped like the approval
 * scenario's (3 stage instances and 5 step instances each, outputs on 3 of the steps) by bulk SQL,
 * and then migrated to the current schema, timed.
 *
 * <pre>{@code
 * java -cp benchmarks/target/orchestrion-benchmarks.jar io.orchestrion.benchmarks.MigrationBenchmark h2|postgres RUNS
 * }</pre>
 */
public final class MigrationBenchmark {
  private static final int STAGES = 3;
  private static final int STEPS = 5;

  private MigrationBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: MigrationBenchmark h2|postgres RUNS");
      System.exit(2);
    }
    int runs = Integer.parseInt(args[1]);
    try (BenchDatabase database =
            args[0].equals("h2") ? H2FileDatabase.create() : EmbeddedPostgresDatabase.start();
        HikariDataSource pool = DataSources.create(database.engineConnection(2))) {
      Dialect dialect = new Database(pool).dialect();
      Migrations.configuration(pool, dialect).target("19").load().migrate();
      long seedStart = System.nanoTime();
      seed(pool, dialect, runs);
      double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

      long start = System.nanoTime();
      Migrations.migrate(pool, dialect);
      double seconds = (System.nanoTime() - start) / 1e9;

      long documents = scalar(pool, "SELECT COUNT(*) FROM runs WHERE instances IS NOT NULL");
      if (documents != runs) {
        throw new IllegalStateException(documents + " documents for " + runs + " runs");
      }
      System.out.printf(
          Locale.ROOT,
          "migration | %s | %d runs (%d stage and %d step instances) | seeded in %.1f s | V20 in"
              + " %.1f s | %.0f runs/s%n",
          database.name(),
          runs,
          (long) runs * STAGES,
          (long) runs * STEPS,
          seedSeconds,
          seconds,
          runs / seconds);
    }
  }

  /** RUNS runs with their stage and step instances, as V19 keeps them, in one transaction each. */
  private static void seed(HikariDataSource pool, Dialect dialect, int runs) throws SQLException {
    String series =
        dialect == Dialect.H2
            ? "SYSTEM_RANGE(1, " + runs + ") r"
            : "generate_series(1, " + runs + ") AS r(x)";
    String x = dialect == Dialect.H2 ? "r.X" : "r.x";
    String id = "LPAD(CAST(" + x + " AS VARCHAR(12)), 12, '0')";
    execute(
        pool,
        "INSERT INTO runs (id, submission_id, definition_id, status, current_stage_id, variables,"
            + " created_at, updated_at) SELECT 'run-0000-0000-0000-' || "
            + id
            + ", 'sub-0000-0000-0000-' || "
            + id
            + ", 1, 'COMPLETED', 's3-00000-0000-0000-' || "
            + id
            + ", '{\"approved\":true}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM "
            + series);
    for (int stage = 1; stage <= STAGES; stage++) {
      execute(
          pool,
          "INSERT INTO stage_instances (id, run_id, name, stage_index, entry_number, status,"
              + " started_at, ended_at) SELECT 's"
              + stage
              + "-00000-0000-0000-' || "
              + id
              + ", 'run-0000-0000-0000-' || "
              + id
              + ", 'Stage_"
              + stage
              + "', "
              + (stage - 1)
              + ", "
              + stage
              + ", 'COMPLETED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM "
              + series);
    }
    for (int step = 1; step <= STEPS; step++) {
      int stage = step <= 2 ? 1 : step <= 4 ? 2 : 3;
      boolean background = step != 3;
      execute(
          pool,
          "INSERT INTO step_instances (id, run_id, stage_instance_id, name, step_index, kind,"
              + " status, attempt, flow, flow_version, execution_mode, run_as_user_id, run_mode,"
              + " outputs, started_at, ended_at) SELECT 'p"
              + step
              + "-00000-0000-0000-' || "
              + id
              + ", 'run-0000-0000-0000-' || "
              + id
              + ", 's"
              + stage
              + "-00000-0000-0000-' || "
              + id
              + ", 'Step_"
              + step
              + "', "
              + step
              + ", "
              + (background
                  ? "'BACKGROUND', 'COMPLETED', 1, 'Bench_Log', 1, 'ASYNC', 'automated-process',"
                      + " 'SYSTEM_WITHOUT_SHARING', '{\"note\":\"logged\"}'"
                  : "'APPROVAL', 'COMPLETED', 1, NULL, NULL, NULL, NULL, NULL, NULL")
              + ", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM "
              + series);
    }
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
      connection.commit();
    }
  }

  private static long scalar(HikariDataSource pool, String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
