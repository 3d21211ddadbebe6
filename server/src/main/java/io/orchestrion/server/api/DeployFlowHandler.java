package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.engine.FlowService;
import io.orchestrion.engine.api.DeployedFlow;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /flows[?activate=true]}: deploys a new version (201), or returns the latest version
 * (200) when it is identical to the body (deploys are idempotent, SPEC §2).
 */
public final class DeployFlowHandler implements Handler<RoutingContext> {
  private final FlowService flows;
  private final JsonBodies json;

  @Inject
  public DeployFlowHandler(FlowService flows, JsonBodies json) {
    this.flows = requireNonNull(flows, "flows is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    boolean activate =
        QueryParameters.parsed(context, "activate", ApiRoutes::parseBoolean, "true or false")
            .orElse(false);
    FlowDefinition definition =
        json.read(
            context, FlowDefinition.class, "Flow definition", StandardErrorCode.INVALID_DEFINITION);
    int latestBefore = latestVersion(definition.apiName());
    DeployedFlow deployed = flows.deploy(Permissions.userMode(context), definition, activate);
    context
        .response()
        .putHeader(
            HttpHeaders.LOCATION,
            ApiRoutes.versionPath("flows", deployed.apiName(), deployed.version()));
    json.respond(context, deployed.version() > latestBefore ? 201 : 200, deployed);
  }

  private int latestVersion(String apiName) {
    try {
      return flows.versions(apiName).stream().mapToInt(DeployedFlow::version).max().orElse(0);
    } catch (OrchestrionException e) {
      if (e.getErrorCode().type() == ErrorType.NOT_FOUND) {
        return 0;
      }
      throw e;
    }
  }
}
