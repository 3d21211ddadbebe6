package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/events/stream?runId=&submissionId=&kind=&after=}: the event feed as
 * Server-Sent Events (docs/api.md "Event stream"). It starts after {@code Last-Event-ID} (a
 * reconnecting EventSource sends it), else after {@code after}, else at the current end of the
 * feed. The request thread only checks and answers the headers; the stream runs on its own virtual
 * thread ({@link EventStreamHub}).
 */
public final class EventStreamHandler implements Handler<RoutingContext> {
  private final EventStreamHub hub;

  @Inject
  public EventStreamHandler(EventStreamHub hub) {
    this.hub = requireNonNull(hub, "hub is null");
  }

  @Override
  public void handle(RoutingContext context) {
    String userId = AuthenticatedUser.of(context).userId();
    EventFilter filter = EventFilters.of(context);
    Optional<Long> lastEventId = lastEventId(context);
    hub.reserveSlot();
    try {
      long after =
          lastEventId.orElseGet(
              () ->
                  QueryParameters.string(context, "after").isPresent()
                      ? QueryParameters.longValue(context, "after", 0, 0)
                      : hub.currentSequence());
      EventStream stream = new EventStream(hub, context.request(), userId, filter, after);
      HttpServerResponse response = context.response();
      response
          .setStatusCode(200)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .putHeader("X-Accel-Buffering", "no")
          .setChunked(true);
      response.write(SseFrames.opening(after, hub.settings().streamHeartbeat().toMillis()));
      hub.start(stream);
    } catch (RuntimeException e) {
      hub.releaseSlot();
      throw e;
    }
  }

  private static Optional<Long> lastEventId(RoutingContext context) {
    String header = context.request().getHeader("Last-Event-ID");
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      long value = Long.parseLong(header.trim());
      if (value >= 0) {
        return Optional.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "Header 'Last-Event-ID' must be the sequence of an event (a non-negative integer), was '"
            + header
            + "'",
        List.of(new Problem("header.Last-Event-ID", "must be a non-negative integer")));
  }
}
