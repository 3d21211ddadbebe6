package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RunAudience;
import io.orchestrion.engine.RunService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /runs/{id}}: the run with its stages and steps, each background step with its
 * sync/async decision and the reason for it.
 */
public final class GetRunHandler implements Handler<RoutingContext> {
  private final RunService runs;
  private final RunAudience audience;
  private final JsonBodies json;
  private final ActionViews views;

  @Inject
  public GetRunHandler(RunService runs, RunAudience audience, JsonBodies json, ActionViews views) {
    this.runs = requireNonNull(runs, "runs is null");
    this.audience = requireNonNull(audience, "audience is null");
    this.json = requireNonNull(json, "json is null");
    this.views = requireNonNull(views, "views is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String runId = context.pathParam("id");
    audience.requireVisibleRun(runId, AuthenticatedUser.of(context).userId());
    json.respond(context, 200, views.of(context).run(runs.get(runId)));
  }
}
