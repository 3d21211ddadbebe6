package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * Deactivating and deleting flow and orchestration versions (SPEC §2), added to the {@code /api/v1}
 * route table by {@link ApiRoutes}; all need MANAGE_DEFINITIONS, which the engine checks ({@link
 * DefinitionGuards}). Documented in openapi.yaml.
 */
public final class DefinitionLifecycleRoutes {
  private static final String PREFIX = ApiRoutes.PREFIX;

  private final DeactivateFlowVersionHandler deactivateFlowVersion;
  private final DeleteFlowVersionHandler deleteFlowVersion;
  private final DeactivateOrchestrationVersionHandler deactivateOrchestrationVersion;
  private final DeleteOrchestrationVersionHandler deleteOrchestrationVersion;
  private final DefinitionGuards guards;

  @Inject
  public DefinitionLifecycleRoutes(
      DeactivateFlowVersionHandler deactivateFlowVersion,
      DeleteFlowVersionHandler deleteFlowVersion,
      DeactivateOrchestrationVersionHandler deactivateOrchestrationVersion,
      DeleteOrchestrationVersionHandler deleteOrchestrationVersion,
      DefinitionGuards guards) {
    this.deactivateFlowVersion =
        requireNonNull(deactivateFlowVersion, "deactivateFlowVersion is null");
    this.deleteFlowVersion = requireNonNull(deleteFlowVersion, "deleteFlowVersion is null");
    this.deactivateOrchestrationVersion =
        requireNonNull(deactivateOrchestrationVersion, "deactivateOrchestrationVersion is null");
    this.deleteOrchestrationVersion =
        requireNonNull(deleteOrchestrationVersion, "deleteOrchestrationVersion is null");
    this.guards = requireNonNull(guards, "guards is null");
  }

  public void addRoutes(Router router) {
    Handler<RoutingContext> manageDefinitions = guards.mayRetire();
    router
        .post(PREFIX + "/flows/:apiName/versions/:version/deactivate")
        .handler(manageDefinitions)
        .handler(deactivateFlowVersion);
    router
        .delete(PREFIX + "/flows/:apiName/versions/:version")
        .handler(manageDefinitions)
        .handler(deleteFlowVersion);
    router
        .post(PREFIX + "/orchestrations/:apiName/versions/:version/deactivate")
        .handler(manageDefinitions)
        .handler(deactivateOrchestrationVersion);
    router
        .delete(PREFIX + "/orchestrations/:apiName/versions/:version")
        .handler(manageDefinitions)
        .handler(deleteOrchestrationVersion);
  }
}
