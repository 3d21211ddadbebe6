package io.orchestrion.server.events;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.ext.web.RoutingContext;

/**
 * The event feed's filters as query parameters, shared by the list and the stream: {@code runId},
 * {@code submissionId} and {@code kind} (repeated or comma-separated).
 */
public final class EventFilters {
  private EventFilters() {}

  public static EventFilter of(RoutingContext context) {
    return new EventFilter(
        QueryParameters.string(context, "runId"),
        QueryParameters.string(context, "submissionId"),
        QueryParameters.enumValues(context, "kind", EventKind.class));
  }
}
