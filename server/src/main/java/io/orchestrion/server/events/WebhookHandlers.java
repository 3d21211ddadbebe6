package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.WebhookService;
import io.orchestrion.engine.api.Webhook;
import io.orchestrion.engine.api.WebhookDelivery;
import io.orchestrion.server.http.AuthenticatedUser;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.QueryParameters;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /webhooks} endpoints (MANAGE_WEBHOOKS, checked by the route table): each method is one
 * endpoint's handler; they only translate HTTP to {@link WebhookService} calls and back.
 */
public final class WebhookHandlers {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final WebhookService webhooks;
  private final JsonBodies json;

  @Inject
  public WebhookHandlers(WebhookService webhooks, JsonBodies json) {
    this.webhooks = requireNonNull(webhooks, "webhooks is null");
    this.json = requireNonNull(json, "json is null");
  }

  /** {@code POST /webhooks}: 201 with the subscription (never its secret) and Location. */
  void create(RoutingContext context) {
    WebhookBody body =
        json.read(context, WebhookBody.class, "webhook", StandardErrorCode.INVALID_REQUEST);
    Webhook created = webhooks.create(body.toRequest(), AuthenticatedUser.of(context).userId());
    context.response().putHeader("Location", EventRoutes.WEBHOOKS + "/" + created.id());
    json.respond(context, 201, created);
  }

  /** {@code GET /webhooks?limit=&cursor=}: subscriptions in id order. */
  void list(RoutingContext context) {
    int limit = QueryParameters.integer(context, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    List<Webhook> page = webhooks.list(QueryParameters.string(context, "cursor"), limit + 1);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("items", page.subList(0, Math.min(limit, page.size())));
    if (page.size() > limit) {
      response.put("nextCursor", page.get(limit - 1).id());
    }
    json.respond(context, 200, response);
  }

  /** {@code GET /webhooks/{id}}. */
  void get(RoutingContext context) {
    json.respond(context, 200, webhooks.get(context.pathParam("id")));
  }

  /** {@code PUT /webhooks/{id}}: replaces it; an absent secret keeps the secret. */
  void update(RoutingContext context) {
    WebhookBody body =
        json.read(context, WebhookBody.class, "webhook", StandardErrorCode.INVALID_REQUEST);
    json.respond(context, 200, webhooks.update(context.pathParam("id"), body.toRequest()));
  }

  /** {@code DELETE /webhooks/{id}}: with its outbox rows. */
  void delete(RoutingContext context) {
    webhooks.delete(context.pathParam("id"));
    context.response().setStatusCode(204).end();
  }

  /** {@code GET /webhooks/{id}/deliveries?status=&after=&limit=}: the outbox, in id order. */
  void deliveries(RoutingContext context) {
    int limit = QueryParameters.integer(context, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Optional<String> status =
        QueryParameters.parsed(
            context,
            "status",
            text -> {
              if (!List.of("PENDING", "DELIVERED", "DEAD").contains(text)) {
                throw new IllegalArgumentException(text);
              }
              return text;
            },
            "PENDING, DELIVERED or DEAD");
    long after = QueryParameters.longValue(context, "after", 0, 0);
    List<WebhookDelivery> items =
        webhooks.deliveries(context.pathParam("id"), status, after, limit);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("items", items);
    response.put("lastId", items.isEmpty() ? after : items.get(items.size() - 1).id());
    json.respond(context, 200, response);
  }

  /**
   * {@code POST /webhooks/{id}/redrive?deliveryId=}: DEAD deliveries (one, or all) go out again.
   */
  void redrive(RoutingContext context) {
    Optional<Long> deliveryId =
        QueryParameters.parsed(context, "deliveryId", Long::valueOf, "a delivery id");
    int count = webhooks.redrive(context.pathParam("id"), deliveryId);
    json.respond(context, 200, Map.of("redriven", count));
  }
}
