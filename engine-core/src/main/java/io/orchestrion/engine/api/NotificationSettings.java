package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a node delivers notification events to the plugins' listeners (docs/configuration.md,
 * "Notification listeners").
 *
 * @param enabled whether this node delivers at all (other nodes may still do it)
 * @param batchSize the most events one listener is given per round before its position is read
 *     again
 * @param pollInterval how often each listener looks for new events when it has none
 * @param backoff the wait after the first failed attempt at an event; it doubles after each further
 *     one
 * @param maxBackoff the longest wait between two attempts
 * @param maxAttempts attempts at one event before it is logged as dropped and the listener goes on
 * @param lease how long a node owns a listener's deliveries without renewing (renewed after each
 *     event): another node takes over a dead node's listeners after it. Longer than the slowest
 *     delivery, or two nodes may deliver the same events
 */
public record NotificationSettings(
    boolean enabled,
    int batchSize,
    Duration pollInterval,
    Duration backoff,
    Duration maxBackoff,
    int maxAttempts,
    Duration lease) {
  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_ATTEMPTS = 20;
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
  public static final int MAX_BATCH_SIZE = 1000;

  public NotificationSettings {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "notifications batchSize must be 1 to " + MAX_BATCH_SIZE + ": " + batchSize);
    }
    positive("pollInterval", pollInterval);
    positive("backoff", backoff);
    positive("maxBackoff", maxBackoff);
    positive("lease", lease);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "notifications maxAttempts must be positive: " + maxAttempts);
    }
  }

  public static NotificationSettings defaults() {
    return new NotificationSettings(
        true,
        DEFAULT_BATCH_SIZE,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_LEASE);
  }

  public NotificationSettings withEnabled(boolean value) {
    return new NotificationSettings(
        value, batchSize, pollInterval, backoff, maxBackoff, maxAttempts, lease);
  }

  public NotificationSettings withBatchSize(int value) {
    return new NotificationSettings(
        enabled, value, pollInterval, backoff, maxBackoff, maxAttempts, lease);
  }

  public NotificationSettings withPollInterval(Duration value) {
    return new NotificationSettings(
        enabled, batchSize, value, backoff, maxBackoff, maxAttempts, lease);
  }

  /** With this first back-off and longest back-off. */
  public NotificationSettings withBackoff(Duration first, Duration longest) {
    return new NotificationSettings(
        enabled, batchSize, pollInterval, first, longest, maxAttempts, lease);
  }

  public NotificationSettings withMaxAttempts(int value) {
    return new NotificationSettings(
        enabled, batchSize, pollInterval, backoff, maxBackoff, value, lease);
  }

  public NotificationSettings withLease(Duration value) {
    return new NotificationSettings(
        enabled, batchSize, pollInterval, backoff, maxBackoff, maxAttempts, value);
  }

  /** The wait before the next attempt after {@code attempts} failed ones. */
  public Duration backoffAfter(int attempts) {
    Duration wait = backoff;
    for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  private static void positive(String name, Duration value) {
    requireNonNull(value, name + " is null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("notifications " + name + " must be positive: " + value);
    }
  }
}
