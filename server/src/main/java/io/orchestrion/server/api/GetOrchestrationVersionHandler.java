package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrationService;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /orchestrations/{apiName}/versions/{version}}: the version with its analysis. */
public final class GetOrchestrationVersionHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;
  private final JsonBodies json;

  @Inject
  public GetOrchestrationVersionHandler(OrchestrationService orchestrations, JsonBodies json) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        orchestrations.version(
            context.pathParam("apiName"), QueryParameters.pathInteger(context, "version")));
  }
}
