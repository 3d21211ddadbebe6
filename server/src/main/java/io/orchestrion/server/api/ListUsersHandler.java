package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.DirectoryService;
import io.orchestrion.engine.api.Page;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /users?limit=&cursor=}: users in id order, a page at a time (MANAGE_USERS). */
public final class ListUsersHandler implements Handler<RoutingContext> {
  private final DirectoryService directory;
  private final DirectoryAccess access;
  private final JsonBodies json;

  @Inject
  public ListUsersHandler(DirectoryService directory, DirectoryAccess access, JsonBodies json) {
    this.directory = requireNonNull(directory, "directory is null");
    this.access = requireNonNull(access, "access is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    access.requireManageUsers(context);
    int limit =
        QueryParameters.integer(
            context,
            "limit",
            ListSubmissionsHandler.DEFAULT_LIMIT,
            1,
            ListSubmissionsHandler.MAX_LIMIT);
    Page<User> page = directory.users(QueryParameters.string(context, "cursor"), limit);
    json.respond(context, 200, new ListResponse<>(page.items(), page.nextCursor()));
  }
}
