package io.orchestrion.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Migrations;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;

/**
 * The upgrade from V10 on PostgreSQL. There is no pg_dump here, so the populated V10 database is
 * built the way a V10 installation got it: Flyway applies this release's own scripts up to V10,
 * then the fixture's rows (the same data as on H2) are inserted, the record tables the engine had
 * created are created from the fixture's DDL, and the identity sequences are moved past the rows,
 * as a restore would. Then the engine starts and migrates the rest with data in place — which is
 * what catches a migration that only works on empty tables.
 */
class UpgradeFromV10PostgresIT extends UpgradeFromV10Contract {
  private TestDatabase database;

  @Override
  protected Populated populate() throws Exception {
    database = TestDatabases.emptyPostgres();
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(database.dataSource())
        .locations(Migrations.LOCATION)
        .placeholders(Dialect.POSTGRESQL.migrationPlaceholders())
        .target("10")
        .load()
        .migrate();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      Set<String> migrated = tables(connection);
      // Rows the V10 scripts seeded are in the fixture too (with their V10 values).
      for (String table : migrated) {
        if (!table.equals("flyway_schema_history")) {
          statement.execute("DELETE FROM " + table);
        }
      }
      int rows = 0;
      List<String> deferred = new ArrayList<>();
      for (String h2 : H2ScriptTranslator.statements(fixtureScript())) {
        String sql = H2ScriptTranslator.toPostgres(h2);
        String table = H2ScriptTranslator.table(sql);
        if (table.isEmpty() || table.equals("flyway_schema_history")) {
          continue; // settings, users, sequences of H2, and Flyway's own history
        }
        if (sql.startsWith("INSERT INTO")) {
          deferred.add(sql); // after every table exists
        } else if (!migrated.contains(table)) {
          statement.execute(sql); // a record table the engine created at run time
        }
      }
      for (String insert : deferred) {
        rows += statement.executeUpdate(insert);
      }
      assertThat(rows).as("rows loaded from the fixture").isGreaterThan(40);
      moveIdentitiesPastTheirRows(connection, statement);
      connection.commit();
    }
    return new Populated(
        database.dataSource(), new DatabaseConfig(database.jdbcUrl(), "postgres", "", 8));
  }

  @Override
  protected void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  private static Set<String> tables(Connection connection) throws SQLException {
    Set<String> tables = new TreeSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  private static void moveIdentitiesPastTheirRows(Connection connection, Statement statement)
      throws SQLException {
    List<String[]> identities = new ArrayList<>();
    try (Statement query = connection.createStatement();
        ResultSet rs =
            query.executeQuery(
                "SELECT table_name, column_name FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND is_identity = 'YES'")) {
      while (rs.next()) {
        identities.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    assertThat(identities).as("identity columns of schema V10").isNotEmpty();
    for (String[] identity : identities) {
      statement.execute(
          "SELECT setval(pg_get_serial_sequence('%1$s', '%2$s'), COALESCE(MAX(%2$s), 0) + 1, false)"
                  .formatted(identity[0], identity[1])
              + " FROM "
              + identity[0]);
    }
  }
}
