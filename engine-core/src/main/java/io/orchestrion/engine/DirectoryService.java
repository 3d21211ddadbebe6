package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.directory.DirectoryTables;
import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.security.ShareManagers;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.directory.Directory;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PermissionSetAssignment;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Changes the engine's directory (users, roles, public groups, queues, permission sets and their
 * assignments) and record shares. Every change validates its input, reporting every problem with
 * its JSON path, and bumps the directory revision in the same transaction, so that every node
 * rebuilds its index of the directory (SPEC §7) on its next decision. Saves are upserts by id.
 */
public final class DirectoryService {
  /** The permission set of the built-in administrator: every system permission. */
  public static final String ADMINISTRATOR_PERMISSION_SET_ID = "system-administrator";

  /** The largest page of {@link #users(Optional, int)}. */
  public static final int MAX_PAGE_SIZE = 500;

  /** Directory ids are VARCHAR(64), as engine-api's directory records require. */
  private static final int ID_LENGTH = 64;

  private final Database database;
  private final JdbcDirectory directory;
  private final EngineSecurity security;
  private final ObjectTypeStore objectTypes;
  private final RecordStores recordStores;
  private final ShareManagers shareManagers;
  private final Clock clock;

  @Inject
  public DirectoryService(
      Database database,
      JdbcDirectory directory,
      EngineSecurity security,
      ObjectTypeStore objectTypes,
      RecordStores recordStores,
      ShareManagers shareManagers,
      Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.security = requireNonNull(security, "security is null");
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    this.recordStores = requireNonNull(recordStores, "recordStores is null");
    this.shareManagers = requireNonNull(shareManagers, "shareManagers is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The directory as stored (reads only). */
  public Directory directory() {
    return directory;
  }

  /**
   * Creates the built-in users if they are missing: the automated process user (who cannot log in)
   * and {@link EngineActors#ADMIN}, holding every system permission, so that a fresh install has
   * someone to create the real users with. Called by the engine on start.
   */
  public void ensureBuiltIns() {
    change(
        tx -> {
          Connection connection = tx.connection();
          if (DirectoryTables.user(connection, "id", SystemUsers.AUTOMATED_PROCESS_USER_ID)
              .isEmpty()) {
            writeUser(
                connection,
                new User(
                    SystemUsers.AUTOMATED_PROCESS_USER_ID,
                    SystemUsers.AUTOMATED_PROCESS_USER_ID,
                    "Automated Process",
                    Optional.empty(),
                    true,
                    Optional.empty(),
                    Optional.empty(),
                    true),
                false);
          }
          if (!exists(connection, "directory_permission_sets", ADMINISTRATOR_PERMISSION_SET_ID)) {
            writePermissionSet(
                connection,
                new PermissionSet(
                    ADMINISTRATOR_PERMISSION_SET_ID,
                    "System administrator",
                    Map.of(),
                    Map.of(),
                    EnumSet.allOf(SystemPermission.class)));
          }
          if (DirectoryTables.user(connection, "id", EngineActors.ADMIN).isEmpty()) {
            writeUser(connection, User.of(EngineActors.ADMIN, "Administrator"), false);
            writeAssignment(connection, EngineActors.ADMIN, ADMINISTRATOR_PERMISSION_SET_ID);
          }
          return null;
        });
  }

  /** Creates or replaces a user. The automated process user cannot be changed. */
  public User saveUser(User user) {
    requireNonNull(user, "user is null");
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.username", user.username(), StoredStrings.NAME_LENGTH);
    StoredStrings.check(tooLong, "$.displayName", user.displayName(), StoredStrings.NAME_LENGTH);
    StoredStrings.check(tooLong, "$.email", user.email().orElse(null), StoredStrings.EMAIL_LENGTH);
    StoredStrings.check(tooLong, "$.managerId", user.managerId().orElse(null), ID_LENGTH);
    StoredStrings.check(tooLong, "$.roleId", user.roleId().orElse(null), ID_LENGTH);
    failOn(tooLong, "User '" + user.id() + "'");
    return change(
        tx -> {
          Connection connection = tx.connection();
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
              problems.add(
                  new Problem("$.managerId", "user '" + manager + "' cannot manage themself"));
            } else if (DirectoryTables.user(connection, "id", manager).isEmpty()) {
              problems.add(new Problem("$.managerId", "manager '" + manager + "' does not exist"));
            }
          }
          if (user.roleId().isPresent()
              && !exists(connection, "directory_roles", user.roleId().get())) {
            problems.add(
                new Problem("$.roleId", "role '" + user.roleId().get() + "' does not exist"));
          }
          failOn(problems, "User '" + user.id() + "'");
          writeUser(connection, user, existing.isPresent());
          return user;
        });
  }

  /** Creates or replaces a role; its parent must exist and must not be below it. */
  public Role saveRole(Role role) {
    requireNonNull(role, "role is null");
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.name", role.name(), StoredStrings.NAME_LENGTH);
    StoredStrings.check(tooLong, "$.parentRoleId", role.parentRoleId().orElse(null), ID_LENGTH);
    failOn(tooLong, "Role '" + role.id() + "'");
    return change(
        tx -> {
          Connection connection = tx.connection();
          if (role.parentRoleId().isPresent()) {
            String parent = role.parentRoleId().get();
            List<Role> roles = DirectoryTables.roles(connection);
            Map<String, Optional<String>> parents = new java.util.HashMap<>();
            roles.forEach(r -> parents.put(r.id(), r.parentRoleId()));
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
          update(connection, "DELETE FROM directory_roles WHERE id = ?", role.id());
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "INSERT INTO directory_roles (id, name, parent_role_id) VALUES (?, ?, ?)")) {
            statement.setString(1, role.id());
            statement.setString(2, role.name());
            statement.setString(3, role.parentRoleId().orElse(null));
            statement.executeUpdate();
          }
          return role;
        });
  }

  public PublicGroup saveGroup(PublicGroup group) {
    requireNonNull(group, "group is null");
    List<Problem> tooLong = new ArrayList<>();
    StoredStrings.check(tooLong, "$.name", group.name(), StoredStrings.NAME_LENGTH);
    failOn(tooLong, "Group '" + group.id() + "'");
    return change(
        tx -> {
          writeGroup(tx, "GROUP", group.id(), group.name(), group.members(), List.of());
          return group;
        });
  }

  /** Creates or replaces a queue; its object types must exist. */
  public Queue saveQueue(Queue queue) {
    requireNonNull(queue, "queue is null");
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
    return change(
        tx -> {
          writeGroup(tx, "QUEUE", queue.id(), queue.name(), queue.members(), queue.objectTypes());
          return queue;
        });
  }

  public PermissionSet savePermissionSet(PermissionSet set) {
    requireNonNull(set, "set is null");
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
    return change(
        tx -> {
          writePermissionSet(tx.connection(), set);
          return set;
        });
  }

  /** Gives a user a permission set (no effect if they hold it already). */
  public void assign(String userId, String permissionSetId) {
    PermissionSetAssignment assignment = new PermissionSetAssignment(userId, permissionSetId);
    change(
        tx -> {
          Connection connection = tx.connection();
          requireUser(connection, assignment.userId());
          if (!exists(connection, "directory_permission_sets", permissionSetId)) {
            throw OrchestrionException.notFound("Permission set '" + permissionSetId + "'");
          }
          writeAssignment(connection, userId, permissionSetId);
          return null;
        });
  }

  /**
   * Takes a permission set from a user.
   *
   * @throws OrchestrionException NOT_FOUND when the user does not hold it
   */
  public void unassign(String userId, String permissionSetId) {
    change(
        tx -> {
          if (update(
                  tx.connection(),
                  "DELETE FROM directory_assignments WHERE user_id = ? AND permission_set_id = ?",
                  userId,
                  permissionSetId)
              == 0) {
            throw OrchestrionException.notFound(
                "Assignment of permission set '" + permissionSetId + "' to user '" + userId + "'");
          }
          return null;
        });
  }

  /**
   * Deletes a public group, the memberships of other groups and queues in it and the shares to it.
   *
   * @throws OrchestrionException NOT_FOUND when there is no public group with this id (a queue's id
   *     included: {@link #deleteQueue} deletes queues)
   */
  public void deleteGroup(String groupId) {
    delete(groupId, "GROUP", "Group");
  }

  /**
   * Deletes a queue, the memberships of groups and queues in it and the shares to it. Work items
   * assigned to the queue keep their assignee id (an admin reassigns them).
   *
   * @throws OrchestrionException NOT_FOUND when there is no queue with this id
   */
  public void deleteQueue(String queueId) {
    delete(queueId, "QUEUE", "Queue");
  }

  private void delete(String groupId, String kind, String noun) {
    requireNonNull(groupId, "groupId is null");
    change(
        tx -> {
          Connection connection = tx.connection();
          if (!DirectoryTables.groupKind(connection, groupId).map(kind::equals).orElse(false)) {
            throw OrchestrionException.notFound(noun + " '" + groupId + "'");
          }
          update(connection, "DELETE FROM directory_groups WHERE id = ?", groupId);
          update(connection, "DELETE FROM directory_group_members WHERE group_id = ?", groupId);
          update(
              connection, "DELETE FROM directory_queue_object_types WHERE queue_id = ?", groupId);
          update(
              connection,
              "DELETE FROM directory_group_members WHERE member_type = 'GROUP' AND member_id = ?",
              groupId);
          update(
              connection,
              "DELETE FROM record_shares WHERE grantee_type = 'GROUP' AND grantee_id = ?",
              groupId);
          return null;
        });
  }

  /**
   * One page of the users in id order (the automated process user included).
   *
   * @param cursor the {@code nextCursor} of the previous page; empty for the first page
   * @param limit 1 to {@value #MAX_PAGE_SIZE}
   * @throws OrchestrionException INVALID_REQUEST for a bad limit or cursor
   */
  public Page<User> users(Optional<String> cursor, int limit) {
    requireNonNull(cursor, "cursor is null");
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "limit must be between 1 and " + MAX_PAGE_SIZE + ", not " + limit);
    }
    Optional<String> after = cursor.map(DirectoryService::decodeCursor);
    return database.inTransaction(
        tx -> {
          // One row more than asked tells whether another page exists.
          List<User> users = DirectoryTables.usersAfter(tx.connection(), after, limit + 1);
          if (users.size() <= limit) {
            return new Page<>(users, Optional.empty());
          }
          List<User> page = users.subList(0, limit);
          return new Page<>(page, Optional.of(encodeCursor(page.get(limit - 1).id())));
        });
  }

  /** The ids of the permission sets assigned to {@code userId}, in id order. */
  public List<String> permissionSetIdsOf(String userId) {
    requireNonNull(userId, "userId is null");
    return database.inTransaction(
        tx -> DirectoryTables.permissionSetIdsOf(tx.connection(), userId));
  }

  private static String encodeCursor(String lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!id.isEmpty()) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "invalid cursor '" + cursor + "'");
  }

  /**
   * Shares a record (replacing an earlier share to the same grantee) on {@code caller}'s behalf.
   *
   * @throws OrchestrionException NOT_FOUND when the record does not exist, PERMISSION_DENIED when
   *     the caller may not manage its shares (security.ShareManagers)
   */
  public RecordShare share(SecurityContext caller, RecordShare share) {
    requireNonNull(caller, "caller is null");
    requireNonNull(share, "share is null");
    return change(
        tx -> {
          shareManagers.require(tx, caller.userId(), share.objectType(), share.recordId());
          return share(tx, share, caller.userId());
        },
        false);
  }

  /**
   * Shares a record (replacing an earlier share to the same grantee), trusting {@code actorId}: no
   * access check (see {@link #share(SecurityContext, RecordShare)}).
   */
  public RecordShare share(RecordShare share, String actorId) {
    requireNonNull(share, "share is null");
    requireNonNull(actorId, "actorId is null");
    return change(tx -> share(tx, share, actorId), false);
  }

  private RecordShare share(Transaction tx, RecordShare share, String actorId) throws SQLException {
    Connection connection = tx.connection();
    if (recordStores.open(tx).find(share.objectType(), share.recordId()).isEmpty()) {
      throw OrchestrionException.notFound(
          "Record '" + share.recordId() + "' of '" + share.objectType() + "'");
    }
    boolean granteeExists =
        switch (share.granteeType()) {
          case USER -> DirectoryTables.user(connection, "id", share.granteeId()).isPresent();
          case GROUP -> exists(connection, "directory_groups", share.granteeId());
          case ROLE -> exists(connection, "directory_roles", share.granteeId());
        };
    if (!granteeExists) {
      failOn(
          List.of(
              new Problem(
                  "$.granteeId",
                  share.granteeType() + " '" + share.granteeId() + "' does not exist")),
          "Share of record '" + share.recordId() + "'");
    }
    update(
        connection,
        "DELETE FROM record_shares WHERE object_type = ? AND record_id = ? AND grantee_type"
            + " = ? AND grantee_id = ?",
        share.objectType(),
        share.recordId(),
        share.granteeType().name(),
        share.granteeId());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO record_shares (object_type, record_id, grantee_type, grantee_id,"
                + " access_level, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, share.objectType());
      statement.setString(2, share.recordId());
      statement.setString(3, share.granteeType().name());
      statement.setString(4, share.granteeId());
      statement.setString(5, share.access().name());
      statement.setString(6, actorId);
      JdbcValues.setInstant(statement, 7, clock.instant());
      statement.executeUpdate();
    }
    return share;
  }

  /**
   * Removes a share on {@code caller}'s behalf.
   *
   * @throws OrchestrionException NOT_FOUND when the record or the share does not exist,
   *     PERMISSION_DENIED when the caller may not manage the record's shares
   */
  public void unshare(
      SecurityContext caller,
      String objectType,
      String recordId,
      RecordShare.GranteeType granteeType,
      String granteeId) {
    requireNonNull(caller, "caller is null");
    database.inTransaction(
        tx -> {
          shareManagers.require(tx, caller.userId(), objectType, recordId);
          unshare(tx, objectType, recordId, granteeType, granteeId);
          return null;
        });
  }

  /**
   * Removes a share, with no access check.
   *
   * @throws OrchestrionException NOT_FOUND when there is no such share
   */
  public void unshare(
      String objectType, String recordId, RecordShare.GranteeType granteeType, String granteeId) {
    database.inTransaction(
        tx -> {
          unshare(tx, objectType, recordId, granteeType, granteeId);
          return null;
        });
  }

  private static void unshare(
      Transaction tx,
      String objectType,
      String recordId,
      RecordShare.GranteeType granteeType,
      String granteeId)
      throws SQLException {
    if (update(
            tx.connection(),
            "DELETE FROM record_shares WHERE object_type = ? AND record_id = ? AND"
                + " grantee_type = ? AND grantee_id = ?",
            objectType,
            recordId,
            granteeType.name(),
            granteeId)
        == 0) {
      throw OrchestrionException.notFound(
          "Share of record '"
              + recordId
              + "' of '"
              + objectType
              + "' to "
              + granteeType
              + " '"
              + granteeId
              + "'");
    }
  }

  /**
   * The explicit shares of one record, by grantee, as {@code caller} may read them.
   *
   * @throws OrchestrionException NOT_FOUND when the record does not exist, PERMISSION_DENIED when
   *     the caller may not manage its shares
   */
  public List<RecordShare> shares(SecurityContext caller, String objectType, String recordId) {
    requireNonNull(caller, "caller is null");
    return database.inTransaction(
        tx -> {
          shareManagers.require(tx, caller.userId(), objectType, recordId);
          return DirectoryTables.shares(tx.connection(), objectType, recordId);
        });
  }

  /** The explicit shares of one record, by grantee, with no access check. */
  public List<RecordShare> shares(String objectType, String recordId) {
    return database.inTransaction(
        tx -> DirectoryTables.shares(tx.connection(), objectType, recordId));
  }

  /** The explicit shares of one record, read in {@code tx}. */
  public static List<RecordShare> shares(Transaction tx, String objectType, String recordId) {
    try {
      return DirectoryTables.shares(tx.connection(), objectType, recordId);
    } catch (SQLException e) {
      throw Database.databaseError("reading the shares of record '" + recordId + "'", e);
    }
  }

  private <T> T change(io.orchestrion.engine.persistence.TransactionCallback<T> callback) {
    return change(callback, true);
  }

  /**
   * Runs a change; a directory change bumps the revision in the same transaction and drops this
   * node's index after commit; other nodes see the new revision in their next read of it. Shares
   * are read by SQL at query time and need neither.
   */
  private <T> T change(
      io.orchestrion.engine.persistence.TransactionCallback<T> callback, boolean directoryChange) {
    return database.inTransaction(
        tx -> {
          T result = callback.run(tx);
          if (directoryChange) {
            update(
                tx.connection(),
                "UPDATE directory_revision SET revision = revision + 1 WHERE id = 1");
            CacheRevisions.forget(tx);
            tx.afterCommit(security::invalidate);
          }
          return result;
        });
  }

  private void writeGroup(
      Transaction tx,
      String kind,
      String id,
      String name,
      List<GroupMember> members,
      List<String> types)
      throws SQLException {
    Connection connection = tx.connection();
    String what = (kind.equals("QUEUE") ? "Queue '" : "Group '") + id + "'";
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
                  + rows.getString(1).toLowerCase(java.util.Locale.ROOT)
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
            case ROLE, ROLE_AND_SUBORDINATES -> exists(connection, "directory_roles", member.id());
            case GROUP -> {
              if (member.id().equals(id)) {
                problems.add(new Problem(path, "a group cannot contain itself"));
                yield true;
              }
              yield exists(connection, "directory_groups", member.id());
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
    for (int i = 0; i < types.size(); i++) {
      if (objectTypes.find(tx, types.get(i)).isEmpty()) {
        problems.add(
            new Problem(
                "$.objectTypes[" + i + "]", "object type '" + types.get(i) + "' does not exist"));
      }
    }
    failOn(problems, what);
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
    for (String type : new java.util.LinkedHashSet<>(types)) {
      update(
          connection,
          "INSERT INTO directory_queue_object_types (queue_id, object_type) VALUES (?, ?)",
          id,
          type);
    }
  }

  private static void writePermissionSet(Connection connection, PermissionSet set)
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

  private static void writeAssignment(Connection connection, String userId, String setId)
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

  private void writeUser(Connection connection, User user, boolean exists) throws SQLException {
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
      JdbcValues.setInstant(statement, 8, clock.instant());
      statement.setString(9, user.id());
      statement.executeUpdate();
    }
  }

  private static void requireUser(Connection connection, String userId) throws SQLException {
    if (DirectoryTables.user(connection, "id", userId).isEmpty()) {
      throw OrchestrionException.notFound("User '" + userId + "'");
    }
  }

  private static boolean exists(Connection connection, String table, String id)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static int update(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
  }

  private static void failOn(List<Problem> problems, String what) {
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST, what + " is invalid", problems);
    }
  }
}
