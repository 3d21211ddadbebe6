package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.EventStreamTickets;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * {@code POST /api/v1/events/stream-tickets}: a short-lived ticket that opens the caller's event
 * stream with {@code ?ticket=} instead of an {@code Authorization} header (a browser's EventSource
 * cannot send one). It is good for the event stream only and for {@code streamTicketLifetime}.
 */
public final class IssueStreamTicketHandler implements Handler<RoutingContext> {
  private final EventStreamTickets tickets;
  private final EventDeliverySettings settings;
  private final JsonBodies json;

  @Inject
  public IssueStreamTicketHandler(
      EventStreamTickets tickets, EventDeliverySettings settings, JsonBodies json) {
    this.tickets = requireNonNull(tickets, "tickets is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.json = requireNonNull(json, "json is null");
  }

  @Override
  public void handle(RoutingContext context) {
    EventStreamTickets.Ticket ticket =
        tickets.issue(AuthenticatedUser.of(context).userId(), settings.streamTicketLifetime());
    json.respond(context, 201, ticket);
  }
}
