package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RunAudience;
import io.orchestrion.engine.WorkItemService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /runs/{id}/work-items}: every work item of the run, oldest first. */
public final class ListRunWorkItemsHandler implements Handler<RoutingContext> {
  private final WorkItemService workItems;
  private final RunAudience audience;
  private final JsonBodies json;
  private final ActionViews views;

  @Inject
  public ListRunWorkItemsHandler(
      WorkItemService workItems, RunAudience audience, JsonBodies json, ActionViews views) {
    this.workItems = requireNonNull(workItems, "workItems is null");
    this.audience = requireNonNull(audience, "audience is null");
    this.json = requireNonNull(json, "json is null");
    this.views = requireNonNull(views, "views is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String runId = context.pathParam("id");
    audience.requireVisibleRun(runId, AuthenticatedUser.of(context).userId());
    json.respond(
        context,
        200,
        new ListResponse<>(
            views.of(context).workItems(workItems.ofRun(runId)),
            java.util.Optional.<String>empty()));
  }
}
