package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrationService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /orchestrations/{apiName}/versions}: every kept version (at most 50), oldest first.
 */
public final class ListOrchestrationVersionsHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;
  private final JsonBodies json;

  @Inject
  public ListOrchestrationVersionsHandler(OrchestrationService orchestrations, JsonBodies json) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context, 200, ListResponse.of(orchestrations.versions(context.pathParam("apiName"))));
  }
}
