package io.orchestrion.engine.work;

import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A test database with a {@code probe (name)} table that commands write their names to, a "Note"
 * object type, and {@link UnitsOfWork} on it: what the unit-of-work and command-group contracts
 * observe commits with.
 */
final class ProbeTable implements AutoCloseable {
  private final TestDatabase testDatabase;
  private final UnitsOfWork units;

  private ProbeTable(TestDatabase testDatabase, UnitsOfWork units) {
    this.testDatabase = testDatabase;
    this.units = units;
  }

  static ProbeTable create(TestDatabaseKind kind, Clock clock, WorkSignals signals) {
    TestDatabase testDatabase = TestDatabases.create(kind);
    testDatabase
        .database()
        .inTransaction(
            tx -> {
              try (Statement statement = tx.connection().createStatement()) {
                statement.execute("CREATE TABLE probe (name VARCHAR(20) NOT NULL PRIMARY KEY)");
              }
              return null;
            });
    ObjectTypeStore objectTypes = new ObjectTypeStore(testDatabase.database(), clock);
    objectTypes.define(
        new ObjectTypeDefinition(
            "Note",
            SharingModel.PUBLIC_READ_WRITE,
            List.of(FieldDefinition.of("Text", DataType.TEXT))));
    UnitsOfWork units =
        new UnitsOfWork(
            testDatabase.database(),
            clock,
            new RecordStores(objectTypes),
            new EngineSecurity(new JdbcDirectory(testDatabase.database())),
            signals);
    return new ProbeTable(testDatabase, units);
  }

  UnitsOfWork units() {
    return units;
  }

  /** Writes {@code name} to the probe table in {@code uow}'s transaction. */
  static void insert(UnitOfWork uow, String name) throws SQLException {
    try (PreparedStatement statement =
        uow.connection().prepareStatement("INSERT INTO probe (name) VALUES (?)")) {
      statement.setString(1, name);
      statement.executeUpdate();
    }
  }

  /** The names in the probe table as {@code uow}'s transaction sees them, in name order. */
  static List<String> names(UnitOfWork uow) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement statement = uow.connection().createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM probe ORDER BY name")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  /** The names committed to the probe table, read in a transaction of their own. */
  List<String> committedNames() {
    return units.call(ProbeTable::names);
  }

  @Override
  public void close() {
    testDatabase.close();
  }
}
