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

  @Test
  void aWriterThatWritesLastGoesAfterTheOthersWhateverItsFirstItem() {
    List<String> order = new CopyOnWriteArrayList<>();
    Transaction.BeforeCommit<String> last =
        new Transaction.BeforeCommit<>() {
          @Override
          public void write(Transaction tx, List<String> items) {
            order.add("last " + items);
          }

          @Override
          public boolean writesLast() {
            return true;
          }
        };
    Transaction.BeforeCommit<String> first = (tx, items) -> order.add("first " + items);
    Transaction.BeforeCommit<String> second = (tx, items) -> order.add("second " + items);
    database.inTransaction(
        tx -> {
          tx.beforeCommit(last, "e1");
          tx.beforeCommit(first, "a1");
          tx.beforeCommit(second, "b1");
          tx.beforeCommit(first, "a2");
          tx.beforeCommit(last, "e2");
          return null;
        });
    assertThat(order).containsExactly("first [a1, a2]", "second [b1]", "last [e1, e2]");
  }

  @Test
  void itemsWrittenEarlyAreRolledBackWithTheirSavepointAndLaterOnesStillWaitForTheCommit() {
    List<String> written = new CopyOnWriteArrayList<>();
    Transaction.BeforeCommit<String> rows =
        (tx, items) -> {
          for (String item : items) {
            insert(tx, item);
          }
          written.addAll(items);
        };
    Transaction.BeforeCommit<String> other = (tx, items) -> written.addAll(items);
    database.inTransaction(
        tx -> {
          tx.beforeCommit(rows, "r0");
          tx.beforeCommit(other, "o0");
          // Written now, for a read in this transaction; the other writer's item still waits.
          tx.writeGathered(rows);
          java.sql.Savepoint savepoint = tx.setSavepoint();
          tx.beforeCommit(rows, "r1");
          tx.beforeCommit(other, "o1");
          tx.writeGathered(rows);
          assertThat(namesIn(tx)).containsExactly("r0", "r1");
          tx.beforeCommit(other, "o2");
          // Rolls back r1, gathered and written after the savepoint, and drops o1 and o2; r0,
          // written before it, stays.
          tx.rollbackTo(savepoint);
          assertThat(namesIn(tx)).containsExactly("r0");
          tx.beforeCommit(rows, "r2");
          java.sql.Savepoint later = tx.setSavepoint();
          tx.writeGathered(rows);
          assertThat(namesIn(tx)).containsExactly("r0", "r2");
          // r2 was gathered before this savepoint but written after it: its row is rolled back
          // and it waits for the commit again, not lost.
          tx.rollbackTo(later);
          assertThat(namesIn(tx)).containsExactly("r0");
          return null;
        });
    assertThat(names()).containsExactly("r0", "r2");
    // At the commit, writers in the order of their first item still waiting: o0 came before r2.
    assertThat(written).containsExactly("r0", "r1", "r2", "o0", "r2");
  }

  private static void insert(Transaction tx, String name) throws SQLException {
    try (PreparedStatement statement =
        tx.connection().prepareStatement("INSERT INTO probe (name) VALUES (?)")) {
      statement.setString(1, name);
      statement.executeUpdate();
    }
  }

  private List<String> names() {
    return database.inTransaction(SavepointContract::namesIn);
  }

  private static List<String> namesIn(Transaction tx) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement statement = tx.connection().createStatement();
        ResultSet rs = statement.executeQuery("SELECT name FROM probe ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
