package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.FlowService;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code DELETE /flows/{apiName}/versions/{version}}: deletes an inactive version; 204. 409 for the
 * active version or one a running or paused interview still runs (SPEC §2).
 */
public final class DeleteFlowVersionHandler implements Handler<RoutingContext> {
  private final FlowService flows;

  @Inject
  public DeleteFlowVersionHandler(FlowService flows) {
    this.flows = requireNonNull(flows, "flows is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String apiName = context.pathParam("apiName");
    int version = QueryParameters.pathInteger(context, "version");
    flows.delete(Permissions.userMode(context), apiName, version);
    context.response().setStatusCode(204).end();
  }
}
