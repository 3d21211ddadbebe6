package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /users/{id}}: one user with the ids of their permission sets (MANAGE_USERS). */
public final class GetUserHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public GetUserHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    String id = DirectoryRequests.pathId(context, "id");
    User user =
        directory
            .directory()
            .user(id)
            .orElseThrow(() -> OrchestrionException.notFound("User '" + id + "'"));
    json.respond(context, 200, UserResponse.of(user, directory.permissionSetIdsOf(id)));
  }
}
