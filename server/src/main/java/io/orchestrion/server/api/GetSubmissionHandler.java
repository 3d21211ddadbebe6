package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.RunAudience;
import io.orchestrion.engine.SubmissionService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/** {@code GET /submissions/{id}}. */
public final class GetSubmissionHandler implements Handler<RoutingContext> {
  private final SubmissionService submissions;
  private final RunAudience audience;
  private final JsonBodies json;
  private final ActionViews views;

  @Inject
  public GetSubmissionHandler(
      SubmissionService submissions, RunAudience audience, JsonBodies json, ActionViews views) {
    this.submissions = requireNonNull(submissions, "submissions is null");
    this.audience = requireNonNull(audience, "audience is null");
    this.json = requireNonNull(json, "json is null");
    this.views = requireNonNull(views, "views is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String submissionId = context.pathParam("id");
    audience.requireVisibleSubmission(submissionId, AuthenticatedUser.of(context).userId());
    json.respond(context, 200, views.of(context).submission(submissions.get(submissionId)));
  }
}
