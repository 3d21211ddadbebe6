package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.http.BearerTokenAuthHandler;
import io.orchestrion.server.http.HttpServerVerticle;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.spi.directory.SystemPermission;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * The event stream's routes — the stream itself and its tickets (open to every authenticated user;
 * the stream shows the events of the runs the user may see) — and the webhooks' (MANAGE_WEBHOOKS).
 */
public final class EventRoutes {
  /** The one path on which a stream ticket is accepted instead of a bearer token. */
  public static final String STREAM_PATH = BearerTokenAuthHandler.STREAM_PATH;

  /** The webhooks' collection. */
  public static final String WEBHOOKS = HttpServerVerticle.API_PREFIX + "/webhooks";

  private final EventStreamHandler stream;
  private final IssueStreamTicketHandler issueTicket;
  private final WebhookHandlers webhooks;
  private final Permissions permissions;

  @Inject
  public EventRoutes(
      EventStreamHandler stream,
      IssueStreamTicketHandler issueTicket,
      WebhookHandlers webhooks,
      Permissions permissions) {
    this.stream = requireNonNull(stream, "stream is null");
    this.issueTicket = requireNonNull(issueTicket, "issueTicket is null");
    this.webhooks = requireNonNull(webhooks, "webhooks is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
  }

  public void addRoutes(Router router) {
    router.get(STREAM_PATH).handler(stream);
    router.post(HttpServerVerticle.API_PREFIX + "/events/stream-tickets").handler(issueTicket);

    Handler<RoutingContext> manageWebhooks =
        permissions.requiring(SystemPermission.MANAGE_WEBHOOKS, "manage webhooks");
    router.post(WEBHOOKS).handler(manageWebhooks).handler(webhooks::create);
    router.get(WEBHOOKS).handler(manageWebhooks).handler(webhooks::list);
    router.get(WEBHOOKS + "/:id").handler(manageWebhooks).handler(webhooks::get);
    router.put(WEBHOOKS + "/:id").handler(manageWebhooks).handler(webhooks::update);
    router.delete(WEBHOOKS + "/:id").handler(manageWebhooks).handler(webhooks::delete);
    router.get(WEBHOOKS + "/:id/deliveries").handler(manageWebhooks).handler(webhooks::deliveries);
    router.post(WEBHOOKS + "/:id/redrive").handler(manageWebhooks).handler(webhooks::redrive);
  }
}
