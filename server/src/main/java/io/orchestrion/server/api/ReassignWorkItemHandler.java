package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.WorkItemService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /work-items/{id}/reassign} {@code {assigneeType: USER|GROUP|QUEUE, assigneeId}}:
 * gives the item to someone else (its assignee or an approval admin); 200 with the item, still
 * ASSIGNED.
 */
public final class ReassignWorkItemHandler implements Handler<RoutingContext> {
  private final WorkItemService workItems;
  private final JsonBodies json;

  @Inject
  public ReassignWorkItemHandler(WorkItemService workItems, JsonBodies json) {
    this.workItems = requireNonNull(workItems, "workItems is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    ReassignBody body =
        json.read(context, ReassignBody.class, "Reassignment", StandardErrorCode.INVALID_REQUEST);
    json.respond(
        context,
        200,
        workItems.reassign(
            context.pathParam("id"),
            body.assigneeType(),
            body.assigneeId(),
            AuthenticatedUser.of(context).userId()));
  }
}
