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
 * {@code POST /work-items/{id}/decision} {@code {decision: APPROVE|REJECT, comments}}: decides the
 * item; 200 with the decided item. The first decision wins; a later one is a 409 naming who
 * decided. Honours {@code Idempotency-Key}, stored by the engine in the deciding transaction (a
 * retried request gets the decided item, not a 409).
 */
public final class DecideWorkItemHandler implements Handler<RoutingContext> {
  private final WorkItemService workItems;
  private final JsonBodies json;

  @Inject
  public DecideWorkItemHandler(WorkItemService workItems, JsonBodies json) {
    this.workItems = requireNonNull(workItems, "workItems is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    String id = context.pathParam("id");
    DecisionBody body =
        json.read(context, DecisionBody.class, "Decision", StandardErrorCode.INVALID_REQUEST);
    json.respond(
        context,
        200,
        workItems.decide(
            id,
            body.decision(),
            body.comments(),
            userId,
            CreateSubmissionHandler.idempotencyKey(context)));
  }
}
