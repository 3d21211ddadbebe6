package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.directory.DirectoryChecks;
import io.orchestrion.engine.directory.DirectoryTables;
import io.orchestrion.engine.directory.DirectoryWrites;
import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.ObjectTypeStore;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.directory.Directory;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PermissionSetAssignment;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes the engine's directory (users, roles, public groups, queues, permission sets and their
 * assignments); record shares are {@link RecordShareService}'s. Every change validates its input
 * ({@link DirectoryChecks}), reporting every problem with its JSON path, and bumps the directory
 * revision in the same transaction, so that every node rebuilds its index of the directory (SPEC
 * §7) on its next decision. Saves are upserts by id ({@link DirectoryWrites}).
 */
public final class DirectoryService {
  /** The permission set of the built-in administrator: every system permission. */
  public static final String ADMINISTRATOR_PERMISSION_SET_ID = "system-administrator";

  /** The largest page of {@link #users(Optional, int)}. */
  public static final int MAX_PAGE_SIZE = 500;

  private final UnitsOfWork units;
  private final JdbcDirectory directory;
  private final EngineSecurity security;
  private final ObjectTypeStore objectTypes;

  @Inject
  public DirectoryService(
      UnitsOfWork units,
      JdbcDirectory directory,
      EngineSecurity security,
      ObjectTypeStore objectTypes) {
    this.units = requireNonNull(units, "units is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.security = requireNonNull(security, "security is null");
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
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
        (tx, now) -> {
          Connection connection = tx.connection();
          if (DirectoryTables.user(connection, "id", SystemUsers.AUTOMATED_PROCESS_USER_ID)
              .isEmpty()) {
            DirectoryWrites.writeUser(
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
                false,
                now);
          }
          if (!DirectoryWrites.exists(
              connection, "directory_permission_sets", ADMINISTRATOR_PERMISSION_SET_ID)) {
            DirectoryWrites.writePermissionSet(
                connection,
                new PermissionSet(
                    ADMINISTRATOR_PERMISSION_SET_ID,
                    "System administrator",
                    Map.of(),
                    Map.of(),
                    EnumSet.allOf(SystemPermission.class)));
          }
          if (DirectoryTables.user(connection, "id", EngineActors.ADMIN).isEmpty()) {
            DirectoryWrites.writeUser(
                connection, User.of(EngineActors.ADMIN, "Administrator"), false, now);
            DirectoryWrites.writeAssignment(
                connection, EngineActors.ADMIN, ADMINISTRATOR_PERMISSION_SET_ID);
          }
          return null;
        });
  }

  /** Creates or replaces a user. The automated process user cannot be changed. */
  public User saveUser(User user) {
    requireNonNull(user, "user is null");
    DirectoryChecks.checkLengths(user);
    return change(
        (tx, now) -> {
          boolean exists = DirectoryChecks.checkUser(tx.connection(), user);
          DirectoryWrites.writeUser(tx.connection(), user, exists, now);
          return user;
        });
  }

  /** Creates or replaces a role; its parent must exist and must not be below it. */
  public Role saveRole(Role role) {
    requireNonNull(role, "role is null");
    DirectoryChecks.checkLengths(role);
    return change(
        (tx, now) -> {
          DirectoryChecks.checkParent(tx.connection(), role);
          DirectoryWrites.writeRole(tx.connection(), role);
          return role;
        });
  }

  public PublicGroup saveGroup(PublicGroup group) {
    requireNonNull(group, "group is null");
    DirectoryChecks.checkLengths(group);
    return change(
        (tx, now) -> {
          writeGroup(tx, "GROUP", group.id(), group.name(), group.members(), List.of());
          return group;
        });
  }

  /** Creates or replaces a queue; its object types must exist. */
  public Queue saveQueue(Queue queue) {
    requireNonNull(queue, "queue is null");
    DirectoryChecks.checkLengths(queue);
    return change(
        (tx, now) -> {
          writeGroup(tx, "QUEUE", queue.id(), queue.name(), queue.members(), queue.objectTypes());
          return queue;
        });
  }

  public PermissionSet savePermissionSet(PermissionSet set) {
    requireNonNull(set, "set is null");
    DirectoryChecks.checkLengths(set);
    return change(
        (tx, now) -> {
          DirectoryWrites.writePermissionSet(tx.connection(), set);
          return set;
        });
  }

  /** Gives a user a permission set (no effect if they hold it already). */
  public void assign(String userId, String permissionSetId) {
    // Validates both ids (IllegalArgumentException for a malformed one).
    PermissionSetAssignment assignment = new PermissionSetAssignment(userId, permissionSetId);
    change(
        (tx, now) -> {
          Connection connection = tx.connection();
          if (DirectoryTables.user(connection, "id", assignment.userId()).isEmpty()) {
            throw OrchestrionException.notFound("User '" + assignment.userId() + "'");
          }
          if (!DirectoryWrites.exists(connection, "directory_permission_sets", permissionSetId)) {
            throw OrchestrionException.notFound("Permission set '" + permissionSetId + "'");
          }
          DirectoryWrites.writeAssignment(connection, userId, permissionSetId);
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
        (tx, now) -> {
          if (!DirectoryWrites.deleteAssignment(tx.connection(), userId, permissionSetId)) {
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
        (tx, now) -> {
          Connection connection = tx.connection();
          if (!DirectoryTables.groupKind(connection, groupId).map(kind::equals).orElse(false)) {
            throw OrchestrionException.notFound(noun + " '" + groupId + "'");
          }
          DirectoryWrites.deleteGroup(connection, groupId);
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
    return units.call(
        uow -> {
          Transaction tx = uow.transaction();
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
    return units.call(uow -> DirectoryTables.permissionSetIdsOf(uow.connection(), userId));
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
   * Runs a directory change as one unit of work: it bumps the revision in the same transaction and
   * drops this node's index after commit; other nodes see the new revision in their next read of
   * it.
   */
  private <T> T change(DirectoryChange<T> change) {
    return units.call(
        uow -> {
          T result = change.apply(uow.transaction(), uow.now());
          DirectoryWrites.bumpRevision(uow.connection());
          uow.directoryChanged();
          uow.afterCommit(security::invalidate);
          return result;
        });
  }

  /** A change of the directory, given the command's transaction and its one clock reading. */
  @FunctionalInterface
  private interface DirectoryChange<T> {
    T apply(Transaction tx, Instant now) throws SQLException;
  }

  /** Validates and writes a public group or queue; a queue's object types must exist. */
  private void writeGroup(
      Transaction tx,
      String kind,
      String id,
      String name,
      List<GroupMember> members,
      List<String> types)
      throws SQLException {
    List<Problem> problems = DirectoryChecks.checkGroup(tx.connection(), kind, id, members);
    for (int i = 0; i < types.size(); i++) {
      if (objectTypes.find(tx, types.get(i)).isEmpty()) {
        problems.add(
            new Problem(
                "$.objectTypes[" + i + "]", "object type '" + types.get(i) + "' does not exist"));
      }
    }
    DirectoryChecks.failOn(problems, (kind.equals("QUEUE") ? "Queue '" : "Group '") + id + "'");
    DirectoryWrites.writeGroup(tx.connection(), kind, id, name, members, types);
  }
}
