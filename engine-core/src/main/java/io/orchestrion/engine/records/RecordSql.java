package io.orchestrion.engine.records;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.Operator;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.spi.AccessFilter;
import io.orchestrion.spi.RecordQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link RecordQuery} into one SELECT. Field names become columns only after they were
 * found in the object type; values are always parameters.
 */
final class RecordSql {
  private RecordSql() {}

  /**
   * A SELECT with its parameters, and the fields of its columns in order (then {@code version}).
   */
  record Select(String sql, List<FieldDefinition> columns, List<Parameter> parameters) {
    void bind(PreparedStatement statement) throws SQLException {
      int index = 1;
      for (Parameter parameter : parameters) {
        if (parameter.type() == null) {
          statement.setInt(index++, (Integer) parameter.value());
        } else {
          FieldValues.bind(statement, index++, parameter.type(), parameter.value());
        }
      }
    }
  }

  /** A parameter value with the type to bind it as; a null type binds an integer (the limit). */
  record Parameter(DataType type, Object value) {}

  static Select select(ObjectTypeDefinition type, RecordQuery query) {
    List<Problem> problems = new ArrayList<>();
    List<FieldDefinition> columns = selectedColumns(type, query.fields(), problems);
    List<Parameter> parameters = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    for (int i = 0; i < query.filters().size(); i++) {
      condition(type, query.filters().get(i), "$.filters[" + i + "]", parameters, problems)
          .ifPresent(conditions::add);
    }
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(JdbcRecordStore.columnList(columns))
            .append(", version FROM ")
            .append(RecordTables.tableName(type.apiName()));
    List<String> where = new ArrayList<>();
    if (!conditions.isEmpty()) {
      where.add("(" + String.join(query.matchAll() ? " AND " : " OR ", conditions) + ")");
    }
    query.access().ifPresent(filter -> where.add(access(type, filter, parameters)));
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY ");
    for (int i = 0; i < query.orderBy().size(); i++) {
      RecordQuery.Order order = query.orderBy().get(i);
      Optional<FieldDefinition> field = type.field(order.field());
      if (field.isEmpty()) {
        problems.add(unknownField(type, order.field(), "$.orderBy[" + i + "].field"));
        continue;
      }
      // Explicit NULLS LAST: H2 and PostgreSQL disagree on where nulls go by default.
      sql.append(RecordTables.columnName(order.field()))
          .append(order.descending() ? " DESC" : " ASC")
          .append(" NULLS LAST, ");
    }
    // The id breaks ties, so that equal sort keys come back in the same order every time.
    sql.append("id ASC");
    if (query.limit().isPresent()) {
      int limit = query.limit().get();
      if (limit < 0) {
        problems.add(new Problem("$.limit", "limit " + limit + " is negative"));
      }
      sql.append(" LIMIT ?");
      parameters.add(new Parameter(null, limit));
    }
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Query of '" + type.apiName() + "' records is invalid",
          problems);
    }
    return new Select(sql.toString(), columns, parameters);
  }

  /**
   * The sharing filter of SPEC §7 as one SQL condition: owned by someone in the owner scope, or
   * shared (at one of the counted levels) with the user, one of their groups or their role. The
   * share lookup is a subquery on {@code record_shares}, whose index leads with (object type,
   * grantee type, grantee id), so the database never scans records the user cannot see.
   */
  private static String access(
      ObjectTypeDefinition type, AccessFilter filter, List<Parameter> parameters) {
    StringBuilder sql = new StringBuilder("(");
    sql.append(RecordTables.columnName(SystemFields.OWNER_ID)).append(" IN (");
    appendList(sql, parameters, sorted(filter.ownerIds()));
    sql.append(")");
    if (!filter.shareAccess().isEmpty()) {
      sql.append(" OR id IN (SELECT record_id FROM record_shares WHERE object_type = ?");
      parameters.add(new Parameter(DataType.TEXT, type.apiName()));
      sql.append(" AND access_level IN (");
      appendList(sql, parameters, sorted(filter.shareAccess().stream().map(Enum::name).toList()));
      sql.append(") AND ((grantee_type = 'USER' AND grantee_id = ?)");
      parameters.add(new Parameter(DataType.TEXT, filter.userId()));
      if (!filter.groupIds().isEmpty()) {
        sql.append(" OR (grantee_type = 'GROUP' AND grantee_id IN (");
        appendList(sql, parameters, sorted(filter.groupIds()));
        sql.append("))");
      }
      if (filter.roleId().isPresent()) {
        sql.append(" OR (grantee_type = 'ROLE' AND grantee_id = ?)");
        parameters.add(new Parameter(DataType.TEXT, filter.roleId().get()));
      }
      sql.append("))");
    }
    return sql.append(")").toString();
  }

  private static void appendList(
      StringBuilder sql, List<Parameter> parameters, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      parameters.add(new Parameter(DataType.TEXT, values.get(i)));
    }
  }

  /** Sorted, so that the same filter gives the same statement text (statement caches). */
  private static List<String> sorted(java.util.Collection<String> values) {
    return values.stream().sorted().toList();
  }

  private static List<FieldDefinition> selectedColumns(
      ObjectTypeDefinition type, List<String> fields, List<Problem> problems) {
    if (fields.isEmpty()) {
      return JdbcRecordStore.allFields(type);
    }
    // The id always comes back: without it a caller cannot update what it read.
    Set<FieldDefinition> selected = new LinkedHashSet<>();
    selected.add(type.field(SystemFields.ID).orElseThrow());
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i);
      Optional<FieldDefinition> field = type.field(name);
      if (field.isEmpty()) {
        problems.add(unknownField(type, name, "$.fields[" + i + "]"));
      } else {
        selected.add(field.get());
      }
    }
    return List.copyOf(selected);
  }

  private static Optional<String> condition(
      ObjectTypeDefinition type,
      RecordQuery.Condition condition,
      String path,
      List<Parameter> parameters,
      List<Problem> problems) {
    Optional<FieldDefinition> found = type.field(condition.field());
    if (found.isEmpty()) {
      problems.add(unknownField(type, condition.field(), path + ".field"));
      return Optional.empty();
    }
    FieldDefinition field = found.get();
    String column = RecordTables.columnName(field.name());
    Operator operator = condition.operator();
    Object value = condition.value();
    if (operator.isOneSided()) {
      return oneSided(field, column, operator, value, path, problems);
    }
    if (value == null) {
      return switch (operator) {
        case EQUALS -> Optional.of(column + " IS NULL");
        case NOT_EQUALS -> Optional.of(column + " IS NOT NULL");
        default -> {
          problems.add(
              new Problem(
                  path + ".value",
                  operator + " on field '" + field.name() + "' needs a value, not null"));
          yield Optional.empty();
        }
      };
    }
    Object comparable;
    try {
      comparable = FieldValues.toComparable(field.type(), value);
    } catch (FieldValues.InvalidValue e) {
      problems.add(
          new Problem(
              path + ".value",
              "value '"
                  + value
                  + "' compared with "
                  + field.type()
                  + " field '"
                  + field.name()
                  + "' "
                  + e.getMessage()));
      return Optional.empty();
    }
    boolean ordered = operator != Operator.EQUALS && operator != Operator.NOT_EQUALS;
    boolean textMatch =
        operator == Operator.CONTAINS
            || operator == Operator.STARTS_WITH
            || operator == Operator.ENDS_WITH;
    if ((textMatch && !field.type().isTextual())
        || (ordered && !textMatch && field.type() == DataType.BOOLEAN)) {
      problems.add(
          new Problem(
              path + ".operator",
              operator + " does not apply to " + field.type() + " field '" + field.name() + "'"));
      return Optional.empty();
    }
    return Optional.of(
        switch (operator) {
          case EQUALS -> add(parameters, field, comparable, column + " = ?");
          // A field without a value is not equal to any value.
          case NOT_EQUALS ->
              add(parameters, field, comparable, "(" + column + " <> ? OR " + column + " IS NULL)");
          case GREATER_THAN -> add(parameters, field, comparable, column + " > ?");
          case GREATER_OR_EQUAL -> add(parameters, field, comparable, column + " >= ?");
          case LESS_THAN -> add(parameters, field, comparable, column + " < ?");
          case LESS_OR_EQUAL -> add(parameters, field, comparable, column + " <= ?");
          case CONTAINS -> like(parameters, column, "%" + escapeLike((String) comparable) + "%");
          case STARTS_WITH -> like(parameters, column, escapeLike((String) comparable) + "%");
          case ENDS_WITH -> like(parameters, column, "%" + escapeLike((String) comparable));
          default -> throw new IllegalStateException("Unexpected operator " + operator);
        });
  }

  private static Optional<String> oneSided(
      FieldDefinition field,
      String column,
      Operator operator,
      Object value,
      String path,
      List<Problem> problems) {
    // The operand says whether the property must hold; no operand means it must.
    boolean holds;
    if (value == null) {
      holds = true;
    } else if (value instanceof Boolean bool) {
      holds = bool;
    } else {
      problems.add(
          new Problem(path + ".value", operator + " takes true or false, not '" + value + "'"));
      return Optional.empty();
    }
    String isNull = column + " IS NULL";
    String isNotNull = column + " IS NOT NULL";
    return switch (operator) {
      case IS_NULL -> Optional.of(holds ? isNull : isNotNull);
      case WAS_SET -> Optional.of(holds ? isNotNull : isNull);
      case IS_BLANK ->
          Optional.of(
              field.type().isTextual()
                  ? (holds
                      ? "(" + column + " IS NULL OR " + column + " = '')"
                      : "(" + column + " IS NOT NULL AND " + column + " <> '')")
                  : (holds ? isNull : isNotNull));
      default -> {
        problems.add(
            new Problem(
                path + ".operator",
                operator
                    + " compares a record with its previous state and cannot filter stored records"));
        yield Optional.empty();
      }
    };
  }

  private static String add(
      List<Parameter> parameters, FieldDefinition field, Object value, String sql) {
    parameters.add(new Parameter(field.type(), value));
    return sql;
  }

  private static String like(List<Parameter> parameters, String column, String pattern) {
    parameters.add(new Parameter(DataType.TEXT, pattern));
    return column + " LIKE ? ESCAPE '\\'";
  }

  /** Escapes LIKE's wildcards so that the text matches itself only. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static Problem unknownField(ObjectTypeDefinition type, String field, String path) {
    return new Problem(path, "object type '" + type.apiName() + "' has no field '" + field + "'");
  }
}
