package io.orchestrion.engine.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * JDBC conversions that behave the same on H2 and PostgreSQL, the engine's one place for them.
 * Instants go through {@link OffsetDateTime} in UTC, never {@link java.sql.Timestamp}, whose
 * meaning depends on the JVM's time zone.
 */
public final class JdbcValues {
  /** The SQL state both databases report for a unique or primary key violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  private JdbcValues() {}

  /** The instant as the value of a TIMESTAMP WITH TIME ZONE parameter: in UTC. */
  public static OffsetDateTime utc(Instant value) {
    return OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
  }

  public static void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    statement.setObject(index, utc(value), Types.TIMESTAMP_WITH_TIMEZONE);
  }

  /** Like {@link #setInstant(PreparedStatement, int, Instant)}, NULL for a null value. */
  public static void setNullableInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    setInstant(statement, index, Optional.ofNullable(value));
  }

  public static void setInstant(PreparedStatement statement, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      setInstant(statement, index, value.get());
    } else {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  public static Optional<Instant> getInstant(ResultSet resultSet, String column)
      throws SQLException {
    OffsetDateTime value = resultSet.getObject(column, OffsetDateTime.class);
    return value == null ? Optional.empty() : Optional.of(value.toInstant());
  }

  /** Like {@link #getInstant}, null for NULL. */
  public static Instant getNullableInstant(ResultSet resultSet, String column) throws SQLException {
    return getInstant(resultSet, column).orElse(null);
  }

  /** The instant in column {@code column} (1-based), null for NULL. */
  public static Instant getNullableInstant(ResultSet resultSet, int column) throws SQLException {
    OffsetDateTime value = resultSet.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /**
   * Whether {@code error} or one of its causes is a violation of the unique constraint named {@code
   * constraint} (SQLSTATE 23505 whose message names it: H2 and PostgreSQL both do, H2 in upper
   * case). Another unique violation in the same transaction is not mistaken for this one.
   */
  public static boolean isUniqueViolationOf(Throwable error, String constraint) {
    String name = constraint.toLowerCase(java.util.Locale.ROOT);
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        for (SQLException current = sql; current != null; current = current.getNextException()) {
          if (UNIQUE_VIOLATION.equals(current.getSQLState())
              && current.getMessage() != null
              && current.getMessage().toLowerCase(java.util.Locale.ROOT).contains(name)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  public static boolean isUniqueViolation(SQLException e) {
    for (SQLException current = e; current != null; current = current.getNextException()) {
      if (UNIQUE_VIOLATION.equals(current.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
