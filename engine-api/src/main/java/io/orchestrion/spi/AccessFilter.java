package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.ShareAccess;
import java.util.Optional;
import java.util.Set;

/**
 * The records one user may reach through sharing, for a {@link RecordStore} to apply in its query
 * (in SQL, never by loading and filtering): a record passes when its owner is one of {@code
 * ownerIds}, or when it has an explicit share whose access is one of {@code shareAccess} to {@code
 * userId}, to one of {@code groupIds} or to {@code roleId}. The caller has already ruled out the
 * cases that need no filter (an org-wide default that grants the access, VIEW_ALL/MODIFY_ALL,
 * system context without sharing).
 *
 * @param ownerIds the user and everyone below them in the role hierarchy
 * @param groupIds the public groups and queues the user belongs to, directly or not
 * @param shareAccess the share levels that count; empty when shares do not grant the access (e.g.
 *     deleting needs ownership)
 */
public record AccessFilter(
    Set<String> ownerIds,
    String userId,
    Set<String> groupIds,
    Optional<String> roleId,
    Set<ShareAccess> shareAccess) {
  public AccessFilter {
    ownerIds = Set.copyOf(ownerIds);
    requireNonNull(userId, "userId is null");
    groupIds = Set.copyOf(groupIds);
    requireNonNull(roleId, "roleId is null");
    shareAccess = Set.copyOf(shareAccess);
    if (!ownerIds.contains(userId)) {
      throw new IllegalArgumentException("ownerIds must contain the user '" + userId + "'");
    }
  }
}
