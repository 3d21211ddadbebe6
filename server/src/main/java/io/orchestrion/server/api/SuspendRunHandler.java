package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RunService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code POST /runs/{id}/suspend}: a run manager suspends an IN_PROGRESS run; 200 with the run. */
public final class SuspendRunHandler implements Handler<RoutingContext> {
  private final RunService runs;
  private final JsonBodies json;

  @Inject
  public SuspendRunHandler(RunService runs, JsonBodies json) {
    this.runs = requireNonNull(runs, "runs is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        runs.suspend(context.pathParam("id"), AuthenticatedUser.of(context).userId()));
  }
}
