package io.orchestrion.engine.webhooks;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.WebhookSettings;
import io.orchestrion.engine.metrics.EngineMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's webhook worker: every poll interval it fans new events out to the outbox, claims due
 * deliveries (as many as it has free senders) and sends each on a virtual thread, then records the
 * outcome: DELIVERED, PENDING again after an exponential back-off, or DEAD after the last attempt.
 * A claim is a lease (timeout + 30 s): the deliveries of a node that dies are sent again by another
 * once it expires (at least once).
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** How often the dispatcher deletes delivered outbox rows past their retention. */
  static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  private final WebhookOutbox outbox;
  private final EngineMetrics metrics;
  private final WebhookSettings settings;
  private final Clock clock;
  private final WebhookSender sender;
  private final Semaphore senders;
  private final String owner = "webhooks-" + UUID.randomUUID();
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("orchestrion-webhook-", 0).factory());
  private volatile boolean closed;
  private final Thread loop;
  private Instant nextPurge = Instant.MIN;

  public WebhookDispatcher(
      WebhookOutbox outbox, WebhookSettings settings, Clock clock, EngineMetrics metrics) {
    this.outbox = requireNonNull(outbox, "outbox is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.sender = new WebhookSender(settings.timeout());
    this.senders = new Semaphore(settings.concurrency());
    this.loop = Thread.ofVirtual().name("orchestrion-webhook-dispatcher").start(this::run);
  }

  private void run() {
    while (!closed) {
      try {
        Instant now = clock.instant();
        outbox.fanOut(now);
        purgeDeliveredRows(now);
        int free = senders.availablePermits();
        if (free > 0) {
          List<WebhookOutbox.Claimed> claimed =
              outbox.claim(owner, free, now, now.plus(settings.timeout()).plusSeconds(30));
          for (WebhookOutbox.Claimed delivery : claimed) {
            senders.acquire();
            executor.execute(() -> deliver(delivery));
          }
        }
        Thread.sleep(settings.pollInterval());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Delivering webhooks failed, will retry: {}", e.toString());
        try {
          Thread.sleep(settings.pollInterval());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** At most once a minute: DELIVERED rows older than the retention go (SPEC §4, outbox). */
  private void purgeDeliveredRows(Instant now) {
    if (now.isBefore(nextPurge)) {
      return;
    }
    nextPurge = now.plus(PURGE_INTERVAL);
    int purged;
    do {
      purged = outbox.purgeDelivered(now.minus(settings.retention()));
      if (purged > 0) {
        log.debug("Deleted {} delivered webhook outbox rows", purged);
      }
    } while (purged == WebhookOutbox.PURGE_BATCH && !closed);
  }

  private void deliver(WebhookOutbox.Claimed delivery) {
    try {
      WebhookSender.Outcome outcome = sender.send(delivery, clock.instant());
      Instant now = clock.instant();
      if (outcome.delivered()) {
        outbox.delivered(delivery, outcome.statusCode().orElseThrow(), now);
        metrics.webhookAttempt(
            "DELIVERED", Optional.of(Duration.between(delivery.event().publishedAt(), now)));
        return;
      }
      int attempts = delivery.attempts() + 1;
      Optional<Instant> retryAt =
          attempts >= settings.maxAttempts()
              ? Optional.empty()
              : Optional.of(now.plus(settings.backoffAfter(attempts)));
      if (retryAt.isEmpty()) {
        log.warn(
            "Webhook delivery {} of event {} to webhook {} is dead after {} attempts: {}",
            delivery.deliveryId(),
            delivery.event().sequence(),
            delivery.webhookId(),
            attempts,
            outcome.error());
      }
      outbox.failed(delivery, outcome.statusCode(), outcome.error(), retryAt, now);
      metrics.webhookAttempt(retryAt.isPresent() ? "RETRY" : "DEAD", Optional.empty());
    } catch (RuntimeException e) {
      // The lease expires and another attempt follows.
      log.warn("Recording webhook delivery {} failed: {}", delivery.deliveryId(), e.toString());
    } finally {
      senders.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    executor.shutdownNow();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(10));
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
