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
 * {@code POST /flows/{apiName}/versions/{version}/deactivate}: leaves the flow without an active
 * version; 200 with the version. 409 naming every active orchestration (version and step) that uses
 * the flow (SPEC §2).
 */
public final class DeactivateFlowVersionHandler implements Handler<RoutingContext> {
  private final FlowService flows;
  private final JsonBodies json;

  @Inject
  public DeactivateFlowVersionHandler(FlowService flows, JsonBodies json) {
    this.flows = requireNonNull(flows, "flows is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String apiName = context.pathParam("apiName");
    int version = QueryParameters.pathInteger(context, "version");
    json.respond(context, 200, flows.deactivate(Permissions.userMode(context), apiName, version));
  }
}
