package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.AccessFilter;
import io.orchestrion.spi.directory.ShareAccess;
import io.orchestrion.spi.directory.User;
import java.util.Set;

/**
 * What the access decisions need to know about one user, computed once per directory revision:
 * their transitive groups and queues, the users whose records they reach through the role
 * hierarchy, and their effective permissions.
 *
 * @param groupIds public groups and queues the user belongs to, directly, through a role or
 *     role-and-subordinates member, or through nested groups
 * @param ownerScope the user and every user in a role below the user's role
 */
public record UserAccess(
    User user, Set<String> groupIds, Set<String> ownerScope, EffectivePermissions permissions) {
  public UserAccess {
    requireNonNull(user, "user is null");
    groupIds = Set.copyOf(groupIds);
    ownerScope = Set.copyOf(ownerScope);
    requireNonNull(permissions, "permissions is null");
  }

  public String userId() {
    return user.id();
  }

  /** The sharing filter for records reachable by ownership or by a share of one of the levels. */
  public AccessFilter filter(Set<ShareAccess> shareLevels) {
    return new AccessFilter(ownerScope, user.id(), groupIds, user.roleId(), shareLevels);
  }
}
