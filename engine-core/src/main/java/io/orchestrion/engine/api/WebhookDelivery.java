package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One event's delivery to one webhook (a row of the outbox).
 *
 * @param status PENDING (to be sent, or waiting for its next attempt), DELIVERED (the receiver
 *     answered 2xx) or DEAD (attempts exhausted; re-drivable)
 * @param lastError why the last attempt failed
 */
public record WebhookDelivery(
    long id,
    String webhookId,
    long eventSequence,
    String runId,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Optional<String> lastError,
    Optional<Integer> lastStatusCode,
    Instant createdAt,
    Optional<Instant> deliveredAt) {
  public WebhookDelivery {
    requireNonNull(webhookId, "webhookId is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(status, "status is null");
    requireNonNull(nextAttemptAt, "nextAttemptAt is null");
    requireNonNull(lastError, "lastError is null");
    requireNonNull(lastStatusCode, "lastStatusCode is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(deliveredAt, "deliveredAt is null");
  }
}
