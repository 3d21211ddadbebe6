package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.SubmissionService;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.api.SubmissionFilter;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.Arrays;

/**
 * {@code GET /submissions?objectType=&recordId=&status=&limit=&cursor=}: paginated, in a stable
 * order chosen by the engine; only the submissions the caller may see (RunAudience).
 */
public final class ListSubmissionsHandler implements Handler<RoutingContext> {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final SubmissionService submissions;
  private final JsonBodies json;

  @Inject
  public ListSubmissionsHandler(SubmissionService submissions, JsonBodies json) {
    this.submissions = requireNonNull(submissions, "submissions is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    SubmissionFilter filter =
        new SubmissionFilter(
            QueryParameters.string(context, "objectType"),
            QueryParameters.string(context, "recordId"),
            QueryParameters.parsed(
                context,
                "status",
                SubmissionStatus::valueOf,
                "one of " + Arrays.toString(SubmissionStatus.values())));
    int limit = QueryParameters.integer(context, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Page<SubmissionView> page =
        submissions.listVisibleTo(
            AuthenticatedUser.of(context).userId(),
            filter,
            QueryParameters.string(context, "cursor"),
            limit);
    json.respond(context, 200, new ListResponse<>(page.items(), page.nextCursor()));
  }
}
