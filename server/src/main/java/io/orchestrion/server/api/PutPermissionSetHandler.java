package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.PermissionSet;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /permission-sets/{id}}: creates (201) or replaces (200) a permission set
 * (MANAGE_USERS).
 */
public final class PutPermissionSetHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public PutPermissionSetHandler(
      DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    String id = DirectoryRequests.pathId(context, "id");
    PermissionSet set =
        json.read(
                context,
                PermissionSetBody.class,
                "Permission set",
                StandardErrorCode.INVALID_REQUEST)
            .toPermissionSet(id);
    boolean existed =
        directory.directory().permissionSets().stream().anyMatch(s -> s.id().equals(id));
    json.respond(context, existed ? 200 : 201, directory.savePermissionSet(set));
  }
}
