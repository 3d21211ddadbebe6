package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.SubmissionService;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /submissions/{id}}. */
public final class GetSubmissionHandler implements Handler<RoutingContext> {
  private final SubmissionService submissions;
  private final JsonBodies json;

  @Inject
  public GetSubmissionHandler(SubmissionService submissions, JsonBodies json) {
    this.submissions = requireNonNull(submissions, "submissions is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(context, 200, submissions.get(context.pathParam("id")));
  }
}
