package io.orchestrion.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plain secondary indexes of some tables (not primary keys, not the indexes of unique
 * constraints), as the database itself defines them, so that {@link HistorySeeder} can drop them
 * before a bulk copy and create them again after it, exactly as they were: definitions are read
 * from the database ({@code pg_indexes.indexdef} on PostgreSQL; {@code INFORMATION_SCHEMA.INDEXES}
 * and {@code INDEX_COLUMNS} on H2), never written by hand, so they cannot drift from the engine's
 * migrations.
 *
 * <p>Unique constraints stay: the engine's background loops rely on them while seeding runs (the
 * event sequencer's {@code WHERE sequence IS NULL} reads {@code events_sequence}).
 */
final class SecondaryIndexes {
  /**
   * One plain index.
   *
   * @param table the table (lower case)
   * @param name the index name as the database spells it
   * @param create the statement that creates it again
   */
  record Index(String table, String name, String create) {}

  private final boolean postgres;
  private final List<Index> dropped = new ArrayList<>();

  SecondaryIndexes(boolean postgres) {
    this.postgres = postgres;
  }

  /**
   * Every index of the current schema (primary keys and unique constraints included), name →
   * definition: what {@link HistorySeeder} checks to be the same before and after seeding.
   */
  static Map<String, String> all(Connection connection, boolean postgres) throws SQLException {
    Map<String, String> all = new TreeMap<>();
    if (postgres) {
      try (Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")) {
        while (rs.next()) {
          all.put(rs.getString(1), rs.getString(2));
        }
      }
      return all;
    }
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT i.INDEX_NAME, i.TABLE_NAME, i.INDEX_TYPE_NAME, c.COLUMN_NAME,"
                    + " c.ORDERING_SPECIFICATION, c.NULL_ORDERING"
                    + " FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                    + " ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                    + " AND c.TABLE_NAME = i.TABLE_NAME"
                    + " WHERE i.INDEX_SCHEMA = SCHEMA()"
                    + " ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION")) {
      while (rs.next()) {
        String column =
            rs.getString(4)
                + " "
                + rs.getString(5)
                + (rs.getString(6) == null ? "" : " NULLS " + rs.getString(6));
        all.merge(
            rs.getString(1),
            rs.getString(3) + " ON " + rs.getString(2) + " (" + column,
            (a, b) -> a + ", " + column);
      }
    }
    all.replaceAll((name, definition) -> definition + ")");
    return all;
  }

  /**
   * Drops the plain secondary indexes of {@code tables} (those not dropped yet), remembering how to
   * create them; returns those it dropped now.
   */
  List<Index> drop(Connection connection, Collection<String> tables) throws SQLException {
    List<Index> indexes = new ArrayList<>();
    for (String table : tables) {
      if (dropped.stream().noneMatch(index -> index.table().equals(table))) {
        indexes.addAll(
            postgres ? postgresIndexes(connection, table) : h2Indexes(connection, table));
      }
    }
    try (Statement statement = connection.createStatement()) {
      for (Index index : indexes) {
        statement.execute("DROP INDEX \"" + index.name() + "\"");
        dropped.add(index);
      }
    }
    return List.copyOf(indexes);
  }

  /** Creates the dropped indexes again; the time spent per table (ms) is returned. */
  Map<String, Long> recreate(Connection connection) throws SQLException {
    Map<String, Long> millis = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement()) {
      while (!dropped.isEmpty()) {
        Index index = dropped.getFirst();
        long began = System.nanoTime();
        statement.execute(index.create());
        millis.merge(index.table(), (System.nanoTime() - began) / 1_000_000, Long::sum);
        dropped.removeFirst();
      }
    }
    return millis;
  }

  private static List<Index> postgresIndexes(Connection connection, String table)
      throws SQLException {
    List<Index> indexes = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                + " WHERE i.schemaname = current_schema() AND i.tablename = ?"
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
                + " WHERE k.conindid = (quote_ident(i.schemaname) || '.'"
                + " || quote_ident(i.indexname))::regclass)"
                + " ORDER BY i.indexname")) {
      select.setString(1, table.toLowerCase(Locale.ROOT));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          indexes.add(new Index(table, rs.getString(1), rs.getString(2)));
        }
      }
    }
    return indexes;
  }

  private static List<Index> h2Indexes(Connection connection, String table) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    Map<String, String> tableNames = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT i.INDEX_NAME, i.TABLE_NAME, c.COLUMN_NAME, c.ORDERING_SPECIFICATION,"
                + " c.NULL_ORDERING"
                + " FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                + " ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                + " AND c.TABLE_NAME = i.TABLE_NAME"
                + " WHERE i.INDEX_SCHEMA = SCHEMA() AND UPPER(i.TABLE_NAME) = ?"
                + " AND i.INDEX_TYPE_NAME = 'INDEX' AND i.IS_GENERATED = FALSE"
                + " AND NOT EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS k"
                + " WHERE k.INDEX_SCHEMA = i.INDEX_SCHEMA AND k.INDEX_NAME = i.INDEX_NAME)"
                + " ORDER BY i.INDEX_NAME, c.ORDINAL_POSITION")) {
      select.setString(1, table.toUpperCase(Locale.ROOT));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          tableNames.put(rs.getString(1), rs.getString(2));
          // H2's default for an ascending column is NULLS FIRST (DEFAULT_NULL_ORDERING LOW): the
          // ordering is written out in full, so the index is made again exactly as it was.
          String column =
              "\""
                  + rs.getString(3)
                  + "\" "
                  + rs.getString(4)
                  + (rs.getString(5) == null ? "" : " NULLS " + rs.getString(5));
          columns.computeIfAbsent(rs.getString(1), name -> new ArrayList<>()).add(column);
        }
      }
    }
    List<Index> indexes = new ArrayList<>();
    columns.forEach(
        (name, list) ->
            indexes.add(
                new Index(
                    table,
                    name,
                    "CREATE INDEX \""
                        + name
                        + "\" ON \""
                        + tableNames.get(name)
                        + "\" ("
                        + String.join(", ", list)
                        + ")")));
    return indexes;
  }
}
