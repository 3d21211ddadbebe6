package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrationService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /orchestrations/{apiName}/versions/{version}/deactivate}: leaves the orchestration
 * without an active version (new submissions are refused; runs keep their version); 200 with the
 * version.
 */
public final class DeactivateOrchestrationVersionHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;
  private final JsonBodies json;

  @Inject
  public DeactivateOrchestrationVersionHandler(
      OrchestrationService orchestrations, JsonBodies json) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String apiName = context.pathParam("apiName");
    int version = QueryParameters.pathInteger(context, "version");
    json.respond(
        context, 200, orchestrations.deactivate(Permissions.userMode(context), apiName, version));
  }
}
