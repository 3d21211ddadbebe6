package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes of the H2 file gather the commits under way ({@link H2GroupStore}): while other
 * transactions are under way a write waits for them to end, for its gather time at most, and covers
 * every commit made before its snapshot. Transactions are driven through the steps {@link Database}
 * takes ({@code transactionBegins}, {@code commit}, {@code committed}, {@code transactionEnded},
 * {@code awaitWritten}) on a real H2 file; H2's store version counts the writes.
 */
class H2WriteGatheringTest {
  private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);

  @TempDir java.nio.file.Path directory;
  private HikariDataSource pool;
  private MVStore store;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @BeforeEach
  void open() throws SQLException {
    pool =
        DataSources.create(
            new DatabaseConfig(
                "jdbc:h2:file:"
                    + directory.resolve("db").toString().replace('\\', '/')
                    + ";WRITE_DELAY="
                    + Integer.MAX_VALUE
                    + ";AUTO_COMPACT_FILL_RATE=0",
                "",
                "",
                4));
    try (Connection connection = pool.getConnection();
        Statement create = connection.createStatement()) {
      create.execute("CREATE TABLE note (id INT PRIMARY KEY)");
      connection.commit();
      store = H2Store.storeOf(connection);
    }
  }

  @AfterEach
  void close() {
    executor.shutdownNow();
    pool.close();
  }

  @Test
  void aWriteWaitsForTheTransactionUnderWayAndCoversItsCommitWithoutASecondWrite()
      throws Exception {
    H2GroupStore durability = gatheringFor(AN_HOUR);
    commitAndAwait(durability, 1);
    Connection open = begin(durability, 2);
    long before = store.getCurrentVersion();
    long writesBefore = durability.fileWrites();

    Future<?> next = executor.submit(() -> commitAndAwait(durability, 3));
    awaitTrue(durability::writerWaitsForTransactions, "the writer waits for the open transaction");
    assertThat(next).isNotDone();
    assertThat(store.getCurrentVersion()).as("writes while it waits").isEqualTo(before);

    end(durability, open);
    next.get(10, TimeUnit.SECONDS);
    assertThat(store.getCurrentVersion() - before)
        .as("writes for the two commits: the open one's commit ended the wait and rode in it")
        .isEqualTo(1);
    assertThat(durability.fileWrites() - writesBefore)
        .as("writes the engine began: none for the commit the first covered")
        .isEqualTo(1);
    assertThat(store.hasUnsavedChanges()).isFalse();
    assertThat(notes()).isEqualTo(3);
  }

  @Test
  void aCommitWithNothingElseUnderWayIsWrittenAtOnce() throws Exception {
    H2GroupStore durability = gatheringFor(AN_HOUR);
    long before = store.getCurrentVersion();

    executor
        .submit(
            () -> {
              commitAndAwait(durability, 1);
              commitAndAwait(durability, 2);
              return null;
            })
        .get(10, TimeUnit.SECONDS);

    assertThat(store.getCurrentVersion() - before).as("writes, one per commit").isEqualTo(2);
  }

  @Test
  void aWriteWaitsAtMostItsGatherTimeForATransactionThatStaysOpen() throws Exception {
    long gather = TimeUnit.MILLISECONDS.toNanos(300);
    H2GroupStore durability = gatheringFor(gather);
    Connection open = begin(durability, 2);
    long start = System.nanoTime();

    executor.submit(() -> commitAndAwait(durability, 3)).get(10, TimeUnit.SECONDS);

    assertThat(System.nanoTime() - start)
        .as("nanoseconds the commit took to be written")
        .isGreaterThanOrEqualTo(gather);
    assertThat(notesCommitted(durability, open)).isEqualTo(2);
  }

  /** The engine's setting reaches the writes: {@code EngineConfig.h2WriteGather} via Database. */
  @Test
  void aDatabaseWaitsForTheGatherTimeItWasGiven() throws Exception {
    Duration gather = Duration.ofMillis(400);
    Database database = new Database(pool, gather);
    CountDownLatch open = new CountDownLatch(1);
    Semaphore release = new Semaphore(0);
    Future<?> underWay =
        executor.submit(
            () ->
                database.inTransaction(
                    tx -> {
                      insert(tx.connection(), 1);
                      open.countDown();
                      release.acquireUninterruptibly();
                      return null;
                    }));
    assertThat(open.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();

    database.inTransaction(tx -> insert(tx.connection(), 2));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(gather);
    release.release();
    underWay.get(10, TimeUnit.SECONDS);
    assertThat(notes()).isEqualTo(2);
    assertThatThrownBy(() -> new Database(pool, Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("h2WriteGather must be between PT0S and PT1S: PT2S");
  }

  @Test
  void anInterruptedWriterWritesAtOnceAndKeepsTheInterrupt() throws Exception {
    H2GroupStore durability = gatheringFor(AN_HOUR);
    commitAndAwait(durability, 1);
    Connection open = begin(durability, 2);
    AtomicBoolean interruptKept = new AtomicBoolean();
    long before = store.getCurrentVersion();

    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    commitAndAwait(durability, 3);
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                  interruptKept.set(Thread.currentThread().isInterrupted());
                });
    awaitTrue(durability::writerWaitsForTransactions, "the writer waits for the open transaction");
    writer.interrupt();
    writer.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(writer.isAlive()).as("the writer still waiting").isFalse();
    assertThat(interruptKept).isTrue();
    assertThat(store.getCurrentVersion() - before).isEqualTo(1);
    assertThat(notesCommitted(durability, open)).isEqualTo(3);
  }

  private H2GroupStore gatheringFor(long nanos) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return (H2GroupStore) H2GroupStore.of(connection, nanos);
    }
  }

  /** A transaction that inserted {@code id} and stays open until {@link #end}. */
  private Connection begin(H2GroupStore durability, int id) throws SQLException {
    Connection connection = pool.getConnection();
    durability.transactionBegins();
    insert(connection, id);
    return connection;
  }

  private static Void insert(Connection connection, int id) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO note VALUES (?)")) {
      insert.setInt(1, id);
      insert.executeUpdate();
    }
    return null;
  }

  /** Commits what {@link #begin} opened and waits for its write, as {@link Database} does. */
  private static void end(H2GroupStore durability, Connection connection) throws SQLException {
    long ticket;
    try (connection) {
      boolean changed = durability.changedData(connection);
      durability.commit(connection, changed);
      ticket = changed ? durability.committed() : 0;
    } finally {
      durability.transactionEnded();
    }
    durability.awaitWritten(ticket);
  }

  private Void commitAndAwait(H2GroupStore durability, int id) throws SQLException {
    end(durability, begin(durability, id));
    return null;
  }

  /** Ends the open transaction, then counts the notes. */
  private int notesCommitted(H2GroupStore durability, Connection open) throws SQLException {
    end(durability, open);
    return notes();
  }

  private int notes() throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement count = connection.createStatement();
        var rs = count.executeQuery("SELECT COUNT(*) FROM note")) {
      rs.next();
      int notes = rs.getInt(1);
      connection.rollback();
      return notes;
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(1);
    }
  }
}
