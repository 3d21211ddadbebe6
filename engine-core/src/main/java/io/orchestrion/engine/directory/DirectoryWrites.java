package io.orchestrion.engine.directory;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The SQL that changes the directory tables (the writing side of {@link DirectoryTables}). It
 * checks nothing: callers validate first ({@link DirectoryChecks}) and bump the directory revision
 * in the same transaction ({@link #bumpRevision}).
 */
public final class DirectoryWrites {
  private DirectoryWrites() {}

  /** Inserts a user, or updates the row when {@code exists}. */
  public static void writeUser(Connection connection, User user, boolean exists, Instant now)
      throws SQLException {
    String sql =
        exists
            ? "UPDATE directory_users SET username = ?, display_name = ?, email = ?, active = ?,"
                + " manager_id = ?, role_id = ?, automated_process = ?, updated_at = ? WHERE id = ?"
            : "INSERT INTO directory_users (username, display_name, email, active, manager_id,"
                + " role_id, automated_process, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, user.username());
      statement.setString(2, user.displayName());
      statement.setString(3, user.email().orElse(null));
      statement.setBoolean(4, user.active());
      statement.setString(5, user.managerId().orElse(null));
      statement.setString(6, user.roleId().orElse(null));
      statement.setBoolean(7, user.automatedProcess());
      JdbcValues.setInstant(statement, 8, now);
      statement.setString(9, user.id());
      statement.executeUpdate();
    }
  }

  /** Replaces a role's row. */
  public static void writeRole(Connection connection, Role role) throws SQLException {
    update(connection, "DELETE FROM directory_roles WHERE id = ?", role.id());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO directory_roles (id, name, parent_role_id) VALUES (?, ?, ?)")) {
      statement.setString(1, role.id());
      statement.setString(2, role.name());
      statement.setString(3, role.parentRoleId().orElse(null));
      statement.executeUpdate();
    }
  }

  /**
   * Replaces a public group's or queue's row ({@code kind} GROUP or QUEUE), its members in order
   * and (a queue's) object types.
   */
  public static void writeGroup(
      Connection connection,
      String kind,
      String id,
      String name,
      List<GroupMember> members,
      List<String> types)
      throws SQLException {
    update(connection, "DELETE FROM directory_group_members WHERE group_id = ?", id);
    update(connection, "DELETE FROM directory_queue_object_types WHERE queue_id = ?", id);
    update(connection, "DELETE FROM directory_groups WHERE id = ?", id);
    update(
        connection,
        "INSERT INTO directory_groups (id, kind, name) VALUES (?, ?, ?)",
        id,
        kind,
        name);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO directory_group_members (group_id, member_type, member_id, position)"
                + " VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < members.size(); i++) {
        statement.setString(1, id);
        statement.setString(2, members.get(i).type().name());
        statement.setString(3, members.get(i).id());
        statement.setInt(4, i);
        statement.addBatch();
      }
      statement.executeBatch();
    }
    for (String type : new LinkedHashSet<>(types)) {
      update(
          connection,
          "INSERT INTO directory_queue_object_types (queue_id, object_type) VALUES (?, ?)",
          id,
          type);
    }
  }

  /**
   * Deletes a public group or queue, its members and object types, its membership in other groups
   * and the record shares to it.
   */
  public static void deleteGroup(Connection connection, String groupId) throws SQLException {
    update(connection, "DELETE FROM directory_groups WHERE id = ?", groupId);
    update(connection, "DELETE FROM directory_group_members WHERE group_id = ?", groupId);
    update(connection, "DELETE FROM directory_queue_object_types WHERE queue_id = ?", groupId);
    update(
        connection,
        "DELETE FROM directory_group_members WHERE member_type = 'GROUP' AND member_id = ?",
        groupId);
    update(
        connection,
        "DELETE FROM record_shares WHERE grantee_type = 'GROUP' AND grantee_id = ?",
        groupId);
  }

  /** Replaces a permission set's row and all its grants. */
  public static void writePermissionSet(Connection connection, PermissionSet set)
      throws SQLException {
    update(
        connection,
        "DELETE FROM directory_permission_grants WHERE permission_set_id = ?",
        set.id());
    update(connection, "DELETE FROM directory_permission_sets WHERE id = ?", set.id());
    update(
        connection,
        "INSERT INTO directory_permission_sets (id, name) VALUES (?, ?)",
        set.id(),
        set.name());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO directory_permission_grants (permission_set_id, scope, target, field,"
                + " permission) VALUES (?, ?, ?, ?, ?)")) {
      set.objectPermissions()
          .forEach(
              (type, granted) ->
                  granted.forEach(p -> batch(statement, set.id(), "OBJECT", type, "", p.name())));
      set.fieldPermissions()
          .forEach(
              (type, byField) ->
                  byField.forEach(
                      (field, granted) ->
                          granted.forEach(
                              p -> batch(statement, set.id(), "FIELD", type, field, p.name()))));
      set.systemPermissions().forEach(p -> batch(statement, set.id(), "SYSTEM", "", "", p.name()));
      statement.executeBatch();
    }
  }

  /** Gives a user a permission set (a no-op if they hold it). */
  public static void writeAssignment(Connection connection, String userId, String setId)
      throws SQLException {
    update(
        connection,
        "DELETE FROM directory_assignments WHERE user_id = ? AND permission_set_id = ?",
        userId,
        setId);
    update(
        connection,
        "INSERT INTO directory_assignments (user_id, permission_set_id) VALUES (?, ?)",
        userId,
        setId);
  }

  /** Takes a permission set from a user; false when they did not hold it. */
  public static boolean deleteAssignment(Connection connection, String userId, String setId)
      throws SQLException {
    return update(
            connection,
            "DELETE FROM directory_assignments WHERE user_id = ? AND permission_set_id = ?",
            userId,
            setId)
        > 0;
  }

  /**
   * Bumps the directory revision, so that every node rebuilds its index of the directory on its
   * next decision.
   */
  public static void bumpRevision(Connection connection) throws SQLException {
    update(connection, "UPDATE directory_revision SET revision = revision + 1 WHERE id = 1");
  }

  /** Whether {@code table} has a row with this id. */
  public static boolean exists(Connection connection, String table, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Runs one statement with string parameters; the number of rows it changed. */
  public static int update(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
  }

  private static void batch(PreparedStatement statement, String... values) {
    try {
      for (int i = 0; i < values.length; i++) {
        statement.setString(i + 1, values[i]);
      }
      statement.addBatch();
    } catch (SQLException e) {
      throw Database.databaseError("writing a permission set", e);
    }
  }
}
