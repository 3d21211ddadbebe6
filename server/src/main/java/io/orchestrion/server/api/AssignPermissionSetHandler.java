package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DirectoryService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /users/{id}/permission-sets/{setId}}: gives the user the permission set (no effect if
 * they hold it); 204, 404 when either does not exist (MANAGE_USERS).
 */
public final class AssignPermissionSetHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;

  @Inject
  public AssignPermissionSetHandler(DirectoryService directory, DirectoryAccess access) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    directory.assign(
        DirectoryRequests.pathId(context, "id"), DirectoryRequests.pathId(context, "setId"));
    context.response().setStatusCode(204).end();
  }
}
