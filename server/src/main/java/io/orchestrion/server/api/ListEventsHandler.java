package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.EventService;
import io.orchestrion.engine.api.EventPage;
import io.orchestrion.server.events.EventFilters;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code GET /events?after=N&runId=&submissionId=&kind=&limit=}: events with a sequence greater
 * than {@code after}, in sequence order (commit order, SPEC §4), optionally of one run, of one
 * submission, of some kinds; only events of the runs the caller may see (all of them with
 * MANAGE_RUNS or APPROVAL_ADMIN).
 */
public final class ListEventsHandler implements Handler<RoutingContext> {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final EventService events;
  private final JsonBodies json;

  @Inject
  public ListEventsHandler(EventService events, JsonBodies json) {
    this.events = requireNonNull(events, "events is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    long after = QueryParameters.longValue(context, "after", 0, 0);
    int limit = QueryParameters.integer(context, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    EventPage page =
        events.pageVisibleTo(
            AuthenticatedUser.of(context).userId(), after, EventFilters.of(context), limit);
    json.respond(
        context, 200, new EventListResponse(page.items(), page.readThrough(), page.atEnd()));
  }
}
