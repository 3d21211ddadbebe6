package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.testing.TestDatabaseKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabasePostgresIT extends DatabaseContract {
  @Override
  protected TestDatabaseKind kind() {
    return TestDatabaseKind.POSTGRESQL;
  }

  /**
   * A node of the previous release keeps server-prepared statements while a newer node's migration
   * adds a column: PostgreSQL then refuses the cached plan ("cached plan must not change result
   * type", 0A000) once, and pgjdbc prepares it again on the next attempt. The transaction is
   * retried instead of answering an error (docs/deployment.md, rolling upgrades).
   */
  @Test
  void aCachedPlanInvalidatedByAnotherSessionsMigrationIsRetriedNotFailed() throws Exception {
    Database database = database();
    // pgjdbc prepares on the server from the 5th execution of the same SQL on a connection.
    for (int i = 0; i < 8; i++) {
      assertThat(columnsOfProbe(database)).isEqualTo(1);
    }
    // Another session, not one of the pool's (the previous release's node keeps its own).
    try (Connection other = DriverManager.getConnection(jdbcUrl(), "postgres", "");
        Statement statement = other.createStatement()) {
      statement.execute("ALTER TABLE probe ADD COLUMN added INTEGER");
    }
    AtomicInteger attempts = new AtomicInteger();

    int columns =
        database.inTransaction(
            tx -> {
              attempts.incrementAndGet();
              // Not the transaction's first statement: the driver cannot heal it on its own then.
              try (Statement first = tx.connection().createStatement()) {
                first.execute("SELECT 1");
              }
              try (var statement =
                      tx.connection()
                          .prepareStatement("SELECT p.* FROM probe p WHERE p.name <> ?");
                  ResultSet rs = query(statement)) {
                return rs.getMetaData().getColumnCount();
              }
            });

    assertThat(columns).isEqualTo(2);
    assertThat(attempts.get()).as("the first attempt met the stale plan").isEqualTo(2);
  }

  private static int columnsOfProbe(Database database) {
    return database.inTransaction(
        tx -> {
          try (var statement =
                  tx.connection().prepareStatement("SELECT p.* FROM probe p WHERE p.name <> ?");
              ResultSet rs = query(statement)) {
            return rs.getMetaData().getColumnCount();
          }
        });
  }

  private static ResultSet query(java.sql.PreparedStatement statement)
      throws java.sql.SQLException {
    statement.setString(1, "none");
    return statement.executeQuery();
  }
}
