package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrationService;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code DELETE /orchestrations/{apiName}/versions/{version}}: deletes an inactive version; 204.
 * 409 for the active version or one an unfinished run still uses (SPEC §2).
 */
public final class DeleteOrchestrationVersionHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;

  @Inject
  public DeleteOrchestrationVersionHandler(OrchestrationService orchestrations) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String apiName = context.pathParam("apiName");
    int version = QueryParameters.pathInteger(context, "version");
    orchestrations.delete(Permissions.userMode(context), apiName, version);
    context.response().setStatusCode(204).end();
  }
}
