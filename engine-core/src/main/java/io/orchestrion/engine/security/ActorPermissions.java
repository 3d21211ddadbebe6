package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import jakarta.inject.Inject;

/**
 * The system permissions that widen what an actor may do with runs (SPEC §3.1, §7): approval admins
 * (APPROVAL_ADMIN) may decide, reassign, recall and cancel anything; run managers (MANAGE_RUNS) may
 * suspend, resume, retry and send events; {@link #require} states the refusal of any system
 * permission once, for the engine's services and the server alike. Inactive users hold no
 * permission here, so that a deactivated admin cannot act. Thread-safe.
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

  /**
   * Passes when the user is active and holds {@code permission}; reads the directory revision on
   * its own (call it outside a transaction).
   *
   * @param action what the caller tries to do, for the message ("deploy flows")
   * @throws OrchestrionException PERMISSION_DENIED naming the user, the action and the permission
   */
  public void require(String userId, SystemPermission permission, String action) {
    requireNonNull(permission, "permission is null");
    requireNonNull(action, "action is null");
    if (!holds(security.index(), userId, permission)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not %s: that needs the system permission %s"
              .formatted(userId, action, permission));
    }
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
