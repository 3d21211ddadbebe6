package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Transaction#underSavepoint} and {@link Transaction#releaseSavepoint} on each dialect:
 * several commands share one transaction; a failing one loses only its own writes and after-commit
 * actions (group commit, issue #11).
 */
abstract class SavepointContract {
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
  void aFailingCommandLosesOnlyItsOwnWritesAndSignals() {
    List<String> told = new CopyOnWriteArrayList<>();
    List<String> failures = new ArrayList<>();
    database.inTransaction(
        tx -> {
          for (String name : List.of("first", "failing", "constraint", "last")) {
            try {
              tx.underSavepoint(
                  command -> {
                    insert(command, name);
                    command.afterCommit(() -> told.add(name));
                    if (name.equals("failing")) {
                      throw new IllegalStateException("the command fails");
                    }
                    if (name.equals("constraint")) {
                      insert(command, "first"); // a duplicate key: the database refuses it
                    }
                    return null;
                  });
            } catch (IllegalStateException | SQLException e) {
              failures.add(name);
            }
          }
          // Before the commit nobody was told anything.
          assertThat(told).isEmpty();
          return null;
        });
    assertThat(failures).containsExactly("failing", "constraint");
    assertThat(names()).containsExactly("first", "last");
    assertThat(told).containsExactly("first", "last");
  }

  @Test
  void nestedSavepointsRollBackTheirOwnPartOnly() {
    List<String> told = new CopyOnWriteArrayList<>();
    database.inTransaction(
        tx ->
            tx.underSavepoint(
                outer -> {
                  insert(outer, "outer");
                  outer.afterCommit(() -> told.add("outer"));
                  assertThatThrownBy(
                          () ->
                              outer.underSavepoint(
                                  inner -> {
                                    insert(inner, "inner");
                                    inner.afterCommit(() -> told.add("inner"));
                                    throw new IllegalStateException("inner fails");
                                  }))
                      .hasMessage("inner fails");
                  insert(outer, "after");
                  return null;
                }));
    assertThat(names()).containsExactly("after", "outer");
    assertThat(told).containsExactly("outer");
  }

  @Test
  void aTransactionThatFailsAfterwardsCommitsNothingAndTellsNobody() {
    List<String> told = new CopyOnWriteArrayList<>();
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    tx -> {
                      tx.underSavepoint(
                          command -> {
                            insert(command, "kept");
                            command.afterCommit(() -> told.add("kept"));
                            return null;
                          });
                      throw new IllegalStateException("the transaction fails");
                    }))
        .hasMessage("the transaction fails");
    assertThat(names()).isEmpty();
    assertThat(told).isEmpty();
  }

  @Test
  void aReleasedSavepointKeepsItsWorkAndALaterOneStillRollsBackItsOwn() {
    List<String> written = new CopyOnWriteArrayList<>();
    Transaction.BeforeCommit<String> writer = (tx, items) -> written.addAll(items);
    database.inTransaction(
        tx -> {
          java.sql.Savepoint first = tx.setSavepoint();
          insert(tx, "kept");
          tx.beforeCommit(writer, "kept");
          tx.releaseSavepoint(first);
          java.sql.Savepoint second = tx.setSavepoint();
          insert(tx, "dropped");
          tx.beforeCommit(writer, "dropped");
          tx.rollbackTo(second);
          tx.releaseSavepoint(second);
          insert(tx, "after");
          return null;
        });
    assertThat(names()).containsExactly("after", "kept");
    assertThat(written).containsExactly("kept");
  }

  @Test
  void rollingBackToASavepointUndoesTheWorkOfThoseReleasedInsideIt() {
    database.inTransaction(
        tx -> {
          java.sql.Savepoint outer = tx.setSavepoint();
          insert(tx, "outer");
          java.sql.Savepoint inner = tx.setSavepoint();
          insert(tx, "inner");
          tx.releaseSavepoint(inner);
          tx.rollbackTo(outer);
          insert(tx, "after");
          return null;
        });
    assertThat(names()).containsExactly("after");
  }

  private static void insert(Transaction tx, String name) throws SQLException {
    try (PreparedStatement statement =
        tx.connection().prepareStatement("INSERT INTO probe (name) VALUES (?)")) {
      statement.setString(1, name);
      statement.executeUpdate();
    }
  }

  private List<String> names() {
    return database.inTransaction(
        tx -> {
          List<String> names = new ArrayList<>();
          try (Statement statement = tx.connection().createStatement();
              ResultSet rs = statement.executeQuery("SELECT name FROM probe ORDER BY name")) {
            while (rs.next()) {
              names.add(rs.getString(1));
            }
          }
          return names;
        });
  }
}
