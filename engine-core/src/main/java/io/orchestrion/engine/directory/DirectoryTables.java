package io.orchestrion.engine.directory;

import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PermissionSetAssignment;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.ShareAccess;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads of the directory tables (V3) on a given connection; every list is in id order. */
public final class DirectoryTables {
  public static final String USER_COLUMNS =
      "id, username, display_name, email, active, manager_id, role_id, automated_process";

  private DirectoryTables() {}

  public static long revision(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT revision FROM directory_revision WHERE id = 1");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  public static Optional<User> user(Connection connection, String column, String value)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + USER_COLUMNS + " FROM directory_users WHERE " + column + " = ?")) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(user(rows)) : Optional.empty();
      }
    }
  }

  public static List<User> users(Connection connection) throws SQLException {
    List<User> users = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT " + USER_COLUMNS + " FROM directory_users ORDER BY id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        users.add(user(rows));
      }
    }
    return users;
  }

  /** Up to {@code limit} users with an id above {@code afterId} (all when empty), in id order. */
  public static List<User> usersAfter(Connection connection, Optional<String> afterId, int limit)
      throws SQLException {
    List<User> users = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT "
                + USER_COLUMNS
                + " FROM directory_users"
                + (afterId.isPresent() ? " WHERE id > ?" : "")
                + " ORDER BY id FETCH FIRST "
                + limit
                + " ROWS ONLY")) {
      if (afterId.isPresent()) {
        statement.setString(1, afterId.get());
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          users.add(user(rows));
        }
      }
    }
    return users;
  }

  /** The ids of the permission sets assigned to one user, in id order. */
  public static List<String> permissionSetIdsOf(Connection connection, String userId)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT permission_set_id FROM directory_assignments WHERE user_id = ?"
                + " ORDER BY permission_set_id")) {
      statement.setString(1, userId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
    }
    return ids;
  }

  /** The kind of a group row ({@code GROUP} or {@code QUEUE}), empty when there is none. */
  public static Optional<String> groupKind(Connection connection, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT kind FROM directory_groups WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private static User user(ResultSet rows) throws SQLException {
    return new User(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        Optional.ofNullable(rows.getString(4)),
        rows.getBoolean(5),
        Optional.ofNullable(rows.getString(6)),
        Optional.ofNullable(rows.getString(7)),
        rows.getBoolean(8));
  }

  public static List<Role> roles(Connection connection) throws SQLException {
    List<Role> roles = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT id, name, parent_role_id FROM directory_roles ORDER BY id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        roles.add(
            new Role(rows.getString(1), rows.getString(2), Optional.ofNullable(rows.getString(3))));
      }
    }
    return roles;
  }

  /** Groups ({@code kind} GROUP) or queues (QUEUE) with their members, in id order. */
  public static Map<String, GroupRow> groups(Connection connection, String kind)
      throws SQLException {
    Map<String, GroupRow> groups = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, name FROM directory_groups WHERE kind = ? ORDER BY id")) {
      statement.setString(1, kind);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          groups.put(
              rows.getString(1),
              new GroupRow(
                  rows.getString(1), rows.getString(2), new ArrayList<>(), new ArrayList<>()));
        }
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT m.group_id, m.member_type, m.member_id FROM directory_group_members m"
                + " JOIN directory_groups g ON g.id = m.group_id WHERE g.kind = ?"
                + " ORDER BY m.group_id, m.position")) {
      statement.setString(1, kind);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          GroupRow group = groups.get(rows.getString(1));
          if (group != null) {
            group.members.add(
                new GroupMember(GroupMember.Type.valueOf(rows.getString(2)), rows.getString(3)));
          }
        }
      }
    }
    if (kind.equals("QUEUE")) {
      try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT queue_id, object_type FROM directory_queue_object_types"
                      + " ORDER BY queue_id, object_type");
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          GroupRow queue = groups.get(rows.getString(1));
          if (queue != null) {
            queue.objectTypes.add(rows.getString(2));
          }
        }
      }
    }
    return groups;
  }

  public record GroupRow(
      String id, String name, List<GroupMember> members, List<String> objectTypes) {
    PublicGroup group() {
      return new PublicGroup(id, name, members);
    }

    Queue queue() {
      return new Queue(id, name, members, objectTypes);
    }
  }

  public static List<PermissionSet> permissionSets(Connection connection) throws SQLException {
    Map<String, String> names = new LinkedHashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT id, name FROM directory_permission_sets ORDER BY id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        names.put(rows.getString(1), rows.getString(2));
      }
    }
    Map<String, Map<String, Set<ObjectPermission>>> objects = new HashMap<>();
    Map<String, Map<String, Map<String, Set<FieldPermission>>>> fields = new HashMap<>();
    Map<String, Set<SystemPermission>> system = new HashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT permission_set_id, scope, target, field, permission"
                    + " FROM directory_permission_grants");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String set = rows.getString(1);
        String target = rows.getString(3);
        String permission = rows.getString(5);
        switch (rows.getString(2)) {
          case "OBJECT" ->
              objects
                  .computeIfAbsent(set, s -> new HashMap<>())
                  .computeIfAbsent(target, t -> EnumSet.noneOf(ObjectPermission.class))
                  .add(ObjectPermission.valueOf(permission));
          case "FIELD" ->
              fields
                  .computeIfAbsent(set, s -> new HashMap<>())
                  .computeIfAbsent(target, t -> new HashMap<>())
                  .computeIfAbsent(rows.getString(4), f -> EnumSet.noneOf(FieldPermission.class))
                  .add(FieldPermission.valueOf(permission));
          default ->
              system
                  .computeIfAbsent(set, s -> EnumSet.noneOf(SystemPermission.class))
                  .add(SystemPermission.valueOf(permission));
        }
      }
    }
    List<PermissionSet> sets = new ArrayList<>();
    names.forEach(
        (id, name) ->
            sets.add(
                new PermissionSet(
                    id,
                    name,
                    objects.getOrDefault(id, Map.of()),
                    fields.getOrDefault(id, Map.of()),
                    system.getOrDefault(id, Set.of()))));
    return sets;
  }

  public static List<PermissionSetAssignment> assignments(Connection connection)
      throws SQLException {
    List<PermissionSetAssignment> assignments = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT user_id, permission_set_id FROM directory_assignments"
                    + " ORDER BY user_id, permission_set_id");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        assignments.add(new PermissionSetAssignment(rows.getString(1), rows.getString(2)));
      }
    }
    return assignments;
  }

  public static List<RecordShare> shares(Connection connection, String objectType, String recordId)
      throws SQLException {
    List<RecordShare> shares = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT grantee_type, grantee_id, access_level FROM record_shares"
                + " WHERE object_type = ? AND record_id = ? ORDER BY grantee_type, grantee_id")) {
      statement.setString(1, objectType);
      statement.setString(2, recordId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          shares.add(
              new RecordShare(
                  objectType,
                  recordId,
                  RecordShare.GranteeType.valueOf(rows.getString(1)),
                  rows.getString(2),
                  ShareAccess.valueOf(rows.getString(3))));
        }
      }
    }
    return shares;
  }
}
