package io.orchestrion.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rows the engine wrote for one submission (the template {@link HistorySeeder} copies): per
 * table, the columns as the database describes them and every value as text, read on the seeder's
 * own connection.
 */
record TemplateRows(Map<String, Table> tables) {
  /** Where a table's rows of the template are found: {@code column = key}. */
  record Source(String table, String column, String key) {}

  /** A column: its name as the database spells it and its JDBC type. */
  record Column(String name, int jdbcType) {
    String lowerName() {
      return name.toLowerCase(Locale.ROOT);
    }

    boolean isText() {
      return Set.of(
              Types.CHAR,
              Types.VARCHAR,
              Types.LONGVARCHAR,
              Types.CLOB,
              Types.NCHAR,
              Types.NVARCHAR,
              Types.LONGNVARCHAR,
              Types.NCLOB)
          .contains(jdbcType);
    }

    boolean isTimestamp() {
      return jdbcType == Types.TIMESTAMP || jdbcType == Types.TIMESTAMP_WITH_TIMEZONE;
    }

    boolean isWholeNumber() {
      return jdbcType == Types.BIGINT || jdbcType == Types.INTEGER;
    }
  }

  /** One table's template rows; each row holds the columns' values in order (null for NULL). */
  record Table(Source source, List<Column> columns, List<List<String>> rows) {
    Table {
      columns = List.copyOf(columns);
      rows = List.copyOf(rows);
    }

    /** The values of one column (by lower-case name), NULLs left out. */
    List<String> values(String lowerName) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).lowerName().equals(lowerName)) {
          for (List<String> row : rows) {
            if (row.get(i) != null) {
              values.add(row.get(i));
            }
          }
        }
      }
      return values;
    }

    Optional<Column> column(String lowerName) {
      return columns.stream().filter(c -> c.lowerName().equals(lowerName)).findFirst();
    }

    /** The number of rows whose column (lower-case name) is NULL. */
    long nulls(String lowerName) {
      return rows.size() - values(lowerName).size();
    }
  }

  static TemplateRows read(Connection connection, List<Source> sources) throws SQLException {
    Map<String, Table> tables = new LinkedHashMap<>();
    for (Source source : sources) {
      List<Column> columns = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT * FROM "
                  + source.table()
                  + " WHERE "
                  + source.column()
                  + " = ? ORDER BY 1")) {
        select.setString(1, source.key());
        try (ResultSet rs = select.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new Column(meta.getColumnName(i), meta.getColumnType(i)));
          }
          while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
              row.add(rs.getString(i));
            }
            rows.add(row);
          }
        }
      }
      tables.put(source.table(), new Table(source, columns, rows));
    }
    return new TemplateRows(tables);
  }

  Table table(String name) {
    return tables.get(name);
  }

  /** How many rows the template has, over all tables. */
  int rowCount() {
    return tables.values().stream().mapToInt(table -> table.rows().size()).sum();
  }
}
