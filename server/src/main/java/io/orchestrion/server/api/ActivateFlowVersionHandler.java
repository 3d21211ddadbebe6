package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.FlowService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /flows/{apiName}/versions/{version}/activate}: validates the version and what it
 * references (422 with the problems) and makes it the active one.
 */
public final class ActivateFlowVersionHandler implements Handler<RoutingContext> {
  private final FlowService flows;
  private final JsonBodies json;

  @Inject
  public ActivateFlowVersionHandler(FlowService flows, JsonBodies json) {
    this.flows = requireNonNull(flows, "flows is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        flows.activate(
            Permissions.userMode(context),
            context.pathParam("apiName"),
            QueryParameters.pathInteger(context, "version")));
  }
}
