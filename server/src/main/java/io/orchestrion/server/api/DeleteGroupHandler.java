package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code DELETE /groups/{id}}: deletes a public group, its memberships and the shares to it; 204
 * (MANAGE_USERS).
 */
public final class DeleteGroupHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public DeleteGroupHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    directory.deleteGroup(DirectoryRequests.pathId(context, "id"));
    context.response().setStatusCode(204).end();
  }
}
