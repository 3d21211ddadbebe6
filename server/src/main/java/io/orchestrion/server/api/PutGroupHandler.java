package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.spi.directory.PublicGroup;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code PUT /groups/{id}}: creates (201) or replaces (200) a public group and all its members
 * (MANAGE_USERS).
 */
public final class PutGroupHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public PutGroupHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    String id = DirectoryRequests.pathId(context, "id");
    PublicGroup group =
        json.read(context, GroupBody.class, "Group", StandardErrorCode.INVALID_REQUEST).toGroup(id);
    boolean existed = directory.directory().groups().stream().anyMatch(g -> g.id().equals(id));
    json.respond(context, existed ? 200 : 201, directory.saveGroup(group));
  }
}
