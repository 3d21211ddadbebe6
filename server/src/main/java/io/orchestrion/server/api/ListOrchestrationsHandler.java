package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrationService;
import io.orchestrion.engine.api.DefinitionHead;
import io.orchestrion.engine.api.Page;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /orchestrations?limit=&cursor=}: the deployed orchestrations in api name order, each
 * with its version count, latest and active version; paginated.
 */
public final class ListOrchestrationsHandler implements Handler<RoutingContext> {
  private final OrchestrationService orchestrations;
  private final JsonBodies json;

  @Inject
  public ListOrchestrationsHandler(OrchestrationService orchestrations, JsonBodies json) {
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    int limit =
        QueryParameters.integer(
            context,
            "limit",
            ListSubmissionsHandler.DEFAULT_LIMIT,
            1,
            ListSubmissionsHandler.MAX_LIMIT);
    Page<DefinitionHead> page =
        orchestrations.list(QueryParameters.string(context, "cursor"), limit);
    json.respond(context, 200, new ListResponse<>(page.items(), page.nextCursor()));
  }
}
