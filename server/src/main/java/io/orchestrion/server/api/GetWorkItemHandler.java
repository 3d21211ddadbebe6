package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.WorkItemService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /work-items/{id}}: one work item, for its assignees, the submitter, approval admins
 * and run managers.
 */
public final class GetWorkItemHandler implements Handler<RoutingContext> {
  private final WorkItemService workItems;
  private final JsonBodies json;
  private final ActionViews views;

  @Inject
  public GetWorkItemHandler(WorkItemService workItems, JsonBodies json, ActionViews views) {
    this.workItems = requireNonNull(workItems, "workItems is null");
    this.json = requireNonNull(json, "json is null");
    this.views = requireNonNull(views, "views is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        views
            .of(context)
            .workItem(
                workItems.get(context.pathParam("id"), AuthenticatedUser.of(context).userId())));
  }
}
