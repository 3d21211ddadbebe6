package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.engine.AccessService;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.SystemPermission;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * Authorization of API requests by system permission, from the caller's effective permissions in
 * the directory index ({@link AccessService}). The route table puts {@link #requiring} in front of
 * each endpoint that needs a permission the engine does not check itself (MANAGE_RUNS for events,
 * MANAGE_TOKENS), with the engine's message; record access, run visibility and who may change
 * definitions are decided by the engine for the caller's {@link #userMode security context}.
 */
public final class Permissions {
  private final AccessService access;

  @Inject
  public Permissions(AccessService access) {
    this.access = requireNonNull(access, "access is null");
  }

  /**
   * A handler that lets the request through only if the caller holds {@code permission}.
   *
   * @param action what the endpoint does, for the message ("deploy flows")
   */
  public Handler<RoutingContext> requiring(SystemPermission permission, String action) {
    requireNonNull(permission, "permission is null");
    requireNonNull(action, "action is null");
    return context -> {
      require(AuthenticatedUser.of(context).userId(), permission, action);
      context.next();
    };
  }

  /**
   * Passes when the user holds {@code permission}.
   *
   * @throws OrchestrionException PERMISSION_DENIED naming the user, the action and the permission
   */
  public void require(String userId, SystemPermission permission, String action) {
    access.requirePermission(userId, permission, action);
  }

  public boolean has(String userId, SystemPermission permission) {
    return access.hasPermission(userId, permission);
  }

  /** The caller's access as the engine enforces it for API requests: USER mode (SPEC §7). */
  public static SecurityContext userMode(RoutingContext context) {
    return new SecurityContext(AuthenticatedUser.of(context).userId(), RunMode.USER);
  }
}
