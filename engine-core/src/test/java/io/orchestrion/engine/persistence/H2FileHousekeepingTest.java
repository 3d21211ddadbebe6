package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.persistence.H2FileHousekeeping.Round;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The H2 file's housekeeping on a real H2 file with the engine's URL settings (H2's own compaction
 * off: {@code AUTO_COMPACT_FILL_RATE=0}): the same commits leave a far smaller file with it than
 * without, and every row reads back the same after the database is closed and opened again.
 */
class H2FileHousekeepingTest {
  private static final int COMMITS = 2_000;
  private static final int ROUND_EVERY = 50;
  // H2 frees a dead chunk once it has been dead this long (45 s by default, longer than the test):
  // what the test compares is what the rounds' copies let die.
  private static final String SHORT_RETENTION = ";RETENTION_TIME=20";
  private static final int WALK_SECONDS = 25;

  @TempDir Path directory;

  /**
   * Rounds run by hand between commits, or the started thread on its own, which stops without
   * harming the database. Without either, a chunk that keeps one live page (a full leaf of kept
   * rows) stays for good; H2 frees a chunk only once it has been dead for its retention time (set
   * short here, so that the test sees it; the thread's rounds every 5 ms). Measured: 1.9 to 3.7
   * times less, also beside two busy processes (3.5 to 4 times while the rounds freed chunks at
   * once, which broke concurrent reads: see below).
   */
  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"ROUNDS_BY_HAND", "THREAD"})
  void housekeepingKeepsTheFileSmallAndEveryRowIntact(Mode mode) throws Exception {
    long without = workload(directory.resolve("without"), Mode.NONE);
    long with = workload(directory.resolve("with"), mode);

    assertThat(with).isLessThan(without * 3 / 4);
    assertIntact(directory.resolve("without"));
    assertIntact(directory.resolve("with"));
  }

  @Test
  void aRoundOnAnInMemoryDatabaseFindsNoFileAndAnIdleFileIsLeftAlone() throws Exception {
    JdbcDataSource memory = new JdbcDataSource();
    memory.setURL("jdbc:h2:mem:housekeeping;DB_CLOSE_DELAY=-1");
    Database inMemory = new Database(memory);
    assertThat(housekeeping(inMemory, Duration.ofMillis(250)).runOnce())
        .isEqualTo(Round.NOT_AN_H2_FILE);

    DatabaseConfig config = DataSources.h2File(directory.resolve("idle"));
    try (HikariDataSource dataSource = DataSources.create(config)) {
      Database database = new Database(dataSource);
      database.inTransaction(
          tx -> {
            try (Statement statement = tx.connection().createStatement()) {
              statement.execute("CREATE TABLE note (id INT PRIMARY KEY)");
            }
            return null;
          });
      H2FileHousekeeping rounds = housekeeping(database, Duration.ofMillis(250));
      // A round may compact H2's start-up chunks; then, with nothing written, there is nothing to
      // do.
      List<Round> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seen.add(rounds.runOnce());
      }
      assertThat(seen.subList(1, 3)).containsOnly(Round.NOTHING_WRITTEN);
      database.inTransaction(
          tx -> {
            try (Statement statement = tx.connection().createStatement()) {
              statement.execute("INSERT INTO note VALUES (1)");
            }
            return null;
          });
      assertThat(rounds.runOnce()).isIn(Round.COMPACTED, Round.FULL_ENOUGH);
    }
  }

  /**
   * A statement that walks a table reads pages of chunks that die while it runs; H2 keeps a dead
   * chunk for its retention time, and the rounds leave that time alone. Rounds that set it to 0
   * (until 2026-12-07) freed such chunks at once, and walks failed with "Chunk ... not found": in
   * each of three runs of this workload (this test once, a stress harness twice), first after 17 to
   * 20 s, so it runs for {@value #WALK_SECONDS} s. Rows of 0.5 to 2 KB, each transaction inserting
   * one and rewriting three, rounds every 5 ms, walks on the engine's pool.
   */
  @Test
  void statementsWalkingATableWhileRoundsRunReadEveryChunkTheyReach() throws Exception {
    DatabaseConfig config = DataSources.h2File(directory.resolve("walked"));
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLong written = new AtomicLong();
    AtomicLong walks = new AtomicLong();
    try (HikariDataSource dataSource = DataSources.create(config)) {
      Database database = new Database(dataSource);
      database.inTransaction(
          tx -> {
            try (Statement statement = tx.connection().createStatement()) {
              statement.execute(
                  "CREATE TABLE walked (id BIGINT PRIMARY KEY, k INT, body VARCHAR(2000))");
            }
            return null;
          });
      H2FileHousekeeping rounds = housekeeping(database, Duration.ofMillis(5));
      rounds.start();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong nextId = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        threads.add(
            Thread.ofPlatform().start(() -> writeUntil(stop, database, nextId, written, failures)));
      }
      for (int r = 0; r < 2; r++) {
        threads.add(Thread.ofPlatform().start(() -> walkUntil(stop, dataSource, walks, failures)));
      }
      Thread.sleep(Duration.ofSeconds(WALK_SECONDS));
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      rounds.close();
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT COUNT(*), SUM(k) FROM walked")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(written.get());
        assertThat(rs.getLong(2)).isEqualTo(3 * written.get());
      }
    }
    assertThat(written.get()).isPositive();
    assertThat(walks.get()).isPositive();
    assertThat(failures).as("reads and writes that failed").isEmpty();
  }

  /**
   * Inserts a row and rewrites three rows (the new one included, at random) per transaction until
   * told to stop.
   */
  private static void writeUntil(
      AtomicBoolean stop,
      Database database,
      AtomicLong nextId,
      AtomicLong written,
      List<String> failures) {
    Random random = new Random();
    while (!stop.get()) {
      try {
        database.inTransaction(
            tx -> {
              try (PreparedStatement insert =
                      tx.connection().prepareStatement("INSERT INTO walked VALUES (?, 0, ?)");
                  PreparedStatement update =
                      tx.connection()
                          .prepareStatement("UPDATE walked SET k = k + 1, body = ? WHERE id = ?")) {
                long id = nextId.incrementAndGet();
                insert.setLong(1, id);
                insert.setString(2, "x".repeat(500 + random.nextInt(1_500)));
                insert.executeUpdate();
                for (int i = 0; i < 3; i++) {
                  update.setString(1, "y".repeat(500 + random.nextInt(1_500)));
                  update.setLong(2, 1 + random.nextLong(id));
                  if (update.executeUpdate() != 1) {
                    // A row another writer inserted but has not committed: count it here.
                    update.setLong(2, id);
                    update.executeUpdate();
                  }
                }
                return null;
              }
            });
        written.incrementAndGet();
      } catch (RuntimeException e) {
        failures.add("write: " + e);
      }
    }
  }

  /** Reads every row, on one connection of the engine's pool, until told to stop. */
  private static void walkUntil(
      AtomicBoolean stop, HikariDataSource dataSource, AtomicLong walks, List<String> failures) {
    try (Connection connection = dataSource.getConnection()) {
      while (!stop.get()) {
        try (Statement statement = connection.createStatement();
            ResultSet rs =
                statement.executeQuery("SELECT COUNT(*), SUM(LENGTH(body)), SUM(k) FROM walked")) {
          rs.next();
          connection.rollback();
          walks.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
          failures.add("walk: " + e.getMessage());
        }
      }
    } catch (SQLException e) {
      failures.add("walker's connection: " + e.getMessage());
    }
  }

  enum Mode {
    NONE,
    ROUNDS_BY_HAND,
    THREAD
  }

  /**
   * Commits {@link #COMMITS} transactions, each adding a row (a leaf that fills and then stays, as
   * finished runs do) and rewriting one hot row (as a run's hand-offs do); returns the file's size
   * before the database closes (H2 compacts for a moment when it closes).
   */
  private static long workload(Path dataDirectory, Mode mode) throws Exception {
    DatabaseConfig engines = DataSources.h2File(dataDirectory);
    DatabaseConfig config =
        new DatabaseConfig(
            engines.jdbcUrl() + SHORT_RETENTION,
            engines.username(),
            engines.password(),
            engines.maxPoolSize());
    try (HikariDataSource dataSource = DataSources.create(config)) {
      Database database = new Database(dataSource);
      H2FileHousekeeping housekeeping = housekeeping(database, Duration.ofMillis(5));
      database.inTransaction(
          tx -> {
            try (Statement statement = tx.connection().createStatement()) {
              statement.execute("CREATE TABLE kept (id BIGINT PRIMARY KEY, body VARCHAR(2000))");
              statement.execute("CREATE TABLE hot (id INT PRIMARY KEY, body VARCHAR(2000))");
              statement.execute("INSERT INTO hot VALUES (1, '')");
            }
            return null;
          });
      if (mode == Mode.THREAD) {
        housekeeping.start();
      }
      try {
        for (int i = 0; i < COMMITS; i++) {
          long id = i;
          database.inTransaction(
              tx -> {
                try (PreparedStatement insert =
                        tx.connection().prepareStatement("INSERT INTO kept VALUES (?, ?)");
                    PreparedStatement update =
                        tx.connection().prepareStatement("UPDATE hot SET body = ? WHERE id = 1")) {
                  insert.setLong(1, id);
                  insert.setString(2, body(id));
                  insert.executeUpdate();
                  update.setString(1, body(id + 1_000_000));
                  update.executeUpdate();
                }
                return null;
              });
          if (mode == Mode.ROUNDS_BY_HAND && i % ROUND_EVERY == ROUND_EVERY - 1) {
            assertThat(housekeeping.runOnce()).isNotEqualTo(Round.NOT_AN_H2_FILE);
          }
        }
      } finally {
        housekeeping.close();
      }
      try (Connection connection = dataSource.getConnection()) {
        return H2Store.fill(connection).orElseThrow().fileBytes();
      }
    }
  }

  /** Opens the database again and reads every row back. */
  private static void assertIntact(Path dataDirectory) throws SQLException {
    try (HikariDataSource dataSource = DataSources.create(DataSources.h2File(dataDirectory));
        Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      int rows = 0;
      try (ResultSet rs = statement.executeQuery("SELECT id, body FROM kept ORDER BY id")) {
        while (rs.next()) {
          assertThat(rs.getLong(1)).isEqualTo(rows);
          assertThat(rs.getString(2)).isEqualTo(body(rows));
          rows++;
        }
      }
      assertThat(rows).isEqualTo(COMMITS);
      try (ResultSet rs = statement.executeQuery("SELECT body FROM hot WHERE id = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(body(COMMITS - 1 + 1_000_000));
      }
    }
  }

  private static H2FileHousekeeping housekeeping(Database database, Duration interval) {
    return new H2FileHousekeeping(
        database,
        EngineConfig.defaults(new DatabaseConfig("jdbc:h2:mem:unused", "", "", 1))
            .withH2Housekeeping(interval));
  }

  /** About 1 KB, different for every id. */
  private static String body(long id) {
    return ("row " + id + " ").repeat(1 + 1_000 / (6 + Long.toString(id).length()));
  }
}
