package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.spi.directory.SystemPermission;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * Who may call the directory endpoints (issue #4): MANAGE_USERS. Decisions read the directory index
 * of the current revision, so a permission taken away applies to the next request; who holds which
 * system permission is {@link Permissions}' answer (the caller is an active user: authentication
 * refuses others). Who may manage a record's shares is decided by the engine ({@code
 * RecordShareService.share(SecurityContext, ...)}, {@code shares}, {@code unshare}).
 */
public final class DirectoryAccess {
  private final Permissions permissions;

  @Inject
  public DirectoryAccess(Permissions permissions) {
    this.permissions = requireNonNull(permissions, "permissions is null");
  }

  /**
   * @throws OrchestrionException PERMISSION_DENIED (403) unless the caller holds MANAGE_USERS
   */
  public void requireManageUsers(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    if (!permissions.has(userId, SystemPermission.MANAGE_USERS)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '"
              + userId
              + "' needs MANAGE_USERS for "
              + context.request().method()
              + " "
              + context.request().path());
    }
  }
}
