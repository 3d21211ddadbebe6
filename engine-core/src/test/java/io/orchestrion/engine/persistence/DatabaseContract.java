package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Database} on each dialect: commit, rollback, error translation, after-commit actions. */
abstract class DatabaseContract {
  private TestDatabase testDatabase;
  private Database database;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void openDatabase() {
    testDatabase = TestDatabases.create(kind());
    database = testDatabase.database();
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute("CREATE TABLE probe (name VARCHAR(20) NOT NULL PRIMARY KEY)");
          }
          return null;
        });
  }

  @AfterEach
  void closeDatabase() {
    testDatabase.close();
  }

  protected Database database() {
    return database;
  }

  protected String jdbcUrl() {
    return testDatabase.jdbcUrl();
  }

  @Test
  void detectsDialect() {
    assertThat(database.dialect())
        .isEqualTo(kind() == TestDatabaseKind.H2 ? Dialect.H2 : Dialect.POSTGRESQL);
  }

  @Test
  void tellsWhichUniqueConstraintAnInsertViolated() {
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute(
                "CREATE TABLE pairs (a VARCHAR(5) NOT NULL, b VARCHAR(5) NOT NULL,"
                    + " CONSTRAINT pairs_unique_a UNIQUE (a), CONSTRAINT pairs_unique_b UNIQUE (b))");
            statement.execute("INSERT INTO pairs VALUES ('x', 'y')");
          }
          return null;
        });

    SQLException onA = insertPairFailing("x", "z");
    SQLException onB = insertPairFailing("w", "y");

    assertThat(JdbcValues.isUniqueViolation(onA)).isTrue();
    assertThat(JdbcValues.isUniqueViolationOf(onA, "pairs_unique_a")).isTrue();
    assertThat(JdbcValues.isUniqueViolationOf(onA, "pairs_unique_b")).isFalse();
    assertThat(JdbcValues.isUniqueViolationOf(new RuntimeException(onB), "pairs_unique_b"))
        .as("found through the cause chain")
        .isTrue();
    assertThat(JdbcValues.isUniqueViolationOf(onB, "pairs_unique_a")).isFalse();
  }

  private SQLException insertPairFailing(String a, String b) {
    try (Connection connection = testDatabase.dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO pairs VALUES (?, ?)")) {
      insert.setString(1, a);
      insert.setString(2, b);
      insert.executeUpdate();
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("the insert of (" + a + ", " + b + ") was expected to fail");
  }

  @Test
  void commitsWorkAndRunsAfterCommitActionsInOrder() {
    List<String> actions = new ArrayList<>();
    String result =
        database.inTransaction(
            tx -> {
              insert(tx.connection(), "a");
              tx.afterCommit(() -> actions.add("first"));
              tx.afterCommit(() -> actions.add("second"));
              assertThat(actions).isEmpty();
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(names()).containsExactly("a");
    assertThat(actions).containsExactly("first", "second");
  }

  @Test
  void rollsBackAndRethrowsOrchestrionExceptionAsIs() {
    OrchestrionException failure =
        new OrchestrionException(StandardErrorCode.CONFLICT, "'a' conflicts");
    List<String> actions = new ArrayList<>();

    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      insert(tx.connection(), "a");
                      tx.afterCommit(() -> actions.add("must not run"));
                      throw failure;
                    }))
        .isSameAs(failure);

    assertThat(names()).isEmpty();
    assertThat(actions).isEmpty();
  }

  @Test
  void wrapsSqlExceptionsAsInternalErrorsAndRollsBack() {
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      insert(tx.connection(), "a");
                      insert(tx.connection(), "a");
                      return null;
                    }))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode())
                  .isEqualTo(StandardErrorCode.INTERNAL_ERROR.toErrorCode());
              assertThat(e.getMessage()).contains("SQL state 23505");
              assertThat(e.getCause()).isInstanceOf(SQLException.class);
            });

    assertThat(names()).isEmpty();
  }

  @Test
  void failingAfterCommitActionIsLoggedNotThrown() {
    List<String> actions = new ArrayList<>();
    database.inTransaction(
        tx -> {
          insert(tx.connection(), "a");
          tx.afterCommit(
              () -> {
                throw new IllegalStateException("wake-up failed");
              });
          tx.afterCommit(() -> actions.add("still runs"));
          return null;
        });

    assertThat(names()).containsExactly("a");
    assertThat(actions).containsExactly("still runs");
  }

  @Test
  void transactionCannotBeUsedAfterItEnded() {
    Transaction leaked = database.inTransaction(tx -> tx);

    assertThatThrownBy(leaked::connection).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void connectionsAreReadCommittedWithoutAutoCommit() {
    database.inTransaction(
        tx -> {
          assertThat(tx.connection().getAutoCommit()).isFalse();
          assertThat(tx.connection().getTransactionIsolation())
              .isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
          return null;
        });
  }

  @Test
  void migratingAgainChangesNothing() {
    Migrations.migrate(testDatabase.dataSource(), testDatabase.dialect());

    int count =
        database.inTransaction(
            tx -> {
              try (Statement statement = tx.connection().createStatement();
                  ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM object_types")) {
                rows.next();
                return rows.getInt(1);
              }
            });
    assertThat(count).isZero();
  }

  @Test
  void aNestedTransactionOnTheSameThreadFailsFastAndRollsTheOuterOneBack() {
    List<String> actions = new ArrayList<>();

    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      insert(tx.connection(), "outer");
                      tx.afterCommit(() -> actions.add("must not run"));
                      return database.inTransaction(inner -> "never reached");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("A transaction is already open on this thread")
        .hasMessageContaining("pass its Transaction down");

    assertThat(names()).isEmpty();
    assertThat(actions).isEmpty();
    // The guard is per thread and per transaction: the next transaction opens normally.
    database.inTransaction(
        tx -> {
          insert(tx.connection(), "after");
          return null;
        });
    assertThat(names()).containsExactly("after");
  }

  @Test
  void theGuardedPoolRefusesASecondConnectionInsideATransaction() throws SQLException {
    DataSource pool = database.dataSource();

    assertThatThrownBy(() -> database.inTransaction(tx -> pool.getConnection()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("A transaction is already open on this thread");
    // Outside a transaction the guarded pool hands out connections as before.
    try (Connection connection = pool.getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
      connection.rollback();
    }
    // A Database over the guarded pool shares the guard.
    Database sameDatabase = new Database(pool);
    assertThatThrownBy(() -> database.inTransaction(tx -> sameDatabase.inTransaction(t -> 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTransientFailureRetriesTheWholeTransactionWhichThenCommitsOnce() {
    AtomicInteger attempts = new AtomicInteger();
    List<String> actions = new CopyOnWriteArrayList<>();

    String result =
        database.inTransaction(
            tx -> {
              int attempt = attempts.incrementAndGet();
              insert(tx.connection(), "a");
              tx.afterCommit(() -> actions.add("attempt " + attempt));
              if (attempt == 1) {
                throw new SQLException("could not serialize access (forced)", "40001");
              }
              return "committed on attempt " + attempt;
            });

    assertThat(result).isEqualTo("committed on attempt 2");
    assertThat(attempts).hasValue(2);
    assertThat(names()).containsExactly("a");
    assertThat(actions).containsExactly("attempt 2");
  }

  @Test
  void retriesAreBoundedAndOtherFailuresAreNotRetried() {
    AtomicInteger transientAttempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      transientAttempts.incrementAndGet();
                      throw new SQLException("deadlock detected (forced)", "40P01");
                    }))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("SQL state 40P01");
    assertThat(transientAttempts).hasValue(Database.TRANSIENT_RETRIES + 1);

    AtomicInteger otherAttempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      otherAttempts.incrementAndGet();
                      insert(tx.connection(), "a");
                      insert(tx.connection(), "a");
                      return null;
                    }))
        .hasMessageContaining("SQL state 23505");
    assertThat(otherAttempts).hasValue(1);
  }

  @Test
  void aRealDeadlockIsRetriedAndBothTransactionsCommit() throws Exception {
    database.inTransaction(
        tx -> {
          insert(tx.connection(), "x");
          insert(tx.connection(), "y");
          return null;
        });
    CyclicBarrier bothHoldOneLock = new CyclicBarrier(2);
    AtomicInteger attempts = new AtomicInteger();
    try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
      Future<?> first = threads.submit(() -> lockInOrder("x", "y", bothHoldOneLock, attempts));
      Future<?> second = threads.submit(() -> lockInOrder("y", "x", bothHoldOneLock, attempts));
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
    }

    // The deadlock's victim (on H2 possibly both, by lock timeout) ran again; each committed once.
    assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
    assertThat(names()).containsExactly("done-x", "done-y", "x", "y");
  }

  /** Locks {@code first}, waits until the other thread holds its row, then locks {@code then}. */
  private Void lockInOrder(
      String first, String then, CyclicBarrier bothHoldOneLock, AtomicInteger attempts) {
    AtomicInteger mine = new AtomicInteger();
    return database.inTransaction(
        tx -> {
          attempts.incrementAndGet();
          touch(tx.connection(), first);
          if (mine.incrementAndGet() == 1) {
            try {
              bothHoldOneLock.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
              throw new AssertionError("the other transaction did not take its lock", e);
            }
          }
          touch(tx.connection(), then);
          insert(tx.connection(), "done-" + first);
          return null;
        });
  }

  /** Locks the row of {@code name} until the transaction ends. */
  private static void touch(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE probe SET name = name WHERE name = ?")) {
      statement.setString(1, name);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void transientStatesAreRecognisedThroughCauses() {
    assertThat(Database.isTransient(new SQLException("serialization", "40001"))).isTrue();
    assertThat(Database.isTransient(new SQLException("deadlock", "40P01"))).isTrue();
    assertThat(Database.isTransient(new SQLException("h2 lock timeout", "HYT00", 50200))).isTrue();
    assertThat(Database.isTransient(new SQLException("h2 concurrent update", "90131", 90131)))
        .isTrue();
    assertThat(
            Database.isTransient(
                Database.databaseError(
                    "testing", new SQLException("wrapped serialization", "40001"))))
        .isTrue();
    assertThat(
            Database.isTransient(
                new IllegalStateException(
                    "wrapped twice", new RuntimeException(new SQLException("x", "40P01")))))
        .isTrue();
    assertThat(Database.isTransient(new SQLException("unique", "23505"))).isFalse();
    assertThat(Database.isTransient(new SQLException("statement timeout", "HYT00", 0))).isFalse();
    assertThat(Database.isTransient(new IllegalStateException("no SQL at all"))).isFalse();
  }

  private static void insert(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("INSERT INTO probe (name) VALUES (?)")) {
      statement.setString(1, name);
      statement.executeUpdate();
    }
  }

  private List<String> names() {
    return database.inTransaction(
        tx -> {
          List<String> names = new ArrayList<>();
          try (Statement statement = tx.connection().createStatement();
              ResultSet rows = statement.executeQuery("SELECT name FROM probe ORDER BY name")) {
            while (rows.next()) {
              names.add(rows.getString(1));
            }
          }
          return names;
        });
  }
}
