package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;

/**
 * The system permissions that widen what an actor may do with runs (SPEC §3.1, §7): approval admins
 * (APPROVAL_ADMIN) may decide, reassign, recall and cancel anything; run managers (MANAGE_RUNS) may
 * suspend, resume, retry and send events. Inactive users hold no permission here, so that a
 * deactivated admin cannot act. Thread-safe.
 */
public final class ActorPermissions {
  private final EngineSecurity security;

  @Inject
  public ActorPermissions(EngineSecurity security) {
    this.security = requireNonNull(security, "security is null");
  }

  /** Whether the user is an active approval admin; reads the directory revision on its own. */
  public boolean isApprovalAdmin(String userId) {
    return holds(security.index(), userId, SystemPermission.APPROVAL_ADMIN);
  }

  /**
   * Like {@link #isApprovalAdmin(String)}, in {@code index} (a command's, read through its unit of
   * work).
   */
  public boolean isApprovalAdmin(DirectoryIndex index, String userId) {
    return holds(index, userId, SystemPermission.APPROVAL_ADMIN);
  }

  /** Whether the user is an active run manager; reads the directory revision on its own. */
  public boolean mayManageRuns(String userId) {
    return holds(security.index(), userId, SystemPermission.MANAGE_RUNS);
  }

  /** Like {@link #mayManageRuns(String)}, in {@code index}. */
  public boolean mayManageRuns(DirectoryIndex index, String userId) {
    return holds(index, userId, SystemPermission.MANAGE_RUNS);
  }

  /** Whether the user is an active user manager (MANAGE_USERS) in {@code index}. */
  public boolean mayManageUsers(DirectoryIndex index, String userId) {
    return holds(index, userId, SystemPermission.MANAGE_USERS);
  }

  private static boolean holds(DirectoryIndex index, String userId, SystemPermission permission) {
    requireNonNull(userId, "userId is null");
    return index
        .user(userId)
        .filter(User::active)
        .map(user -> index.access(user.id()).permissions().has(permission))
        .orElse(false);
  }
}
