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

  @Test
  void detectsDialect() {
    assertThat(database.dialect())
        .isEqualTo(kind() == TestDatabaseKind.H2 ? Dialect.H2 : Dialect.POSTGRESQL);
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
