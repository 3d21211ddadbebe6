package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.FlowService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /flows/{apiName}/versions}: every kept version (at most 50), oldest first. */
public final class ListFlowVersionsHandler implements Handler<RoutingContext> {
  private final FlowService flows;
  private final JsonBodies json;

  @Inject
  public ListFlowVersionsHandler(FlowService flows, JsonBodies json) {
    this.flows = requireNonNull(flows, "flows is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(context, 200, ListResponse.of(flows.versions(context.pathParam("apiName"))));
  }
}
