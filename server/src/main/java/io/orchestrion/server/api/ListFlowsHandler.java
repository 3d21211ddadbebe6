package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.FlowService;
import io.orchestrion.engine.api.DefinitionHead;
import io.orchestrion.engine.api.Page;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /flows?limit=&cursor=}: the deployed flows in api name order, each with its version
 * count, latest and active version; paginated.
 */
public final class ListFlowsHandler implements Handler<RoutingContext> {
  private final FlowService flows;
  private final JsonBodies json;

  @Inject
  public ListFlowsHandler(FlowService flows, JsonBodies json) {
    this.flows = requireNonNull(flows, "flows is null");
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
    Page<DefinitionHead> page = flows.list(QueryParameters.string(context, "cursor"), limit);
    json.respond(context, 200, new ListResponse<>(page.items(), page.nextCursor()));
  }
}
