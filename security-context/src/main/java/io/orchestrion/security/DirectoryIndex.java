package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.directory.Directory;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.PermissionSetAssignment;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.Queue;
import io.orchestrion.spi.directory.Role;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable index of one revision of a {@link Directory}, built once so that access decisions
 * never walk the directory: role children, members of groups by member (reverse index), users by
 * role, permission sets by user. What it derives per user ({@link UserAccess}) is computed on first
 * use and kept for the life of the index, i.e. until the directory changes. Thread-safe.
 */
public final class DirectoryIndex {
  private final long revision;
  private final Map<String, User> users;
  private final Map<String, User> usersByUsername;
  private final Map<String, Role> roles;
  private final Map<String, List<String>> childRoles;
  private final Map<String, List<String>> usersByRole;
  private final Map<String, List<String>> groupsByMember;
  private final Map<String, PermissionSet> permissionSets;
  private final Map<String, List<String>> permissionSetsByUser;
  private final Map<String, UserAccess> access = new ConcurrentHashMap<>();

  private DirectoryIndex(Directory directory) {
    this.revision = directory.revision();
    Map<String, User> byId = new HashMap<>();
    Map<String, User> byUsername = new HashMap<>();
    Map<String, List<String>> byRole = new HashMap<>();
    for (User user : directory.users()) {
      byId.put(user.id(), user);
      byUsername.put(user.username(), user);
      user.roleId()
          .ifPresent(role -> byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(user.id()));
    }
    this.users = Map.copyOf(byId);
    this.usersByUsername = Map.copyOf(byUsername);
    this.usersByRole = byRole;
    Map<String, Role> roleMap = new HashMap<>();
    Map<String, List<String>> children = new HashMap<>();
    for (Role role : directory.roles()) {
      roleMap.put(role.id(), role);
      role.parentRoleId()
          .ifPresent(
              parent -> children.computeIfAbsent(parent, p -> new ArrayList<>()).add(role.id()));
    }
    this.roles = Map.copyOf(roleMap);
    this.childRoles = children;
    Map<String, List<String>> containing = new HashMap<>();
    for (PublicGroup group : directory.groups()) {
      index(containing, group.id(), group.members());
    }
    for (Queue queue : directory.queues()) {
      index(containing, queue.id(), queue.members());
    }
    this.groupsByMember = containing;
    Map<String, PermissionSet> sets = new HashMap<>();
    for (PermissionSet set : directory.permissionSets()) {
      sets.put(set.id(), set);
    }
    this.permissionSets = Map.copyOf(sets);
    Map<String, List<String>> assigned = new HashMap<>();
    for (PermissionSetAssignment assignment : directory.assignments()) {
      assigned
          .computeIfAbsent(assignment.userId(), u -> new ArrayList<>())
          .add(assignment.permissionSetId());
    }
    this.permissionSetsByUser = assigned;
  }

  /** Reads every list of {@code directory} once and indexes it. */
  public static DirectoryIndex build(Directory directory) {
    return new DirectoryIndex(requireNonNull(directory, "directory is null"));
  }

  private static void index(
      Map<String, List<String>> containing, String groupId, List<GroupMember> members) {
    for (GroupMember member : members) {
      containing
          .computeIfAbsent(key(member.type(), member.id()), k -> new ArrayList<>())
          .add(groupId);
    }
  }

  private static String key(GroupMember.Type type, String id) {
    return type.name() + ':' + id;
  }

  public long revision() {
    return revision;
  }

  public Optional<User> user(String id) {
    return Optional.ofNullable(users.get(requireNonNull(id, "id is null")));
  }

  /** Every user of the directory (active or not), in no particular order. */
  public java.util.Collection<User> users() {
    return users.values();
  }

  public Optional<User> userByUsername(String username) {
    return Optional.ofNullable(usersByUsername.get(requireNonNull(username, "username is null")));
  }

  public Optional<Role> role(String id) {
    return Optional.ofNullable(roles.get(id));
  }

  /**
   * The access facts of a user.
   *
   * @throws OrchestrionException NOT_FOUND when the directory has no such user
   */
  public UserAccess access(String userId) {
    requireNonNull(userId, "userId is null");
    UserAccess cached = access.get(userId);
    if (cached != null) {
      return cached;
    }
    User user =
        user(userId).orElseThrow(() -> OrchestrionException.notFound("User '" + userId + "'"));
    UserAccess computed = compute(user);
    access.putIfAbsent(userId, computed);
    return computed;
  }

  /**
   * The user a flow may run as (SPEC §7): it exists and is active.
   *
   * @param purpose what the user is for, for the message (e.g. "runAs SUBMITTER of step 'x'")
   * @throws OrchestrionException INVALID_REQUEST saying what is wrong and that the step can be
   *     retried once it is fixed
   */
  public User requireRunnable(String userId, String purpose) {
    requireNonNull(userId, "userId is null");
    User user =
        user(userId)
            .orElseThrow(
                () ->
                    new OrchestrionException(
                        StandardErrorCode.INVALID_REQUEST,
                        purpose
                            + ": user '"
                            + userId
                            + "' does not exist; create the user or change the setting, then"
                            + " retry the step"));
    if (!user.active()) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          purpose
              + ": user '"
              + userId
              + "' ("
              + user.displayName()
              + ") is inactive; activate the user or change the setting, then retry the step");
    }
    return user;
  }

  /** The roles above {@code roleId}, nearest first (cycles are cut). */
  public List<String> rolesAbove(String roleId) {
    List<String> above = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(roleId);
    Optional<String> parent = role(roleId).flatMap(Role::parentRoleId);
    while (parent.isPresent() && seen.add(parent.get())) {
      above.add(parent.get());
      parent = role(parent.get()).flatMap(Role::parentRoleId);
    }
    return above;
  }

  /** The roles below {@code roleId}, at any depth (cycles are cut). */
  public Set<String> rolesBelow(String roleId) {
    Set<String> below = new LinkedHashSet<>();
    Deque<String> pending = new ArrayDeque<>(childRoles.getOrDefault(roleId, List.of()));
    while (!pending.isEmpty()) {
      String role = pending.pop();
      if (!role.equals(roleId) && below.add(role)) {
        pending.addAll(childRoles.getOrDefault(role, List.of()));
      }
    }
    return below;
  }

  private UserAccess compute(User user) {
    Set<String> ownerScope = new HashSet<>();
    ownerScope.add(user.id());
    Set<String> groups = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.add(key(GroupMember.Type.USER, user.id()));
    if (user.roleId().isPresent()) {
      String role = user.roleId().get();
      for (String below : rolesBelow(role)) {
        ownerScope.addAll(usersByRole.getOrDefault(below, List.of()));
      }
      pending.add(key(GroupMember.Type.ROLE, role));
      pending.add(key(GroupMember.Type.ROLE_AND_SUBORDINATES, role));
      for (String above : rolesAbove(role)) {
        pending.add(key(GroupMember.Type.ROLE_AND_SUBORDINATES, above));
      }
    }
    // Breadth-first through the reverse index: groups containing the user, then groups
    // containing those groups; the visited set cuts cycles between nested groups.
    while (!pending.isEmpty()) {
      for (String group : groupsByMember.getOrDefault(pending.pop(), List.of())) {
        if (groups.add(group)) {
          pending.add(key(GroupMember.Type.GROUP, group));
        }
      }
    }
    List<PermissionSet> sets = new ArrayList<>();
    for (String setId : permissionSetsByUser.getOrDefault(user.id(), List.of())) {
      PermissionSet set = permissionSets.get(setId);
      if (set != null) {
        sets.add(set);
      }
    }
    // The automated process user acts for the engine: in the modes that check permissions it
    // may still touch every record (a flow that wants less runs as a real user).
    Set<SystemPermission> builtIn =
        user.automatedProcess()
            ? EnumSet.of(SystemPermission.VIEW_ALL_DATA, SystemPermission.MODIFY_ALL_DATA)
            : EnumSet.noneOf(SystemPermission.class);
    return new UserAccess(user, groups, ownerScope, EffectivePermissions.of(sets, builtIn));
  }
}
