package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.SubmissionService;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /submissions/{id}/recall} {@code {comments}} (optional body): the submitter or an
 * approval admin recalls an IN_PROGRESS submission; 200 with the submission, RECALLED.
 */
public final class RecallSubmissionHandler implements Handler<RoutingContext> {
  private final SubmissionService submissions;
  private final JsonBodies json;

  @Inject
  public RecallSubmissionHandler(SubmissionService submissions, JsonBodies json) {
    this.submissions = requireNonNull(submissions, "submissions is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    json.respond(
        context,
        200,
        submissions.recall(
            context.pathParam("id"),
            CommentsBody.of(context, json, "Recall"),
            AuthenticatedUser.of(context).userId()));
  }
}
