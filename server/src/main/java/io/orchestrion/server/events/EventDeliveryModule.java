package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import io.orchestrion.engine.EventStreamTickets;
import io.orchestrion.server.http.StreamTicketRedeemer;

/** The event stream and the webhooks: settings, the stream hub, handlers and routes. */
public final class EventDeliveryModule extends AbstractModule {
  private final EventDeliverySettings settings;

  public EventDeliveryModule(EventDeliverySettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Override
  protected void configure() {
    bind(EventDeliverySettings.class).toInstance(settings);
    bind(EventStreamHub.class).in(Scopes.SINGLETON);
    bind(EventStreamHandler.class);
    bind(IssueStreamTicketHandler.class);
    bind(EventRoutes.class).in(Scopes.SINGLETON);
    bind(WebhookHandlers.class).in(Scopes.SINGLETON);
  }

  @Provides
  @Singleton
  StreamTicketRedeemer streamTicketRedeemer(EventStreamTickets tickets) {
    return tickets::redeem;
  }
}
