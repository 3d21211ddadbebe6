package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /users/{id}}: creates (201) or replaces (200) a user; {@code active: false}
 * deactivates (MANAGE_USERS).
 */
public final class PutUserHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public PutUserHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    String id = DirectoryRequests.pathId(context, "id");
    User user =
        json.read(context, UserBody.class, "User", StandardErrorCode.INVALID_REQUEST).toUser(id);
    boolean existed = directory.directory().user(id).isPresent();
    json.respond(context, existed ? 200 : 201, directory.saveUser(user));
  }
}
