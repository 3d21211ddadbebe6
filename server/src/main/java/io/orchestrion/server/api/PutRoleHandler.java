package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /roles/{id}}: creates (201) or replaces (200) a role; the parent must exist and not be
 * below it (MANAGE_USERS).
 */
public final class PutRoleHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public PutRoleHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    String id = DirectoryRequests.pathId(context, "id");
    Role role =
        json.read(context, RoleBody.class, "Role", StandardErrorCode.INVALID_REQUEST).toRole(id);
    boolean existed = directory.directory().roles().stream().anyMatch(r -> r.id().equals(id));
    json.respond(context, existed ? 200 : 201, directory.saveRole(role));
  }
}
