package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.Webhook;
import io.orchestrion.engine.api.WebhookDelivery;
import io.orchestrion.engine.api.WebhookRequest;
import io.orchestrion.engine.api.WebhookSettings;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.webhooks.WebhookDispatcher;
import io.orchestrion.engine.webhooks.WebhookOutbox;
import io.orchestrion.engine.webhooks.WebhookStore;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook subscriptions and their deliveries (docs/api.md "Webhooks"). Who may call it is the
 * caller's business (the server requires MANAGE_WEBHOOKS). {@link #startDelivery} starts this
 * node's delivery worker.
 */
public final class WebhookService {
  static final int MIN_SECRET_LENGTH = 16;
  static final int MAX_URL_LENGTH = 2000;

  private final UnitsOfWork units;
  private final WebhookStore store;
  private final WebhookOutbox outbox;
  private final Clock clock;
  private final EngineMetrics metrics;

  @Inject
  public WebhookService(
      UnitsOfWork units,
      WebhookStore store,
      WebhookOutbox outbox,
      Clock clock,
      EngineMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.units = requireNonNull(units, "units is null");
    this.store = requireNonNull(store, "store is null");
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Creates a subscription; it receives the events numbered from now on. */
  public Webhook create(WebhookRequest request, String actorId) {
    validate(request, true);
    String id = UUID.randomUUID().toString();
    return units.call(
        uow -> {
          Instant now = uow.now();
          long end;
          try (PreparedStatement last =
                  uow.connection()
                      .prepareStatement("SELECT last_sequence FROM event_sequencer WHERE id = 1");
              ResultSet rs = last.executeQuery()) {
            rs.next();
            end = rs.getLong(1);
          }
          store.insert(
              uow.transaction(), id, request, request.secret().orElseThrow(), actorId, end, now);
          return store.find(uow.transaction(), id).orElseThrow();
        });
  }

  /** Replaces a subscription's URL, kinds, filters and state; an empty secret keeps the secret. */
  public Webhook update(String id, WebhookRequest request) {
    validate(request, false);
    return units.call(
        uow -> {
          Instant now = uow.now();
          if (!store.update(uow.transaction(), id, request, now)) {
            throw notFound(id);
          }
          return store.find(uow.transaction(), id).orElseThrow();
        });
  }

  public void delete(String id) {
    units.call(
        uow -> {
          if (!store.delete(uow.transaction(), id)) {
            throw notFound(id);
          }
          return null;
        });
  }

  public Webhook get(String id) {
    return units.call(uow -> store.find(uow.transaction(), id)).orElseThrow(() -> notFound(id));
  }

  public List<Webhook> list(Optional<String> afterId, int limit) {
    return units.call(uow -> store.list(uow.transaction(), afterId, limit));
  }

  /**
   * A subscription's deliveries in id order, optionally of one status (PENDING, DELIVERED, DEAD).
   */
  public List<WebhookDelivery> deliveries(
      String id, Optional<String> status, long afterId, int limit) {
    return units.call(
        uow -> {
          if (store.find(uow.transaction(), id).isEmpty()) {
            throw notFound(id);
          }
          return store.deliveries(uow.transaction(), id, status, afterId, limit);
        });
  }

  /** Sends DEAD deliveries again (one, or every one of the subscription); returns how many. */
  public int redrive(String id, Optional<Long> deliveryId) {
    return units.call(
        uow -> {
          Instant now = uow.now();
          if (store.find(uow.transaction(), id).isEmpty()) {
            throw notFound(id);
          }
          return store.redrive(uow.transaction(), id, deliveryId, now);
        });
  }

  /** Starts this node's delivery worker; closing it stops it. */
  public AutoCloseable startDelivery(WebhookSettings settings) {
    return new WebhookDispatcher(outbox, settings, clock, metrics);
  }

  private static void validate(WebhookRequest request, boolean creating) {
    List<Problem> problems = new ArrayList<>();
    try {
      URI uri = new URI(request.url());
      if (!uri.isAbsolute()
          || !("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))
          || uri.getHost() == null) {
        problems.add(new Problem("$.url", "must be an absolute http or https URL"));
      }
    } catch (URISyntaxException e) {
      problems.add(new Problem("$.url", "is not a URL: " + e.getReason()));
    }
    if (request.url().length() > MAX_URL_LENGTH) {
      problems.add(new Problem("$.url", "must have at most " + MAX_URL_LENGTH + " characters"));
    }
    if (creating && request.secret().isEmpty()) {
      problems.add(new Problem("$.secret", "is required"));
    }
    request
        .secret()
        .filter(secret -> secret.length() < MIN_SECRET_LENGTH || secret.length() > 500)
        .ifPresent(
            secret ->
                problems.add(
                    new Problem(
                        "$.secret",
                        "must have between " + MIN_SECRET_LENGTH + " and 500 characters")));
    if (!problems.isEmpty()) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Invalid webhook: " + problems.get(0).path() + " " + problems.get(0).message(),
          problems);
    }
  }

  private static OrchestrionException notFound(String id) {
    return OrchestrionException.notFound("Webhook '" + id + "'");
  }
}
