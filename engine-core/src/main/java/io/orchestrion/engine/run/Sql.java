package io.orchestrion.engine.run;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Small JDBC conversions of nullable values shared by the run package (instants: {@link
 * io.orchestrion.engine.persistence.JdbcValues}).
 */
final class Sql {
  private Sql() {}

  static void setNullableString(PreparedStatement statement, int index, String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  static void setNullableInt(PreparedStatement statement, int index, Integer value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }

  static Integer getNullableInt(ResultSet resultSet, String column) throws SQLException {
    int value = resultSet.getInt(column);
    return resultSet.wasNull() ? null : value;
  }

  /** Error messages are stored in VARCHAR(4000) columns. */
  static String truncate(String message) {
    if (message == null || message.length() <= 4000) {
      return message;
    }
    return message.substring(0, 3990) + " [...]";
  }
}
