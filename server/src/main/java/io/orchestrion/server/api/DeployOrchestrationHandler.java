package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.OrchestrationService;
import io.orchestrion.engine.api.DeployedOrchestration;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /orchestrations[?activate=true]}: deploys a new version (201), or returns the latest
 * version (200) when it is identical to the body (deploys are idempotent, SPEC §2).
 */
public final class DeployOrchestrationHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;
  private final JsonBodies json;

  @Inject
  public DeployOrchestrationHandler(OrchestrationService orchestrations, JsonBodies json) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    boolean activate =
        QueryParameters.parsed(context, "activate", ApiRoutes::parseBoolean, "true or false")
            .orElse(false);
    OrchestrationDefinition definition =
        json.read(
            context,
            OrchestrationDefinition.class,
            "Orchestration definition",
            StandardErrorCode.INVALID_DEFINITION);
    int latestBefore = latestVersion(definition.apiName());
    DeployedOrchestration deployed =
        orchestrations.deploy(Permissions.userMode(context), definition, activate);
    context
        .response()
        .putHeader(
            HttpHeaders.LOCATION,
            ApiRoutes.versionPath("orchestrations", deployed.apiName(), deployed.version()));
    json.respond(context, deployed.version() > latestBefore ? 201 : 200, deployed);
  }

  private int latestVersion(String apiName) {
    try {
      return orchestrations.versions(apiName).stream()
          .mapToInt(DeployedOrchestration::version)
          .max()
          .orElse(0);
    } catch (OrchestrionException e) {
      if (e.getErrorCode().type() == ErrorType.NOT_FOUND) {
        return 0;
      }
      throw e;
    }
  }
}
