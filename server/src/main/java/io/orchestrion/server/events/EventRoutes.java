package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.http.BearerTokenAuthHandler;
import io.orchestrion.server.http.HttpServerVerticle;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;

/**
 * The event stream's routes: the stream itself and its tickets (open to every authenticated user;
 * the stream shows the events of the runs the user may see).
 */
public final class EventRoutes {
  /** The one path on which a stream ticket is accepted instead of a bearer token. */
  public static final String STREAM_PATH = BearerTokenAuthHandler.STREAM_PATH;

  private final EventStreamHandler stream;
  private final IssueStreamTicketHandler issueTicket;

  @Inject
  public EventRoutes(EventStreamHandler stream, IssueStreamTicketHandler issueTicket) {
    this.stream = requireNonNull(stream, "stream is null");
    this.issueTicket = requireNonNull(issueTicket, "issueTicket is null");
  }

  public void addRoutes(Router router) {
    router.get(STREAM_PATH).handler(stream);
    router.post(HttpServerVerticle.API_PREFIX + "/events/stream-tickets").handler(issueTicket);
  }
}
