package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.RunService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /runs/{id}/events}: publishes a MANUAL event that makes the run evaluate its current
 * stage (to wake it after an outside change); 202 with the stored event.
 */
public final class PublishRunEventHandler implements Handler<RoutingContext> {
  private final RunService runs;
  private final JsonBodies json;

  @Inject
  public PublishRunEventHandler(RunService runs, JsonBodies json) {
    this.runs = requireNonNull(runs, "runs is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    ManualEventBody body =
        json.read(context, ManualEventBody.class, "Event", StandardErrorCode.INVALID_REQUEST);
    json.respond(
        context,
        202,
        runs.publishManualEvent(
            context.pathParam("id"), body.payload(), AuthenticatedUser.of(context).userId()));
  }
}
