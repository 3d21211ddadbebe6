package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DirectoryService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code DELETE /users/{id}/permission-sets/{setId}}: takes the permission set from the user; 204,
 * 404 when they do not hold it (MANAGE_USERS).
 */
public final class UnassignPermissionSetHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;

  @Inject
  public UnassignPermissionSetHandler(DirectoryService directory, DirectoryAccess access) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    directory.unassign(
        DirectoryRequests.pathId(context, "id"), DirectoryRequests.pathId(context, "setId"));
    context.response().setStatusCode(204).end();
  }
}
