package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a node delivers webhooks.
 *
 * @param timeout the whole time one attempt may take (connect, send, answer)
 * @param maxAttempts attempts before a delivery is dead-lettered
 * @param backoff the wait after the first failed attempt; it doubles after each further one
 * @param maxBackoff the longest wait between two attempts
 * @param concurrency deliveries this node sends at once
 * @param pollInterval how often the node looks for new events and due deliveries
 * @param retention how long a DELIVERED outbox row is kept (for {@code /deliveries}) before the
 *     dispatcher deletes it; PENDING and DEAD rows are kept until delivered, re-driven or their
 *     webhook is deleted
 */
public record WebhookSettings(
    Duration timeout,
    int maxAttempts,
    Duration backoff,
    Duration maxBackoff,
    int concurrency,
    Duration pollInterval,
    Duration retention) {
  public WebhookSettings {
    requireNonNull(timeout, "timeout is null");
    requireNonNull(backoff, "backoff is null");
    requireNonNull(maxBackoff, "maxBackoff is null");
    requireNonNull(pollInterval, "pollInterval is null");
    requireNonNull(retention, "retention is null");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    }
    if (maxAttempts < 1 || concurrency < 1) {
      throw new IllegalArgumentException("maxAttempts and concurrency must be positive");
    }
  }

  /** The wait before the next attempt after {@code attempts} failed ones. */
  public Duration backoffAfter(int attempts) {
    Duration wait = backoff;
    for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
