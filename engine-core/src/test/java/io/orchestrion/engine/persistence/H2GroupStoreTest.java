package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real H2 file ({@link H2GroupStore}): what {@link Database#inTransaction} has
 * returned is in the file. The file is copied while the database is open, as a killed process would
 * leave it, and the copy is opened on its own. H2's background writer is kept from writing, as the
 * engine's URL does ({@code WRITE_DELAY} of about 25 days), so that only the engine's writes can
 * put a commit in the file; a commit made beside the engine shows that the copy would miss what
 * nobody wrote.
 */
class H2GroupStoreTest {
  private static final String WRITES_LATE =
      ";WRITE_DELAY=" + Integer.MAX_VALUE + ";AUTO_COMPACT_FILL_RATE=0";
  // The largest buffer of unwritten memory H2 2.3.232 sizes for itself, whatever the heap.
  private static final int H2_LARGEST_OWN_BUFFER = 19 << 20;
  private static final int ROWS_A_TRANSACTION = 20;
  private static final int COPIES = 120;
  private static final int COPY_EVERY_MILLIS = 10;
  private static final long DEFAULT_GATHER = EngineConfig.DEFAULT_H2_WRITE_GATHER.toNanos();

  @TempDir Path directory;
  private HikariDataSource pool;
  private Database database;

  @BeforeEach
  void open() {
    pool =
        DataSources.create(
            new DatabaseConfig(
                "jdbc:h2:file:"
                    + directory.resolve("live/db").toString().replace('\\', '/')
                    + WRITES_LATE,
                "",
                "",
                8));
    database = new Database(pool);
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute("CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(100))");
          }
          return null;
        });
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void aCommitIsInTheFileWhenTheTransactionReturnsAndOneMadeBesideTheEngineIsNot()
      throws Exception {
    insert(1);
    assertThat(notesInACopyOfTheFile("after-engine")).containsExactly(1);

    try (Connection beside = pool.getConnection();
        Statement statement = beside.createStatement()) {
      statement.execute("INSERT INTO note (id, text) VALUES (2, 'beside')");
      beside.commit();
    }
    assertThat(notesInACopyOfTheFile("after-beside")).containsExactly(1);

    insert(3);
    assertThat(notesInACopyOfTheFile("after-engine-again")).containsExactly(1, 2, 3);
  }

  /**
   * After-commit actions signal inside the process (a worker woken for a job) and run before the
   * write, so that a hand-off does not wait for it; the caller learns of the commit after it.
   */
  @Test
  void afterCommitActionsRunBeforeTheWriteAndTheCallerReturnsAfterIt() throws Exception {
    List<List<Integer>> seenByTheAction = new ArrayList<>();
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute("INSERT INTO note (id, text) VALUES (4, 'signalled')");
          }
          tx.afterCommit(
              () -> {
                try {
                  seenByTheAction.add(notesInACopyOfTheFile("in-the-action"));
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
          return null;
        });
    assertThat(seenByTheAction).containsExactly(List.of());
    assertThat(notesInACopyOfTheFile("after-return")).containsExactly(4);
  }

  @Test
  void everyConcurrentCommitIsInTheFileOnceAllHaveReturned() throws Exception {
    int threads = 8;
    int each = 40;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = 100 + t * each;
        running.add(
            executor.submit(
                () -> {
                  for (int id = first; id < first + each; id++) {
                    insert(id);
                  }
                  return null;
                }));
      }
      for (Future<?> future : running) {
        future.get();
      }
    } finally {
      executor.shutdown();
    }

    Set<Integer> expected = new HashSet<>();
    for (int id = 100; id < 100 + threads * each; id++) {
      expected.add(id);
    }
    assertThat(new HashSet<>(notesInACopyOfTheFile("after-concurrent"))).isEqualTo(expected);
  }

  /**
   * H2 takes the roots of its maps for a write one after the other (H2 issue 2080): a transaction
   * committing or a statement running meanwhile could be in the file with some of its rows only,
   * and a process killed before the next write would leave it so. The engine keeps transactions out
   * of that moment ({@link H2GroupStore#transactionBegins}, and when a transaction runs long, every
   * session's lock: {@link H2SessionLocks}). Here writers commit transactions of {@value
   * #ROWS_A_TRANSACTION} rows in each of two tables while the file is copied again and again
   * between writes, as a kill would leave it; in every copy each transaction's rows are all there
   * or none. With commits only kept out (the engine until 2026-12-07), rows of transactions that
   * had not committed were in one or two copies in six runs of eight (three of five with 150
   * copies, three of three with 120; three rows of one transaction, 14 of another: those whose undo
   * entries H2 took before it took their table); with whole transactions kept out (2026-12-07 until
   * the session locks) none in 13 runs.
   */
  @Test
  void everyCopyOfTheFileTakenWhileTransactionsCommitHoldsEachOneWholeOrNotAtAll()
      throws Exception {
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute("CREATE TABLE pair (id INT PRIMARY KEY, text VARCHAR(100))");
          }
          return null;
        });
    Path live = directory.resolve("live/db.mv.db");
    FileStore<?> files = store().getFileStore();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger nextTransaction = new AtomicInteger();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    List<Path> copies = new ArrayList<>();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        running.add(
            writers.submit(
                () -> {
                  while (!stop.get()) {
                    insertBothHalves(nextTransaction.getAndIncrement());
                  }
                  return null;
                }));
      }
      // At least COPIES copies, and on until the writers have committed ten transactions a copy
      // (a quiet machine copies faster than a busy one commits), for at most a minute.
      long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      for (int c = 0;
          c < COPIES || (nextTransaction.get() <= 10 * COPIES && System.nanoTime() < giveUp);
          c++) {
        Thread.sleep(COPY_EVERY_MILLIS);
        Path copy = directory.resolve("torn-" + c);
        Files.createDirectories(copy);
        // Between two writes of the file, as a kill would find it (H2 holds off its writing
        // threads meanwhile): a copy made during a write could read half of it.
        files.executeFileStoreOperation(() -> copyFile(live, copy.resolve("db.mv.db")));
        copies.add(copy);
      }
      stop.set(true);
      for (Future<?> writer : running) {
        writer.get();
      }
    } finally {
      stop.set(true);
      writers.shutdown();
    }

    assertThat(nextTransaction.get()).isGreaterThan(10 * COPIES);
    List<String> torn = new ArrayList<>();
    for (Path copy : copies) {
      try (Connection connection = DriverManager.getConnection(copyUrl(copy));
          Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT t, SUM(n) FROM (SELECT id / "
                      + ROWS_A_TRANSACTION
                      + " t, 1 n FROM note UNION ALL SELECT id / "
                      + ROWS_A_TRANSACTION
                      + " t, 1 n FROM pair) GROUP BY t HAVING SUM(n) <> "
                      + 2 * ROWS_A_TRANSACTION)) {
        while (rs.next()) {
          torn.add(
              copy.getFileName()
                  + ": transaction "
                  + rs.getInt(1)
                  + " has "
                  + rs.getInt(2)
                  + " rows");
        }
      }
    }
    assertThat(torn).as("transactions found in part in a copy of the file").isEmpty();
  }

  /**
   * A transaction under way when a write of the file begins is waited for at most {@value
   * H2GroupStore#QUIET_WAIT_MILLIS} ms: one that runs longer between its statements does not hold
   * up the commits of others, and their write still keeps every statement out of H2's snapshot (no
   * write beside a statement).
   */
  @Test
  void aTransactionRunningLongBetweenStatementsDoesNotHoldUpTheWriteOfAnotherCommit()
      throws Exception {
    CountDownLatch begun = new CountDownLatch(1);
    Semaphore release = new Semaphore(0);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<?> longOne =
          openAfter(executor, "INSERT INTO note (id, text) VALUES (1, 'long')", begun, release);
      begun.await();
      long besideBefore = database.writesBesideStatements();
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> insert(2));
      other.get(10, TimeUnit.SECONDS);
      assertThat(database.writesBesideStatements()).isEqualTo(besideBefore);
      assertThat(notesInACopyOfTheFile("beside-a-long-transaction")).containsExactly(2);
      release.release();
      longOne.get();

      assertThat(notesInACopyOfTheFile("after-the-long-transaction")).containsExactly(1, 2);
    } finally {
      release.release();
      executor.shutdown();
    }
  }

  /**
   * A statement that runs longer than {@value H2GroupStore#QUIET_WAIT_MILLIS} ms (here one waiting
   * for a row lock, keeping its session's lock while it waits) is not waited for: the write of
   * another commit keeps commits only out of H2's snapshot, is counted, and the statement goes on
   * once the row is free. Nothing waits for anything held here: the transaction holding the row
   * commits while the write retries.
   */
  @Test
  void aStatementRunningLongDoesNotHoldUpTheWriteOfAnotherCommit() throws Exception {
    insert(1);
    CountDownLatch rowTaken = new CountDownLatch(1);
    Semaphore releaseRow = new Semaphore(0);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      Future<?> holder =
          openAfter(executor, "UPDATE note SET text = 'held' WHERE id = 1", rowTaken, releaseRow);
      rowTaken.await();
      Future<?> waiter =
          executor.submit(
              () ->
                  database.inTransaction(
                      tx -> {
                        try (Statement statement = tx.connection().createStatement()) {
                          // Waits inside H2 for the holder's row lock (LOCK_TIMEOUT: 10 s).
                          statement.executeUpdate("UPDATE note SET text = 'waited' WHERE id = 1");
                        }
                        return null;
                      }));
      awaitSessionBlocked();
      long besideBefore = database.writesBesideStatements();
      CompletableFuture.runAsync(() -> insert(2)).get(10, TimeUnit.SECONDS);
      assertThat(database.writesBesideStatements()).isGreaterThan(besideBefore);

      releaseRow.release();
      holder.get(10, TimeUnit.SECONDS);
      waiter.get(10, TimeUnit.SECONDS);
      assertThat(textOf(1)).isEqualTo("waited");
      assertThat(notesInACopyOfTheFile("after-the-waiting-statement")).containsExactly(1, 2);
    } finally {
      releaseRow.release();
      executor.shutdown();
    }
  }

  @Test
  void waitingForTheWriteWithATransactionOpenIsRefusedRatherThanHoldingItsLocksThroughTheWrite() {
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      database.awaitWrittenSoFar();
                      return null;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transaction open on this thread");
  }

  @Test
  void aTransactionThatOnlyReadsWritesNothingAndOneThatChangesDataWritesTheFile() throws Exception {
    MVStore store = store();
    long before = store.getCurrentVersion();
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement();
              ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM note")) {
            rs.next();
            return rs.getInt(1);
          }
        });
    assertThat(store.getCurrentVersion()).isEqualTo(before);

    insert(7);
    assertThat(store.getCurrentVersion()).isGreaterThan(before);
  }

  @Test
  void aReaderThatWaitsForWhatItSawFindsItInTheFile() throws Exception {
    try (Connection beside = pool.getConnection();
        Statement statement = beside.createStatement()) {
      statement.execute("INSERT INTO note (id, text) VALUES (5, 'seen')");
      beside.commit();
    }
    database.awaitWrittenSoFar();
    assertThat(notesInACopyOfTheFile("after-reader")).containsExactly(5);
  }

  @Test
  void h2WritingAtCommitOrInMemoryLeavesTheWritingToH2() throws Exception {
    DatabaseConfig atCommit =
        new DatabaseConfig(
            "jdbc:h2:file:"
                + directory.resolve("at-commit/db").toString().replace('\\', '/')
                + ";WRITE_DELAY=0",
            "",
            "",
            2);
    try (HikariDataSource files = DataSources.create(atCommit);
        Connection connection = files.getConnection()) {
      assertThat(H2GroupStore.of(connection, DEFAULT_GATHER)).isSameAs(CommitDurability.AT_COMMIT);
      connection.rollback();
    }
    try (Connection memory = DriverManager.getConnection("jdbc:h2:mem:group-store")) {
      assertThat(H2GroupStore.of(memory, DEFAULT_GATHER)).isSameAs(CommitDurability.AT_COMMIT);
    }
    try (Connection connection = pool.getConnection()) {
      assertThat(H2GroupStore.of(connection, DEFAULT_GATHER)).isInstanceOf(H2GroupStore.class);
      connection.rollback();
    }
  }

  /**
   * With the engine's URL, H2's background writer writes nothing: it would write while transactions
   * commit, which can leave one half-written in the file after a kill (a crash test saw its writes
   * while a restarted server drained its queue). What a commit made beside the engine leaves is
   * written by the housekeeping's next round. Before, H2 wrote it within about 0.7 s.
   */
  @Test
  void withTheEnginesSettingsOnlyTheEngineWritesTheFileAndAHousekeepingRoundWritesWhatNobodyAwaits()
      throws Exception {
    Path data = directory.resolve("engine-settings");
    try (HikariDataSource engine = DataSources.create(DataSources.h2File(data))) {
      Database onEngineSettings = new Database(engine);
      onEngineSettings.inTransaction(
          tx -> {
            try (Statement statement = tx.connection().createStatement()) {
              statement.execute("CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(100))");
            }
            return null;
          });
      try (Connection beside = engine.getConnection();
          Statement statement = beside.createStatement()) {
        statement.execute("INSERT INTO note (id, text) VALUES (8, 'beside')");
        beside.commit();
      }
      Thread.sleep(1_500);
      Path live = data.resolve("orchestrion.mv.db");
      assertThat(notesInACopyOf(live, "before-the-round")).isEmpty();

      new H2FileHousekeeping(
              onEngineSettings,
              EngineConfig.defaults(new DatabaseConfig("jdbc:h2:mem:unused", "", "", 1)))
          .runOnce();
      assertThat(notesInACopyOf(live, "after-the-round")).containsExactly(8);
    }
  }

  /**
   * H2 writes at the next change of any map once the memory of its unwritten pages passes a buffer
   * it sizes from the heap (at most 19 MiB), from whichever thread changes it, while others commit.
   * The engine raises that buffer to an eighth of the heap: a transaction that changes twice H2's
   * largest buffer leaves the store unwritten until the engine writes it (H2 wrote four times
   * during it before).
   */
  @Test
  void h2DoesNotWriteOnItsOwnWhenUnwrittenPagesPassItsBuffer() throws Exception {
    MVStore store = store();
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(store.getAutoCommitMemory())
        .as("H2's buffer, raised")
        .isEqualTo(H2GroupStore.unwrittenMemoryBound(heap, h2sOwnBuffer(heap)));
    Assumptions.assumeTrue(
        store.getAutoCommitMemory() > 3 * H2_LARGEST_OWN_BUFFER,
        "a heap of " + heap + " bytes leaves too small a raised buffer for this test");
    String text = "x".repeat(16_000);
    try (Connection beside = pool.getConnection()) {
      try (Statement create = beside.createStatement()) {
        create.execute("CREATE TABLE big (id INT PRIMARY KEY, text VARCHAR(16000))");
      }
      long before = store.getCurrentVersion();
      try (PreparedStatement insert =
          beside.prepareStatement("INSERT INTO big (id, text) VALUES (?, ?)")) {
        for (int id = 0;
            id < 5_000
                && store.getCurrentVersion() == before
                && store.getUnsavedMemory() <= 2 * H2_LARGEST_OWN_BUFFER;
            id++) {
          insert.setInt(1, id);
          insert.setString(2, text);
          insert.executeUpdate();
        }
      }
      assertThat(store.getCurrentVersion()).as("versions H2 wrote on its own").isEqualTo(before);
      assertThat(store.getUnsavedMemory()).isGreaterThan(2 * H2_LARGEST_OWN_BUFFER);
      beside.rollback();
    }
  }

  @Test
  void theRaisedBufferIsAnEighthOfTheHeapAtMost512MiBAndNeverBelowH2sOwn() {
    int mib = 1 << 20;
    assertThat(H2GroupStore.unwrittenMemoryBound(1L << 30, 19 * mib)).isEqualTo(128 * mib);
    assertThat(H2GroupStore.unwrittenMemoryBound(256L * mib, 16 * mib)).isEqualTo(32 * mib);
    assertThat(H2GroupStore.unwrittenMemoryBound(64L * mib, 4 * mib)).isEqualTo(8 * mib);
    assertThat(H2GroupStore.unwrittenMemoryBound(64L * mib, 19 * mib)).isEqualTo(19 * mib);
    assertThat(H2GroupStore.unwrittenMemoryBound(16L << 30, 19 * mib))
        .isEqualTo(Integer.MAX_VALUE / 4);
    assertThat(H2GroupStore.unwrittenMemoryBound(Long.MAX_VALUE, 19 * mib))
        .isEqualTo(Integer.MAX_VALUE / 4);
  }

  // H2 2.3.232's own buffer (MVStore's constructor): 64 KiB per MiB of heap, from 1 to 19 MiB.
  private static int h2sOwnBuffer(long heap) {
    long kib = Math.max(1, Math.min(19, 64 * heap / (1L << 30))) * 1024;
    return (int) (kib * 1024);
  }

  private MVStore store() throws SQLException {
    try (Connection connection = pool.getConnection()) {
      MVStore store = H2Store.storeOf(connection);
      connection.rollback();
      return store;
    }
  }

  /**
   * The URL of the copy of the file in {@code copy}, opened as a database of its own. The copy
   * keeps the live file's WRITE_DELAY; the same one in the URL spares H2 a restart of its
   * background writer, whose stop can miss its wake-up and then waits out the writer's sleep (a
   * third of the delay: days with the engine's).
   */
  private static String copyUrl(Path copy) {
    return "jdbc:h2:file:" + copy.resolve("db").toString().replace('\\', '/') + WRITES_LATE;
  }

  private static void copyFile(Path from, Path to) {
    try {
      Files.copy(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows {@code n * ROWS_A_TRANSACTION} and on in both tables, in one transaction. */
  private void insertBothHalves(int n) {
    database.inTransaction(
        tx -> {
          for (String table : List.of("note", "pair")) {
            try (PreparedStatement insert =
                tx.connection()
                    .prepareStatement("INSERT INTO " + table + " (id, text) VALUES (?, ?)")) {
              for (int i = 0; i < ROWS_A_TRANSACTION; i++) {
                insert.setInt(1, n * ROWS_A_TRANSACTION + i);
                insert.setString(2, table + " " + n);
                insert.addBatch();
              }
              insert.executeBatch();
            }
          }
          return null;
        });
  }

  private void insert(int id) {
    database.inTransaction(
        tx -> {
          try (PreparedStatement insert =
              tx.connection().prepareStatement("INSERT INTO note (id, text) VALUES (?, ?)")) {
            insert.setInt(1, id);
            insert.setString(2, "note " + id);
            insert.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Runs {@code sql} in a transaction on {@code executor}, counts {@code ran} down, and keeps the
   * transaction open, between statements, until {@code release} gets a permit.
   */
  private Future<?> openAfter(
      ExecutorService executor, String sql, CountDownLatch ran, Semaphore release) {
    return executor.submit(
        () ->
            database.inTransaction(
                tx -> {
                  try (Statement statement = tx.connection().createStatement()) {
                    statement.executeUpdate(sql);
                  }
                  ran.countDown();
                  release.acquireUninterruptibly();
                  return null;
                }));
  }

  /** Waits until a session of the database waits for another's lock, inside a statement. */
  private void awaitSessionBlocked() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no session waited for a row lock within 10 s");
  }

  private String textOf(int id) {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement select =
              tx.connection().prepareStatement("SELECT text FROM note WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() ? rs.getString(1) : null;
            }
          }
        });
  }

  /** The notes in a copy of the live file, opened as a database of its own, in id order. */
  private List<Integer> notesInACopyOfTheFile(String name) throws Exception {
    return notesInACopyOf(directory.resolve("live/db.mv.db"), name);
  }

  private List<Integer> notesInACopyOf(Path liveFile, String name) throws Exception {
    Path copy = directory.resolve(name);
    Files.createDirectories(copy);
    Files.copy(liveFile, copy.resolve("db.mv.db"));
    List<Integer> ids = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(copyUrl(copy));
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id FROM note ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    } catch (SQLException e) {
      throw new AssertionError("the copy of the file does not open: " + e.getMessage(), e);
    }
    return ids;
  }
}
