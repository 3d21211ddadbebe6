package io.orchestrion.engine;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.persistence.Database;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Builds the engine's connection pool. */
public final class DataSources {
  /**
   * H2 settings for the embedded file database. {@code DB_CLOSE_ON_EXIT=FALSE}: the engine closes
   * the pool (and so the database) in its own shutdown, after its workers stopped; H2's shutdown
   * hook would close it under their feet. {@code LOCK_TIMEOUT=10000}: concurrent passes wait for a
   * row lock up to 10 s (H2's default of 1 s is shorter than a busy pass). {@code
   * WRITE_DELAY=2147483647} (the longest, about 25 days): H2 does not write the file at each
   * commit, nor in its background writer; the engine does, in groups ({@code
   * persistence.H2GroupStore}): a transaction that changed data returns only once a write of the
   * file that began after its commit has ended, so a killed process loses no committed work, and
   * one write covers every commit made while the previous one was under way. With {@code
   * WRITE_DELAY=0}, H2's own way, each commit wrote every page changed since the last write, about
   * once per commit under load (benchmarks/README.md, "Group commit in the H2 file": 40 % fewer
   * bytes written and a quarter less CPU per submission). H2's background writer is kept from
   * writing because it writes while transactions commit, which can leave one half-written in the
   * file after a kill (docs/persistence.md); what nobody waits for (H2's own system commits, a
   * migration) the engine's housekeeping writes at its next round ({@code
   * persistence.H2FileHousekeeping}). {@code AUTO_COMPACT_FILL_RATE=0}: H2's background writer,
   * which runs once {@code WRITE_DELAY} is above zero, does not compact the file; the engine's own
   * housekeeping does ({@code persistence.H2FileHousekeeping}), because H2's moves chunks while the
   * store is in use, which trips H2 2.3.232's own assertions. {@code QUERY_CACHE_SIZE=128}: each H2
   * session keeps the parsed form of its last 128 distinct statements (H2's default is 8); the
   * engine prepares its statements per transaction, and one submission uses about 40 distinct ones,
   * so with 8 H2 parsed most of them again each time (13 % of the CPU in a profile, issue 11).
   * {@code MAX_LENGTH_INPLACE_LOB=16384}: a JSON column of up to 16 KiB (a run's variables and
   * instances, a record's fields) is kept in its row, as PostgreSQL keeps a compressed TEXT of that
   * size; H2's default of 256 bytes put every run's instances document in H2's separate LOB maps,
   * three more maps rewritten at each commit (benchmarks/README.md "The run's instances in its
   * row": 13 % fewer bytes written per submission, 10 % less CPU). Longer values still go to the
   * LOB maps.
   */
  static final String H2_FILE_SETTINGS =
      ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY="
          + Integer.MAX_VALUE
          + ";AUTO_COMPACT_FILL_RATE=0"
          + ";QUERY_CACHE_SIZE=128;MAX_LENGTH_INPLACE_LOB=16384";

  private DataSources() {}

  /** The embedded H2 database in file mode: {@code <dataDirectory>/orchestrion.mv.db}. */
  public static DatabaseConfig h2File(Path dataDirectory) {
    return new DatabaseConfig(
        h2FileUrl(dataDirectory), "", "", DatabaseConfig.DEFAULT_MAX_POOL_SIZE);
  }

  /** The JDBC URL of the embedded H2 file database under {@code dataDirectory}. */
  public static String h2FileUrl(Path dataDirectory) {
    // H2 wants forward slashes on every platform.
    String base = dataDirectory.toAbsolutePath().normalize().resolve("orchestrion").toString();
    return "jdbc:h2:file:" + base.replace('\\', '/') + H2_FILE_SETTINGS;
  }

  /**
   * A pooled data source. Connections come with auto-commit off and READ COMMITTED, the way {@link
   * Database} uses them, so that handing one out costs no extra round trip. The caller closes it.
   *
   * @throws IllegalStateException when no JDBC driver on the class path accepts the URL: the engine
   *     ships no driver; the embedder adds H2 ({@code com.h2database:h2}) or PostgreSQL's ({@code
   *     org.postgresql:postgresql})
   */
  public static HikariDataSource create(DatabaseConfig config) {
    requireDriver(config.jdbcUrl());
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("orchestrion");
    hikari.setJdbcUrl(config.jdbcUrl());
    if (!config.username().isEmpty()) {
      hikari.setUsername(config.username());
    }
    if (!config.password().isEmpty()) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.maxPoolSize());
    hikari.setAutoCommit(false);
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    return new HikariDataSource(hikari);
  }

  private static void requireDriver(String jdbcUrl) {
    try {
      DriverManager.getDriver(jdbcUrl);
    } catch (SQLException e) {
      String scheme = jdbcUrl.split(":", 3).length > 1 ? jdbcUrl.split(":", 3)[1] : jdbcUrl;
      throw new IllegalStateException(
          "no JDBC driver on the class path accepts 'jdbc:%s:...': engine-core ships none; add"
                  .formatted(scheme)
              + " com.h2database:h2 (H2) or org.postgresql:postgresql (PostgreSQL) to the"
              + " application's dependencies",
          e);
    }
  }
}
