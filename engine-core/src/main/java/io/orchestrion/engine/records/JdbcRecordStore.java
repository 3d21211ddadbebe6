package io.orchestrion.engine.records;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.RowIds;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link RecordStore} over the record tables, bound to one transaction. Every operation is at
 * most one SQL statement (a failed optimistic update or delete costs a second one to say why); a
 * record the transaction has read or written already is answered without one ({@link
 * TransactionRecords}: by {@link #find}, and by a {@link #query} of one record by id). Not
 * thread-safe, like the transaction it uses.
 */
public final class JdbcRecordStore implements RecordStore {
  private final Transaction tx;
  private final ObjectTypeStore objectTypes;
  private final Instant now;

  /**
   * Every change in order, repeats included, so that {@link #changedRecordKeysSince} can cut it.
   */
  private final List<String> changeLog = new ArrayList<>();

  JdbcRecordStore(Transaction tx, ObjectTypeStore objectTypes, Instant now) {
    this.tx = requireNonNull(tx, "tx is null");
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    // Both databases keep microseconds: what is returned is then exactly what is stored.
    this.now = requireNonNull(now, "now is null").truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public ObjectTypeDefinition objectType(String apiName) {
    requireNonNull(apiName, "apiName is null");
    return objectTypes
        .find(tx, apiName)
        .orElseThrow(() -> OrchestrionException.notFound("Object type '" + apiName + "'"));
  }

  @Override
  public Optional<RecordData> find(String objectType, String id) {
    requireNonNull(id, "id is null");
    ObjectTypeDefinition type = objectType(objectType);
    TransactionRecords known = TransactionRecords.of(tx);
    Optional<RecordData> remembered = known.get(type.apiName(), id);
    if (remembered.isPresent()) {
      return remembered;
    }
    Optional<RecordData> found = read(type, id);
    found.ifPresent(known::put);
    return found;
  }

  private Optional<RecordData> read(ObjectTypeDefinition type, String id) {
    String objectType = type.apiName();
    List<FieldDefinition> columns = allFields(type);
    String sql =
        "SELECT "
            + columnList(columns)
            + ", version FROM "
            + RecordTables.tableName(type.apiName())
            + " WHERE id = ?";
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(readRecord(type, columns, rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Database.databaseError("reading record '" + id + "' of '" + objectType + "'", e);
    }
  }

  @Override
  public List<RecordData> query(RecordQuery query) {
    requireNonNull(query, "query is null");
    ObjectTypeDefinition type = objectType(query.objectType());
    Optional<String> byId = wholeRecordById(type, query);
    if (byId.isPresent()) {
      Optional<RecordData> remembered = TransactionRecords.of(tx).get(type.apiName(), byId.get());
      if (remembered.isPresent()) {
        return List.of(remembered.get());
      }
    }
    List<RecordData> found = select(type, query);
    if (byId.isPresent() && found.size() == 1) {
      TransactionRecords.of(tx).put(found.getFirst());
    }
    return found;
  }

  /**
   * The id of a query for one whole record by its id and nothing else (no sharing filter, all
   * fields, a limit of at least one if any, known sort fields): answered like {@link #find}.
   */
  private static Optional<String> wholeRecordById(ObjectTypeDefinition type, RecordQuery query) {
    if (query.filters().size() != 1
        || query.access().isPresent()
        || !query.fields().isEmpty()
        || query.limit().map(limit -> limit < 1).orElse(false)
        || !query.orderBy().stream().allMatch(order -> type.field(order.field()).isPresent())) {
      return Optional.empty();
    }
    RecordQuery.Condition condition = query.filters().getFirst();
    return condition.field().equals(SystemFields.ID)
            && condition.operator() == io.orchestrion.api.flow.Operator.EQUALS
            && condition.value() instanceof String id
        ? Optional.of(id)
        : Optional.empty();
  }

  private List<RecordData> select(ObjectTypeDefinition type, RecordQuery query) {
    RecordSql.Select select = RecordSql.select(type, query);
    try (PreparedStatement statement = tx.connection().prepareStatement(select.sql())) {
      select.bind(statement);
      List<RecordData> records = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          records.add(readRecord(type, select.columns(), rows));
        }
      }
      return List.copyOf(records);
    } catch (SQLException e) {
      throw Database.databaseError("querying records of '" + type.apiName() + "'", e);
    }
  }

  @Override
  public RecordData insert(String objectType, Map<String, Object> fields, String actingUserId) {
    requireNonNull(fields, "fields is null");
    checkActor(actingUserId);
    ObjectTypeDefinition type = objectTypeKnowing(objectType, fields.keySet());
    Map<FieldDefinition, Object> values = convert(type, fields, true);
    Instant now = now();
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put(SystemFields.ID, RowIds.next());
    Object owner = values.remove(ownerField());
    stored.put(SystemFields.OWNER_ID, owner != null ? owner : actingUserId);
    stored.put(SystemFields.CREATED_BY_ID, actingUserId);
    stored.put(SystemFields.CREATED_DATE, now);
    stored.put(SystemFields.LAST_MODIFIED_BY_ID, actingUserId);
    stored.put(SystemFields.LAST_MODIFIED_DATE, now);
    for (FieldDefinition field : type.fields()) {
      stored.put(field.name(), values.get(field));
    }
    List<FieldDefinition> columns = allFields(type);
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(RecordTables.tableName(type.apiName()))
            .append(" (")
            .append(columnList(columns))
            .append(", version) VALUES (");
    sql.append("?, ".repeat(columns.size())).append("1)");
    try (PreparedStatement statement = tx.connection().prepareStatement(sql.toString())) {
      int index = 1;
      for (FieldDefinition column : columns) {
        FieldValues.bind(statement, index++, column.type(), stored.get(column.name()));
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw Database.databaseError("inserting a record of '" + type.apiName() + "'", e);
    }
    RecordData inserted = new RecordData(type.apiName(), stored, 1);
    TransactionRecords.of(tx).put(inserted);
    return inserted;
  }

  @Override
  public RecordData update(
      String objectType,
      String id,
      long expectedVersion,
      Map<String, Object> changes,
      String actingUserId) {
    requireNonNull(id, "id is null");
    requireNonNull(changes, "changes is null");
    checkActor(actingUserId);
    ObjectTypeDefinition type = objectTypeKnowing(objectType, changes.keySet());
    Map<FieldDefinition, Object> values = convert(type, changes, false);
    if (values.isEmpty()) {
      // Nothing to write: the caller still learns whether its version is current.
      RecordData current =
          find(type.apiName(), id).orElseThrow(() -> recordNotFound(type.apiName(), id));
      if (current.version() != expectedVersion) {
        throw staleVersion(type.apiName(), id, expectedVersion, current.version());
      }
      return current;
    }
    String table = RecordTables.tableName(type.apiName());
    StringBuilder update = new StringBuilder("UPDATE ").append(table).append(" SET ");
    for (FieldDefinition field : values.keySet()) {
      update.append(RecordTables.columnName(field.name())).append(" = ?, ");
    }
    update.append(
        "last_modified_by_id = ?, last_modified_date = ?, version = version + 1"
            + " WHERE id = ? AND version = ?");
    List<FieldDefinition> columns = allFields(type);
    String sql =
        tx.dialect().returningUpdatedRows(update.toString(), columnList(columns) + ", version");
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      int index = 1;
      for (Map.Entry<FieldDefinition, Object> entry : values.entrySet()) {
        FieldValues.bind(statement, index++, entry.getKey().type(), entry.getValue());
      }
      statement.setString(index++, actingUserId);
      FieldValues.bind(statement, index++, DataType.DATETIME, now());
      statement.setString(index++, id);
      statement.setLong(index, expectedVersion);
      try (ResultSet rows = statement.executeQuery()) {
        if (rows.next()) {
          changeLog.add(type.apiName() + "/" + id);
          RecordData updated = readRecord(type, columns, rows);
          TransactionRecords.of(tx).put(updated);
          return updated;
        }
      }
    } catch (SQLException e) {
      throw Database.databaseError("updating record '" + id + "' of '" + type.apiName() + "'", e);
    }
    // What this transaction remembers of the record is not what is stored (or it is gone).
    TransactionRecords.of(tx).forget(type.apiName(), id);
    throw whyNotChanged(type.apiName(), id, expectedVersion);
  }

  @Override
  public void delete(String objectType, String id, long expectedVersion) {
    requireNonNull(id, "id is null");
    ObjectTypeDefinition type = objectType(objectType);
    String sql =
        "DELETE FROM " + RecordTables.tableName(type.apiName()) + " WHERE id = ? AND version = ?";
    int deleted;
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      statement.setString(1, id);
      statement.setLong(2, expectedVersion);
      deleted = statement.executeUpdate();
    } catch (SQLException e) {
      throw Database.databaseError("deleting record '" + id + "' of '" + type.apiName() + "'", e);
    }
    TransactionRecords.of(tx).forget(type.apiName(), id);
    if (deleted == 0) {
      throw whyNotChanged(type.apiName(), id, expectedVersion);
    }
    changeLog.add(type.apiName() + "/" + id);
  }

  /**
   * The records this store updated or deleted, as {@code objectType/id} keys (the form of a
   * submission's open-record key), so that runs about them can be evaluated again (SPEC §5.3).
   * Writes rolled back to a savepoint stay listed: waking a run for nothing costs one pass.
   */
  public Set<String> changedRecordKeys() {
    return changedRecordKeysSince(0);
  }

  /** A mark of the changes so far, for {@link #changedRecordKeysSince}. */
  public int changeMark() {
    return changeLog.size();
  }

  /**
   * Like {@link #changedRecordKeys()}, only the changes made after {@code mark} was taken with
   * {@link #changeMark()} (e.g. by one evaluation pass of a command that changed records before).
   */
  public Set<String> changedRecordKeysSince(int mark) {
    return Collections.unmodifiableSet(
        new LinkedHashSet<>(changeLog.subList(mark, changeLog.size())));
  }

  /**
   * The object type, reloaded once if it does not know one of {@code fieldNames}: another node may
   * have added the field since this node cached the type.
   */
  private ObjectTypeDefinition objectTypeKnowing(String apiName, Set<String> fieldNames) {
    ObjectTypeDefinition type = objectType(apiName);
    for (String name : fieldNames) {
      if (type.field(name).isEmpty()) {
        return objectTypes.reload(tx, apiName).orElse(type);
      }
    }
    return type;
  }

  /**
   * The values of {@code fields} converted to their stored form, by field. Every problem is
   * reported at once: unknown fields, engine-maintained fields, values that do not fit, missing
   * required values (all required fields on insert, those set to null on update).
   */
  private static Map<FieldDefinition, Object> convert(
      ObjectTypeDefinition type, Map<String, Object> fields, boolean inserting) {
    List<Problem> problems = new ArrayList<>();
    Map<FieldDefinition, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : fields.entrySet()) {
      String name = requireNonNull(entry.getKey(), "field name is null");
      Object value = entry.getValue();
      Optional<FieldDefinition> found = type.field(name);
      if (found.isEmpty()) {
        problems.add(
            new Problem(
                StoredStrings.propertyPath("$", name),
                "object type '" + type.apiName() + "' has no field '" + name + "'"));
        continue;
      }
      FieldDefinition field = found.get();
      if (SystemFields.isSystemField(name) && !SystemFields.isWritable(name)) {
        // An absent value is harmless (a record read earlier and passed back whole); a value is
        // refused so that no caller believes it set one.
        if (value != null) {
          problems.add(
              new Problem(
                  StoredStrings.propertyPath("$", name),
                  "field '" + name + "' is maintained by the engine"));
        }
        continue;
      }
      boolean isOwner = name.equals(SystemFields.OWNER_ID);
      if (value == null) {
        if (isOwner && inserting) {
          continue; // the acting user becomes the owner
        }
        if (isOwner || field.required()) {
          problems.add(requiredProblem(type, name));
          continue;
        }
      }
      try {
        values.put(field, FieldValues.toStored(field, value));
      } catch (FieldValues.InvalidValue e) {
        problems.add(
            new Problem(
                StoredStrings.propertyPath("$", name),
                "value '"
                    + abbreviate(value)
                    + "' of "
                    + field.type()
                    + " field '"
                    + name
                    + "' of '"
                    + type.apiName()
                    + "' "
                    + e.getMessage()));
      }
    }
    if (inserting) {
      for (FieldDefinition field : type.fields()) {
        if (field.required() && !fields.containsKey(field.name())) {
          problems.add(requiredProblem(type, field.name()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Record of '" + type.apiName() + "' is invalid",
          problems);
    }
    return values;
  }

  private static Problem requiredProblem(ObjectTypeDefinition type, String fieldName) {
    return new Problem(
        StoredStrings.propertyPath("$", fieldName),
        "field '" + fieldName + "' of '" + type.apiName() + "' is required");
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 100 ? text.substring(0, 100) + "..." : text;
  }

  private static FieldDefinition ownerField() {
    return SystemFields.definition(SystemFields.OWNER_ID).orElseThrow();
  }

  private static void checkActor(String actingUserId) {
    requireNonNull(actingUserId, "actingUserId is null");
    if (actingUserId.isBlank() || actingUserId.length() > FieldValues.ID_COLUMN_LENGTH) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "'" + actingUserId + "' is not a valid user id for the acting user");
    }
  }

  private OrchestrionException whyNotChanged(String objectType, String id, long expectedVersion) {
    String sql = "SELECT version FROM " + RecordTables.tableName(objectType) + " WHERE id = ?";
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next()
            ? staleVersion(objectType, id, expectedVersion, rows.getLong(1))
            : recordNotFound(objectType, id);
      }
    } catch (SQLException e) {
      throw Database.databaseError("reading record '" + id + "' of '" + objectType + "'", e);
    }
  }

  private static OrchestrionException staleVersion(
      String objectType, String id, long expectedVersion, long storedVersion) {
    return new OrchestrionException(
        StandardErrorCode.STALE_VERSION,
        "Record '"
            + id
            + "' of '"
            + objectType
            + "' has version "
            + storedVersion
            + ", not the expected version "
            + expectedVersion
            + ": it was changed meanwhile; read it again");
  }

  private static OrchestrionException recordNotFound(String objectType, String id) {
    return OrchestrionException.notFound("Record '" + id + "' of '" + objectType + "'");
  }

  private Instant now() {
    return now;
  }

  static List<FieldDefinition> allFields(ObjectTypeDefinition type) {
    List<FieldDefinition> all = new ArrayList<>(SystemFields.ALL);
    all.addAll(type.fields());
    return all;
  }

  static String columnList(List<FieldDefinition> fields) {
    Set<String> columns = new LinkedHashSet<>();
    for (FieldDefinition field : fields) {
      columns.add(RecordTables.columnName(field.name()));
    }
    return String.join(", ", columns);
  }

  /** Reads a row whose columns are {@code columns} in order, then optionally {@code version}. */
  static RecordData readRecord(
      ObjectTypeDefinition type, List<FieldDefinition> columns, ResultSet row) throws SQLException {
    Map<String, Object> values = new LinkedHashMap<>();
    int index = 1;
    for (FieldDefinition column : columns) {
      values.put(column.name(), FieldValues.read(row, index++, column.type()));
    }
    return new RecordData(type.apiName(), values, row.getLong(RecordTables.VERSION_COLUMN));
  }
}
