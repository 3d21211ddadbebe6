package io.orchestrion.engine.directory;

import io.orchestrion.engine.api.Delegation;
import io.orchestrion.engine.persistence.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * SQL over {@code directory_delegations} (V14): one row per user who has a delegate. Reads and
 * writes go through the caller's connection (its transaction). {@link Delegation#active()} is left
 * false here: whether the delegate is an active user is the directory index's answer.
 */
public final class DelegationTables {
  private static final String COLUMNS =
      "user_id, delegate_id, valid_from, valid_until, set_by, updated_at";

  private DelegationTables() {}

  /** The user's delegation, whatever its window. */
  public static Optional<Delegation> of(Connection connection, String userId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM directory_delegations WHERE user_id = ?")) {
      statement.setString(1, userId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(delegation(rows)) : Optional.empty();
      }
    }
  }

  /**
   * The users whose delegation names {@code delegateId} and whose window covers {@code now}, in id
   * order (one indexed read).
   */
  public static Set<String> principalsOf(Connection connection, String delegateId, Instant now)
      throws SQLException {
    Set<String> principals = new LinkedHashSet<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT user_id FROM directory_delegations WHERE delegate_id = ?"
                + " AND (valid_from IS NULL OR valid_from <= ?)"
                + " AND (valid_until IS NULL OR valid_until > ?) ORDER BY user_id")) {
      statement.setString(1, delegateId);
      JdbcValues.setInstant(statement, 2, now);
      JdbcValues.setInstant(statement, 3, now);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          principals.add(rows.getString(1));
        }
      }
    }
    return principals;
  }

  /** Replaces the user's delegation; whether they had one before. */
  public static boolean save(Connection connection, Delegation delegation) throws SQLException {
    boolean replaced = delete(connection, delegation.userId());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO directory_delegations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, delegation.userId());
      statement.setString(2, delegation.delegateId());
      JdbcValues.setInstant(statement, 3, delegation.from());
      JdbcValues.setInstant(statement, 4, delegation.until());
      statement.setString(5, delegation.setBy());
      JdbcValues.setInstant(statement, 6, delegation.updatedAt());
      statement.executeUpdate();
    }
    return replaced;
  }

  /** Removes the user's delegation; whether there was one. */
  public static boolean delete(Connection connection, String userId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM directory_delegations WHERE user_id = ?")) {
      statement.setString(1, userId);
      return statement.executeUpdate() > 0;
    }
  }

  private static Delegation delegation(ResultSet rows) throws SQLException {
    return new Delegation(
        rows.getString("user_id"),
        rows.getString("delegate_id"),
        JdbcValues.getInstant(rows, "valid_from"),
        JdbcValues.getInstant(rows, "valid_until"),
        rows.getString("set_by"),
        JdbcValues.getInstant(rows, "updated_at").orElseThrow(),
        false);
  }
}
