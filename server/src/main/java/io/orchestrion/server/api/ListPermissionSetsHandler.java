package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DirectoryService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /permission-sets}: every permission set in id order, not paginated (MANAGE_USERS). */
public final class ListPermissionSetsHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public ListPermissionSetsHandler(
      DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    json.respond(context, 200, ListResponse.of(directory.directory().permissionSets()));
  }
}
