package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.WorkItemService;
import io.orchestrion.server.api.IdempotencyCache.StoredResponse;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /work-items/{id}/decision} {@code {decision: APPROVE|REJECT, comments}}: decides the
 * item; 200 with the decided item. The first decision wins; a later one is a 409 naming who
 * decided. Honours {@code Idempotency-Key} (a retried request gets the first answer, not a 409).
 */
public final class DecideWorkItemHandler implements Handler<RoutingContext> {
  private final WorkItemService workItems;
  private final IdempotencyCache idempotency;
  private final JsonBodies json;

  @Inject
  public DecideWorkItemHandler(
      WorkItemService workItems, IdempotencyCache idempotency, JsonBodies json) {
    this.workItems = requireNonNull(workItems, "workItems is null");
    this.idempotency = requireNonNull(idempotency, "idempotency is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    String id = context.pathParam("id");
    DecisionBody body =
        json.read(context, DecisionBody.class, "Decision", StandardErrorCode.INVALID_REQUEST);
    String key = context.request().getHeader(CreateSubmissionHandler.IDEMPOTENCY_KEY);
    StoredResponse response =
        key == null || key.isBlank()
            ? decide(id, body, userId)
            : idempotency.execute(
                userId, key.trim(), id + " " + body, () -> decide(id, body, userId));
    json.respond(context, response.status(), response.body());
  }

  private StoredResponse decide(String id, DecisionBody body, String userId) {
    return new StoredResponse(200, workItems.decide(id, body.decision(), body.comments(), userId));
  }
}
