package io.orchestrion.engine.directory;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates directory changes before {@link DirectoryWrites} stores them: the lengths the columns
 * hold (checked before any transaction) and the references to other directory entries (checked in
 * the change's transaction). Every problem is reported with its JSON path, all at once.
 */
public final class DirectoryChecks {
  /** Directory ids are VARCHAR(64), as engine-api's directory records require. */
  private static final int ID_LENGTH = 64;

  private DirectoryChecks() {}

  public static void checkLengths(User user) {
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.username", user.username(), StoredStrings.NAME_LENGTH);
    StoredStrings.check(tooLong, "$.displayName", user.displayName(), StoredStrings.NAME_LENGTH);
    StoredStrings.check(tooLong, "$.email", user.email().orElse(null), StoredStrings.EMAIL_LENGTH);
    StoredStrings.check(tooLong, "$.managerId", user.managerId().orElse(null), ID_LENGTH);
    StoredStrings.check(tooLong, "$.roleId", user.roleId().orElse(null), ID_LENGTH);
    failOn(tooLong, "User '" + user.id() + "'");
  }

  public static void checkLengths(Role role) {
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.name", role.name(), StoredStrings.NAME_LENGTH);
    StoredStrings.check(tooLong, "$.parentRoleId", role.parentRoleId().orElse(null), ID_LENGTH);
    failOn(tooLong, "Role '" + role.id() + "'");
  }

  public static void checkLengths(PublicGroup group) {
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.name", group.name(), StoredStrings.NAME_LENGTH);
    failOn(tooLong, "Group '" + group.id() + "'");
  }

  public static void checkLengths(Queue queue) {
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.name", queue.name(), StoredStrings.NAME_LENGTH);
    for (int i = 0; i < queue.objectTypes().size(); i++) {
      StoredStrings.check(
          tooLong,
          "$.objectTypes[" + i + "]",
          queue.objectTypes().get(i),
          StoredStrings.OBJECT_TYPE_LENGTH);
    }
    failOn(tooLong, "Queue '" + queue.id() + "'");
  }

  public static void checkLengths(PermissionSet set) {
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.name", set.name(), StoredStrings.NAME_LENGTH);
    set.objectPermissions()
        .keySet()
        .forEach(
            type ->
                StoredStrings.check(
                    tooLong,
                    StoredStrings.propertyPath("$.objectPermissions", type),
                    type,
                    StoredStrings.OBJECT_TYPE_LENGTH));
    set.fieldPermissions()
        .forEach(
            (type, byField) -> {
              String typePath = StoredStrings.propertyPath("$.fieldPermissions", type);
              StoredStrings.check(tooLong, typePath, type, StoredStrings.OBJECT_TYPE_LENGTH);
              byField
                  .keySet()
                  .forEach(
                      field ->
                          StoredStrings.check(
                              tooLong,
                              StoredStrings.propertyPath(typePath, field),
                              field,
                              StoredStrings.FIELD_NAME_LENGTH));
            });
    failOn(tooLong, "Permission set '" + set.id() + "'");
  }

  /**
   * Checks a user about to be saved: not the automated process user, a free username, an existing
   * manager other than themself, an existing role.
   *
   * @return whether the user exists already
   */
  public static boolean checkUser(Connection connection, User user) throws SQLException {
    List<Problem> problems = new ArrayList<>();
    Optional<User> existing = DirectoryTables.user(connection, "id", user.id());
    if (user.automatedProcess()
        || existing.map(User::automatedProcess).orElse(false)
        || user.id().equals(SystemUsers.AUTOMATED_PROCESS_USER_ID)) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "user '"
              + user.id()
              + "': the automated process user is built in and cannot be created or changed");
    }
    Optional<User> sameName = DirectoryTables.user(connection, "username", user.username());
    if (sameName.isPresent() && !sameName.get().id().equals(user.id())) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "username '"
              + user.username()
              + "' is already taken by user '"
              + sameName.get().id()
              + "'");
    }
    if (user.managerId().isPresent()) {
      String manager = user.managerId().get();
      if (manager.equals(user.id())) {
        problems.add(new Problem("$.managerId", "user '" + manager + "' cannot manage themself"));
      } else if (DirectoryTables.user(connection, "id", manager).isEmpty()) {
        problems.add(new Problem("$.managerId", "manager '" + manager + "' does not exist"));
      }
    }
    if (user.roleId().isPresent()
        && !DirectoryWrites.exists(connection, "directory_roles", user.roleId().get())) {
      problems.add(new Problem("$.roleId", "role '" + user.roleId().get() + "' does not exist"));
    }
    failOn(problems, "User '" + user.id() + "'");
    return existing.isPresent();
  }

  /** Checks that a role's parent exists and is not below it (the hierarchy stays a tree). */
  public static void checkParent(Connection connection, Role role) throws SQLException {
    if (role.parentRoleId().isEmpty()) {
      return;
    }
    String parent = role.parentRoleId().get();
    Map<String, Optional<String>> parents = new HashMap<>();
    DirectoryTables.roles(connection).forEach(r -> parents.put(r.id(), r.parentRoleId()));
    if (!parents.containsKey(parent)) {
      failOn(
          List.of(new Problem("$.parentRoleId", "role '" + parent + "' does not exist")),
          "Role '" + role.id() + "'");
    }
    // Walking up from the new parent must not reach this role: that would be a cycle.
    Set<String> seen = new HashSet<>();
    Optional<String> up = Optional.of(parent);
    while (up.isPresent() && seen.add(up.get())) {
      if (up.get().equals(role.id())) {
        failOn(
            List.of(
                new Problem(
                    "$.parentRoleId",
                    "role '"
                        + parent
                        + "' is below role '"
                        + role.id()
                        + "': the hierarchy would have a cycle")),
            "Role '" + role.id() + "'");
      }
      up = parents.getOrDefault(up.get(), Optional.empty());
    }
  }

  /**
   * Checks a public group or queue ({@code kind} GROUP or QUEUE) about to be saved: its id is not
   * taken by the other kind (they share one id space), and its members exist, are listed once and
   * do not include the group itself.
   *
   * @return the members' problems, each with its JSON path (a queue's object types are the caller's
   *     to check)
   * @throws OrchestrionException CONFLICT when the id is taken by the other kind
   */
  public static List<Problem> checkGroup(
      Connection connection, String kind, String id, List<GroupMember> members)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT kind FROM directory_groups WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        if (rows.next() && !rows.getString(1).equals(kind)) {
          throw new OrchestrionException(
              StandardErrorCode.CONFLICT,
              "id '"
                  + id
                  + "' is taken by a "
                  + rows.getString(1).toLowerCase(Locale.ROOT)
                  + ": groups and queues share one id space");
        }
      }
    }
    List<Problem> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < members.size(); i++) {
      GroupMember member = members.get(i);
      String path = "$.members[" + i + "]";
      if (!seen.add(member.type() + ":" + member.id())) {
        problems.add(new Problem(path, member.type() + " '" + member.id() + "' is listed twice"));
        continue;
      }
      boolean found =
          switch (member.type()) {
            case USER -> DirectoryTables.user(connection, "id", member.id()).isPresent();
            case ROLE, ROLE_AND_SUBORDINATES ->
                DirectoryWrites.exists(connection, "directory_roles", member.id());
            case GROUP -> {
              if (member.id().equals(id)) {
                problems.add(new Problem(path, "a group cannot contain itself"));
                yield true;
              }
              yield DirectoryWrites.exists(connection, "directory_groups", member.id());
            }
          };
      if (!found) {
        String noun =
            switch (member.type()) {
              case USER -> "user";
              case ROLE, ROLE_AND_SUBORDINATES -> "role";
              case GROUP -> "group";
            };
        problems.add(new Problem(path, noun + " '" + member.id() + "' does not exist"));
      }
    }
    return problems;
  }

  /**
   * Throws INVALID_REQUEST "{@code what} is invalid" listing {@code problems}, if there are any.
   */
  public static void failOn(List<Problem> problems, String what) {
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST, what + " is invalid", problems);
    }
  }
}
