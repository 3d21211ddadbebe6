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
 * {@code GET /runs/{id}/explain}: why the current stage has not exited and why each NOT_STARTED
 * step has not started (SPEC §5.5), with every requirement's resolved values.
 */
public final class ExplainRunHandler implements Handler<RoutingContext> {
  private final RunService runs;
  private final RunAudience audience;
  private final JsonBodies json;

  @Inject
  public ExplainRunHandler(RunService runs, RunAudience audience, JsonBodies json) {
    this.runs = requireNonNull(runs, "runs is null");
    this.audience = requireNonNull(audience, "audience is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String runId = context.pathParam("id");
    audience.requireVisibleRun(runId, AuthenticatedUser.of(context).userId());
    json.respond(context, 200, runs.explain(runId));
  }
}
