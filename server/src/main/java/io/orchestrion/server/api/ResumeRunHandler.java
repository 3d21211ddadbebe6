package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RunService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /runs/{id}/resume}: a run manager resumes a SUSPENDED run, which is evaluated at
 * once; 200 with the run.
 */
public final class ResumeRunHandler implements Handler<RoutingContext> {
  private final RunService runs;
  private final JsonBodies json;

  @Inject
  public ResumeRunHandler(RunService runs, JsonBodies json) {
    this.runs = requireNonNull(runs, "runs is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context, 200, runs.resume(context.pathParam("id"), AuthenticatedUser.of(context).userId()));
  }
}
