package io.orchestrion.engine.records;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Defines object types: validates them, creates or alters their record table and keeps the
 * definitions cached. Thread-safe. Another node's change is seen when this node reloads a type (on
 * a cache miss, or when a record store meets a field it does not know).
 */
public final class ObjectTypeStore {
  private final Database database;
  private final Clock clock;
  private final ConcurrentMap<String, ObjectTypeDefinition> cache = new ConcurrentHashMap<>();
  // Serialises defines on this node; the object_types row lock does it across nodes.
  private final ReentrantLock defineLock = new ReentrantLock();

  @Inject
  public ObjectTypeStore(Database database, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Creates the object type, or changes it: new fields become new columns; removing a field or
   * changing its type, scale or referenced object type is refused (CONFLICT) because stored values
   * would be lost. Defining an unchanged type again changes nothing.
   *
   * @throws OrchestrionException INVALID_DEFINITION with every problem, or CONFLICT
   */
  public ObjectTypeDefinition define(ObjectTypeDefinition definition) {
    requireNonNull(definition, "definition is null");
    ObjectTypeValidator.validate(definition);
    defineLock.lock();
    try {
      Instant now = clock.instant();
      ObjectTypeDefinition defined = database.inTransaction(tx -> define(tx, definition, now));
      cache.put(defined.apiName(), defined);
      return defined;
    } finally {
      defineLock.unlock();
    }
  }

  /**
   * The checks {@link #define} makes before touching the database (the offline validator uses
   * them).
   *
   * @throws OrchestrionException INVALID_DEFINITION with every problem
   */
  public static void check(ObjectTypeDefinition definition) {
    requireNonNull(definition, "definition is null");
    ObjectTypeValidator.validate(definition);
  }

  /** The object type, from the cache or else the database. */
  public Optional<ObjectTypeDefinition> find(String apiName) {
    requireNonNull(apiName, "apiName is null");
    ObjectTypeDefinition cached = cache.get(apiName);
    if (cached != null) {
      return Optional.of(cached);
    }
    return database.inTransaction(tx -> load(tx, apiName));
  }

  /** Like {@link #find(String)}, reading through {@code tx} on a cache miss. */
  public Optional<ObjectTypeDefinition> find(Transaction tx, String apiName) {
    requireNonNull(apiName, "apiName is null");
    ObjectTypeDefinition cached = cache.get(apiName);
    if (cached != null) {
      return Optional.of(cached);
    }
    return reload(tx, apiName);
  }

  /** Reads the object type from the database through {@code tx}, replacing the cached one. */
  public Optional<ObjectTypeDefinition> reload(Transaction tx, String apiName) {
    try {
      return load(tx, apiName);
    } catch (SQLException e) {
      throw Database.databaseError("reading object type '" + apiName + "'", e);
    }
  }

  /** Every object type, by api name, read from the database. */
  public List<ObjectTypeDefinition> list() {
    return database.inTransaction(
        tx -> {
          List<ObjectTypeDefinition> all = new ArrayList<>();
          try (Statement statement = tx.connection().createStatement();
              ResultSet rows =
                  statement.executeQuery("SELECT definition FROM object_types ORDER BY api_name")) {
            while (rows.next()) {
              ObjectTypeDefinition definition = ObjectTypeCodec.fromJson(rows.getString(1));
              cache.put(definition.apiName(), definition);
              all.add(definition);
            }
          }
          return List.copyOf(all);
        });
  }

  private Optional<ObjectTypeDefinition> load(Transaction tx, String apiName) throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement("SELECT definition FROM object_types WHERE api_name = ?")) {
      statement.setString(1, apiName);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          cache.remove(apiName);
          return Optional.empty();
        }
        ObjectTypeDefinition definition = ObjectTypeCodec.fromJson(rows.getString(1));
        cache.put(apiName, definition);
        return Optional.of(definition);
      }
    }
  }

  private ObjectTypeDefinition define(Transaction tx, ObjectTypeDefinition requested, Instant now)
      throws SQLException {
    Connection connection = tx.connection();
    Optional<StoredType> stored = lockStored(connection, requested.apiName());
    if (stored.isEmpty()) {
      create(tx, requested, now);
      return requested;
    }
    ObjectTypeDefinition old = stored.get().definition();
    List<Problem> problems = ObjectTypeValidator.incompatibleChanges(old, requested);
    if (!problems.isEmpty()) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "Object type '"
              + requested.apiName()
              + "' cannot be changed this way: "
              + problems.stream().map(Problem::message).toList(),
          problems);
    }
    if (old.equals(requested)) {
      return old;
    }
    List<FieldDefinition> added =
        requested.fields().stream().filter(field -> old.field(field.name()).isEmpty()).toList();
    // The row update comes first: on H2 the DDL below commits it together with the new columns.
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE object_types SET definition = ?, revision = revision + 1, updated_at = ?"
                + " WHERE api_name = ?")) {
      update.setString(1, ObjectTypeCodec.toJson(requested));
      JdbcValues.setInstant(update, 2, now);
      update.setString(3, requested.apiName());
      update.executeUpdate();
    }
    if (!added.isEmpty()) {
      addColumns(connection, tx.dialect(), requested.apiName(), added);
    }
    return requested;
  }

  private record StoredType(ObjectTypeDefinition definition) {}

  private static Optional<StoredType> lockStored(Connection connection, String apiName)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT definition FROM object_types WHERE api_name = ? FOR UPDATE")) {
      statement.setString(1, apiName);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next()
            ? Optional.of(new StoredType(ObjectTypeCodec.fromJson(rows.getString(1))))
            : Optional.empty();
      }
    }
  }

  private void create(Transaction tx, ObjectTypeDefinition definition, Instant now)
      throws SQLException {
    Connection connection = tx.connection();
    String apiName = definition.apiName();
    String table = RecordTables.tableName(apiName);
    try (PreparedStatement clash =
        connection.prepareStatement("SELECT api_name FROM object_types WHERE table_name = ?")) {
      clash.setString(1, table);
      try (ResultSet rows = clash.executeQuery()) {
        if (rows.next()) {
          throw new OrchestrionException(
              StandardErrorCode.CONFLICT,
              "Object type '"
                  + apiName
                  + "' would share its table '"
                  + table
                  + "' with object type '"
                  + rows.getString(1)
                  + "': choose a name that differs by more than case or underscores");
        }
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO object_types (api_name, table_name, definition, revision, updated_at)"
                + " VALUES (?, ?, ?, 1, ?)")) {
      insert.setString(1, apiName);
      insert.setString(2, table);
      insert.setString(3, ObjectTypeCodec.toJson(definition));
      JdbcValues.setInstant(insert, 4, now);
      insert.executeUpdate();
    } catch (SQLException e) {
      if (JdbcValues.isUniqueViolation(e)) {
        // Another node created the same type (or one with the same table) meanwhile.
        throw new OrchestrionException(
            StandardErrorCode.CONFLICT,
            "Object type '" + apiName + "' was defined concurrently by someone else: try again",
            e);
      }
      throw e;
    }
    String text = "VARCHAR(" + FieldValues.ID_COLUMN_LENGTH + ")" + tx.dialect().textCollation();
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table).append(" (");
    ddl.append("id VARCHAR(36) NOT NULL PRIMARY KEY, ")
        .append("owner_id ")
        .append(text)
        .append(" NOT NULL, ")
        .append("created_by_id ")
        .append(text)
        .append(" NOT NULL, ")
        .append("created_date TIMESTAMP WITH TIME ZONE NOT NULL, ")
        .append("last_modified_by_id ")
        .append(text)
        .append(" NOT NULL, ")
        .append("last_modified_date TIMESTAMP WITH TIME ZONE NOT NULL, ")
        .append("version BIGINT NOT NULL");
    for (FieldDefinition field : definition.fields()) {
      ddl.append(", ")
          .append(RecordTables.columnName(field.name()))
          .append(' ')
          .append(FieldValues.columnType(field, tx.dialect()));
    }
    ddl.append(')');
    try (Statement statement = connection.createStatement()) {
      // Only a table left over by a define that failed half-way on H2 (DDL commits there) can be
      // in the way: the engine creates rec_ tables only, and object_types says none is in use.
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute(ddl.toString());
      statement.execute(
          "CREATE INDEX " + RecordTables.ownerIndexName(apiName) + " ON " + table + " (owner_id)");
    }
  }

  private static void addColumns(
      Connection connection, Dialect dialect, String apiName, List<FieldDefinition> added)
      throws SQLException {
    String table = RecordTables.tableName(apiName);
    try (Statement statement = connection.createStatement()) {
      for (FieldDefinition field : added) {
        statement.addBatch(
            "ALTER TABLE "
                + table
                + " ADD COLUMN "
                + RecordTables.columnName(field.name())
                + " "
                + FieldValues.columnType(field, dialect));
      }
      statement.executeBatch();
    }
  }
}
