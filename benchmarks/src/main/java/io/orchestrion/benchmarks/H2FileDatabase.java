package io.orchestrion.benchmarks;

import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
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
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The engine's default database: H2 in file mode, in a new temporary directory (deleted on close),
 * with the engine's own URL settings. Statements are counted by H2 itself ({@code SET
 * QUERY_STATISTICS TRUE}, {@code INFORMATION_SCHEMA.QUERY_STATISTICS}); H2 keeps no commit count,
 * so commits come from the JDBC counter only.
 */
final class H2FileDatabase implements BenchDatabase {
  private final Path directory;
  private final Duration fileWrite;
  private final String url;
  private Map<String, Long> storeAtReset = Map.of();
  // -Dbench.h2.pages=true: which tables and indexes each commit rewrites (H2PagesWritten).
  private H2PagesWritten pagesWritten;
  // Keeps the database open between the engine's pool and the reading of the statistics.
  private final Connection keeper;

  private H2FileDatabase(Path directory, Duration fileWrite) throws SQLException {
    this.directory = directory;
    this.fileWrite = fileWrite;
    // Experiments, not the product's defaults: -Dbench.h2.cacheSize=KB sets H2's page cache size;
    // -Dbench.h2.settings=";NAME=value..." appends any H2 database settings to the URL.
    // -Dbench.h2.writeDelay=0 replaces the URL's WRITE_DELAY: 0 has H2 write each commit itself,
    // as before the engine's group commit in the H2 file (H2GroupStore is then not used).
    String cacheSize = System.getProperty("bench.h2.cacheSize", "");
    String writeDelay = System.getProperty("bench.h2.writeDelay", "");
    String fileUrl = DataSources.h2FileUrl(directory);
    if (!writeDelay.isEmpty()) {
      String engines = ";WRITE_DELAY=" + Integer.MAX_VALUE;
      if (!fileUrl.contains(engines)) {
        throw new IllegalStateException("the engine's H2 URL has no " + engines + ": " + fileUrl);
      }
      fileUrl = fileUrl.replace(engines, ";WRITE_DELAY=" + Integer.parseInt(writeDelay));
    }
    this.url =
        (fileWrite.isZero() ? fileUrl : SerialWriteFileSystem.onDevice(fileUrl, fileWrite))
            + (cacheSize.isEmpty() ? "" : ";CACHE_SIZE=" + cacheSize)
            + System.getProperty("bench.h2.settings", "");
    this.keeper = DriverManager.getConnection(url);
  }

  static H2FileDatabase create() {
    return create(Duration.ZERO);
  }

  /**
   * With {@code fileWrite} above zero, every write of the H2 file takes that long, one at a time
   * ({@link SerialWriteFileSystem}): the commit bound where H2 writes.
   */
  static H2FileDatabase create(Duration fileWrite) {
    try {
      return new H2FileDatabase(Files.createTempDirectory("orchestrion-bench-h2-"), fileWrite);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open the H2 file database", e);
    }
  }

  @Override
  public String name() {
    return "H2 (file mode)";
  }

  @Override
  public DatabaseConfig engineConnection(int poolSize) {
    return new DatabaseConfig(url, "", "", poolSize);
  }

  /**
   * The baseline with H2 writing each commit before it returns ({@code SET WRITE_DELAY 0}, H2's
   * database-wide setting), on the engine's database and pool as before the engine's group commit:
   * the commit bound as issue 11 defines it. The engine's setting is put back after it. The engine
   * is idle meanwhile; a connection the pool opened during the baseline would set the URL's value
   * again, which is checked.
   */
  @Override
  public <T> T duringBaseline(Callable<T> baseline) throws Exception {
    String engineDelay = writeDelay();
    try (Statement statement = keeper.createStatement()) {
      statement.execute("SET WRITE_DELAY 0");
    }
    T result;
    try {
      result = baseline.call();
      if (!writeDelay().equals("0")) {
        throw new IllegalStateException(
            "WRITE_DELAY changed during the baseline (a new connection's URL setting?): "
                + writeDelay());
      }
    } finally {
      try (Statement statement = keeper.createStatement()) {
        statement.execute("SET WRITE_DELAY " + Integer.parseInt(engineDelay));
      }
    }
    return result;
  }

  private String writeDelay() throws SQLException {
    try (Statement statement = keeper.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT SETTING_VALUE AS "
                    + MONITOR_MARKER
                    + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public Connection openMonitor() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  public String settings() throws SQLException {
    try (Statement statement = keeper.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT H2VERSION() AS " + MONITOR_MARKER + " FROM DUAL")) {
      rs.next();
      return "H2 "
          + rs.getString(1)
          + ", "
          + url.substring(url.indexOf(';') + 1).replace(';', ' ')
          + (fileWrite.isZero()
              ? ""
              : String.format(
                  Locale.ROOT,
                  ", every write of the file on an emulated device: %.2f ms each, one at a time"
                      + " (%,d writes so far)",
                  fileWrite.toNanos() / 1e6,
                  SerialWriteFileSystem.writes()))
          + ", data in "
          + directory;
    }
  }

  /**
   * The MVStore's file counters (H2 {@code INFORMATION_SCHEMA.SETTINGS}, {@code info.FILE_*}): the
   * chunks written (one per write of the changed pages: about one per commit with {@code
   * WRITE_DELAY=0}, one per group of commits with the engine's group commit) and their bytes, and
   * the pages read from the file (cache misses).
   */
  private Map<String, Long> storeCounters() throws SQLException {
    Map<String, Long> counters = new TreeMap<>();
    storeInfo("FILE_WRITE", "FILE_WRITE_BYTES", "FILE_READ", "FILE_READ_BYTES")
        .forEach(
            (name, value) ->
                counters.put("mvstore." + name.toLowerCase(Locale.ROOT), Long.parseLong(value)));
    return counters;
  }

  /** The H2 file's size and how full its chunks are (at the end of a run). */
  String fileShape() throws SQLException {
    Map<String, String> info =
        storeInfo(
            "FILE_SIZE",
            "FILL_RATE",
            "CHUNKS_FILL_RATE",
            "CHUNK_COUNT",
            "PAGE_COUNT",
            "PAGE_COUNT_LIVE");
    return String.format(
        Locale.ROOT,
        "H2 file: %.1f MiB, %s %% of it in chunks, chunks %s %% live (%s chunks, %s of %s pages"
            + " live)",
        Long.parseLong(info.get("FILE_SIZE")) / 1048576.0,
        info.get("FILL_RATE"),
        info.get("CHUNKS_FILL_RATE"),
        info.get("CHUNK_COUNT"),
        info.get("PAGE_COUNT_LIVE"),
        info.get("PAGE_COUNT"));
  }

  /** The MVStore's {@code info.NAME} settings of these names, by name without the prefix. */
  private Map<String, String> storeInfo(String... names) throws SQLException {
    Map<String, String> info = new TreeMap<>();
    try (PreparedStatement select =
        keeper.prepareStatement(
            "SELECT SETTING_NAME AS "
                + MONITOR_MARKER
                + ", SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ("
                + String.join(", ", Collections.nCopies(names.length, "?"))
                + ")")) {
      for (int i = 0; i < names.length; i++) {
        select.setString(i + 1, "info." + names[i]);
      }
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          info.put(rs.getString(1).substring("info.".length()), rs.getString(2));
        }
      }
    }
    return info;
  }

  @Override
  public void resetCounters(Runnable flushEngineConnections) throws SQLException {
    storeAtReset = storeCounters();
    if (Boolean.getBoolean("bench.h2.pages")) {
      pagesWritten = H2PagesWritten.start(keeper);
    }
    try (Statement statement = keeper.createStatement()) {
      // Turning statistics off drops them; on again starts from zero.
      statement.execute("SET QUERY_STATISTICS FALSE");
      statement.execute("SET QUERY_STATISTICS_MAX_ENTRIES 100000");
      statement.execute("SET QUERY_STATISTICS TRUE");
    }
  }

  @Override
  public ServerCounts readCounters(long monitorTransactions) throws SQLException {
    long statements = 0;
    Optional<Long> commits = Optional.empty();
    Map<String, Long> control = new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    Map<String, Long> store = storeCounters();
    if (pagesWritten != null) {
      System.out.println(pagesWritten.report());
    }
    System.out.println(fileShape());
    store.replaceAll((name, value) -> value - storeAtReset.getOrDefault(name, 0L));
    try (Statement statement = keeper.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS")) {
      while (rs.next()) {
        String sql = rs.getString(1);
        long count = rs.getLong(2);
        String upper = sql.strip().toUpperCase(Locale.ROOT);
        if (sql.contains(MONITOR_MARKER) || upper.contains("INFORMATION_SCHEMA.QUERY_STATISTICS")) {
          continue;
        }
        String control1 = transactionControl(upper);
        if (control1.equals("COMMIT")) {
          commits = Optional.of(commits.orElse(0L) + count);
        } else if (!control1.isEmpty()) {
          control.merge(control1, count, Long::sum);
        } else {
          statements += count;
          counts.merge(sql, count, Long::sum);
        }
      }
    }
    return new ServerCounts(
        "H2 INFORMATION_SCHEMA.QUERY_STATISTICS (engine's statements; the driver's own polling"
            + " left out by its marker)",
        statements,
        commits,
        control,
        store,
        counts,
        commits.isPresent()
            ? ""
            : "H2 does not count commits (connection.commit() bypasses its statement statistics):"
                + " commits below are the JDBC counter's.");
  }

  static String transactionControl(String upperSql) {
    for (String verb : new String[] {"COMMIT", "ROLLBACK", "BEGIN", "SAVEPOINT", "RELEASE"}) {
      if (upperSql.startsWith(verb)) {
        return upperSql.startsWith("ROLLBACK TO") ? "ROLLBACK TO SAVEPOINT" : verb;
      }
    }
    return "";
  }

  @Override
  public void close() {
    try {
      try (Statement statement = keeper.createStatement()) {
        statement.execute("SHUTDOWN");
      }
      keeper.close();
    } catch (SQLException e) {
      System.err.println("Closing the H2 database failed: " + e);
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("Deleting " + directory + " failed: " + e);
    }
  }
}
