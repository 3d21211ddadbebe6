package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.engine.SessionLocal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every session of a real H2 database kept out of its statements ({@link H2SessionLocks}). */
class H2SessionLocksTest {
  private static final String URL =
      "jdbc:h2:mem:session-locks;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";

  private Connection first;
  private Connection second;
  private org.h2.engine.Database database;

  @BeforeEach
  void open() throws Exception {
    first = DriverManager.getConnection(URL);
    second = DriverManager.getConnection(URL);
    try (Statement statement = first.createStatement()) {
      statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      statement.execute("INSERT INTO t VALUES (1, 0)");
    }
    first.setAutoCommit(false);
    second.setAutoCommit(false);
    database = H2Store.sessionOf(first).getDatabase();
  }

  @AfterEach
  void close() throws Exception {
    try (Statement statement = first.createStatement()) {
      statement.execute("DROP ALL OBJECTS");
    }
    first.close();
    second.close();
  }

  @Test
  void whileHeldAStatementWaitsAndRunsOnceLetGo() throws Exception {
    assertThat(H2SessionLocks.available()).isTrue();
    CompletableFuture<Integer> update;
    try (H2SessionLocks.Held held = H2SessionLocks.tryHoldAll(database, millis(100))) {
      assertThat(held).isNotNull();
      update = CompletableFuture.supplyAsync(() -> update(second, 1));
      assertThatThrownBy(() -> update.get(200, TimeUnit.MILLISECONDS))
          .isInstanceOf(TimeoutException.class);
    }
    assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void aTransactionBetweenStatementsIsNotWaitedForAndAStatementWaitingForARowIs() throws Exception {
    // The first session holds the row between two statements: its session's lock is free.
    assertThat(update(first, 1)).isEqualTo(1);
    try (H2SessionLocks.Held held = H2SessionLocks.tryHoldAll(database, millis(100))) {
      assertThat(held).isNotNull();
    }
    // The second waits inside H2 for that row, keeping its session's lock: not free in time.
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              started.countDown();
              return update(second, 1);
            });
    started.await();
    Thread.sleep(100);
    long before = System.nanoTime();
    assertThat(H2SessionLocks.tryHoldAll(database, millis(30))).isNull();
    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(millis(30));
    // Nothing stays held: the first commits, and the second's statement ends.
    first.commit();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    second.commit();
    try (H2SessionLocks.Held held = H2SessionLocks.tryHoldAll(database, millis(100))) {
      assertThat(held).isNotNull();
    }
  }

  @Test
  void anInterruptWhileTryingLetsGoOfTheLocksAlreadyTaken() throws Exception {
    // A database of its own: a lock left held would block its session for good, and a regression
    // must fail here, not hang the clean-up of the shared one. Its connections are closed only
    // when nothing was left held.
    Connection one = DriverManager.getConnection("jdbc:h2:mem:session-locks-interrupted");
    Connection two = DriverManager.getConnection("jdbc:h2:mem:session-locks-interrupted");
    org.h2.engine.Database own = H2Store.sessionOf(one).getDatabase();
    // The session tried last is kept busy by this thread holding its lock, as a statement would;
    // the others are free, so the trying thread holds their locks while it waits for that one.
    SessionLocal[] sessions = own.getSessions(false);
    assertThat(sessions).hasSizeGreaterThanOrEqualTo(2);
    ReentrantLock busy = H2SessionLocks.lockOf(sessions[sessions.length - 1]);
    ReentrantLock free = H2SessionLocks.lockOf(sessions[0]);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread trying =
        new Thread(
            () -> {
              try {
                H2SessionLocks.tryHoldAll(own, TimeUnit.SECONDS.toNanos(30));
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            },
            "session-locks-trying");
    busy.lock();
    try {
      trying.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(free.isLocked() && trying.getState() == Thread.State.TIMED_WAITING)) {
        assertThat(System.nanoTime()).as("waiting for the locks to be tried").isLessThan(deadline);
        Thread.onSpinWait();
      }
      trying.interrupt();
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
      trying.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(trying.isAlive()).isFalse();
    } finally {
      busy.unlock();
    }
    for (int i = 0; i < sessions.length; i++) {
      assertThat(H2SessionLocks.lockOf(sessions[i]).isLocked())
          .as("the lock of session %d of %d after the interrupt", i + 1, sessions.length)
          .isFalse();
    }
    try (Statement statement = one.createStatement()) {
      assertThat(statement.execute("SELECT 1")).isTrue();
    }
    try (Statement statement = two.createStatement()) {
      assertThat(statement.execute("SELECT 1")).isTrue();
    }
    one.close();
    two.close();
  }

  private static int update(Connection connection, int id) {
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate("UPDATE t SET v = v + 1 WHERE id = " + id);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long millis(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
