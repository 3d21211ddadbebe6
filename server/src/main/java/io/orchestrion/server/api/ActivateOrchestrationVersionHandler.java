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
 * {@code POST /orchestrations/{apiName}/versions/{version}/activate}: validates the version and
 * what it references (422 with the problems) and makes it the active one.
 */
public final class ActivateOrchestrationVersionHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;
  private final JsonBodies json;

  @Inject
  public ActivateOrchestrationVersionHandler(OrchestrationService orchestrations, JsonBodies json) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        orchestrations.activate(
            Permissions.userMode(context),
            context.pathParam("apiName"),
            QueryParameters.pathInteger(context, "version")));
  }
}
