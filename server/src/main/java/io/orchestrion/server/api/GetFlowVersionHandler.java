package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.FlowService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /flows/{apiName}/versions/{version}}: the version with its analysis. */
public final class GetFlowVersionHandler implements Handler<RoutingContext> {
  private final FlowService flows;
  private final JsonBodies json;

  @Inject
  public GetFlowVersionHandler(FlowService flows, JsonBodies json) {
    this.flows = requireNonNull(flows, "flows is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        flows.version(
            context.pathParam("apiName"), QueryParameters.pathInteger(context, "version")));
  }
}
