package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.WorkItemService;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Arrays;

/**
 * {@code GET /work-items?status=&limit=&cursor=}: the caller's inbox, the work items assigned to
 * them directly or through a group or queue they belong to; {@code status} defaults to ASSIGNED.
 */
public final class ListWorkItemsHandler implements Handler<RoutingContext> {
  private final WorkItemService workItems;
  private final JsonBodies json;

  @Inject
  public ListWorkItemsHandler(WorkItemService workItems, JsonBodies json) {
    this.workItems = requireNonNull(workItems, "workItems is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    WorkItemStatus status =
        QueryParameters.parsed(
                context,
                "status",
                WorkItemStatus::valueOf,
                "one of " + Arrays.toString(WorkItemStatus.values()))
            .orElse(WorkItemStatus.ASSIGNED);
    int limit =
        QueryParameters.integer(
            context,
            "limit",
            ListSubmissionsHandler.DEFAULT_LIMIT,
            1,
            ListSubmissionsHandler.MAX_LIMIT);
    Page<WorkItemView> page =
        workItems.inbox(
            AuthenticatedUser.of(context).userId(),
            status,
            QueryParameters.string(context, "cursor"),
            limit);
    json.respond(context, 200, new ListResponse<>(page.items(), page.nextCursor()));
  }
}
