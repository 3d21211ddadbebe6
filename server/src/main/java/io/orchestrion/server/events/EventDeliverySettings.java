package io.orchestrion.server.events;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.WebhookSettings;
import java.time.Duration;

/**
 * How this node serves the event stream and delivers webhooks (docs/configuration.md).
 *
 * @param streamHeartbeat how often an idle stream sends a comment line (keeps proxies from closing
 *     it, lets the client notice a dead connection)
 * @param streamPollInterval how often the node looks for newly numbered events for its streams
 * @param maxStreams streams this node serves at once; one more is refused with 429
 * @param streamBufferBytes bytes a stream may have written but the client not yet read; past it the
 *     stream closes with reason SLOW_CONSUMER (the client resumes with Last-Event-ID)
 * @param streamTicketLifetime how long a stream ticket may be used to open a stream
 * @param webhookTimeout the whole time one delivery attempt may take (connect, send, answer)
 * @param webhookMaxAttempts attempts of one delivery before it is dead-lettered
 * @param webhookBackoff the wait after the first failed attempt; it doubles after each further one
 * @param webhookMaxBackoff the longest wait between two attempts
 * @param webhookConcurrency deliveries this node sends at once
 * @param webhookRetention how long a delivered outbox row stays visible in {@code /deliveries}
 */
public record EventDeliverySettings(
    Duration streamHeartbeat,
    Duration streamPollInterval,
    int maxStreams,
    int streamBufferBytes,
    Duration streamTicketLifetime,
    Duration webhookTimeout,
    int webhookMaxAttempts,
    Duration webhookBackoff,
    Duration webhookMaxBackoff,
    int webhookConcurrency,
    Duration webhookRetention) {
  public static final Duration DEFAULT_STREAM_HEARTBEAT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_STREAM_POLL_INTERVAL = Duration.ofMillis(200);
  public static final int DEFAULT_MAX_STREAMS = 100;
  public static final int DEFAULT_STREAM_BUFFER_BYTES = 256 * 1024;
  public static final Duration DEFAULT_STREAM_TICKET_LIFETIME = Duration.ofMinutes(1);
  public static final Duration MAX_STREAM_TICKET_LIFETIME = Duration.ofMinutes(10);
  public static final Duration DEFAULT_WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_WEBHOOK_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_WEBHOOK_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_WEBHOOK_MAX_BACKOFF = Duration.ofMinutes(10);
  public static final int DEFAULT_WEBHOOK_CONCURRENCY = 4;
  public static final Duration DEFAULT_WEBHOOK_RETENTION = Duration.ofDays(7);

  public EventDeliverySettings {
    positive("streamHeartbeat", streamHeartbeat);
    positive("streamPollInterval", streamPollInterval);
    if (maxStreams < 0) {
      throw new IllegalArgumentException("maxStreams must not be negative: " + maxStreams);
    }
    if (streamBufferBytes < 1024) {
      throw new IllegalArgumentException(
          "streamBufferBytes must be at least 1024: " + streamBufferBytes);
    }
    positive("streamTicketLifetime", streamTicketLifetime);
    if (streamTicketLifetime.compareTo(MAX_STREAM_TICKET_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "streamTicketLifetime must be at most "
              + MAX_STREAM_TICKET_LIFETIME
              + " (a ticket travels in a URL): "
              + streamTicketLifetime);
    }
    positive("webhookTimeout", webhookTimeout);
    if (webhookMaxAttempts < 1) {
      throw new IllegalArgumentException(
          "webhookMaxAttempts must be positive: " + webhookMaxAttempts);
    }
    positive("webhookBackoff", webhookBackoff);
    positive("webhookMaxBackoff", webhookMaxBackoff);
    if (webhookConcurrency < 1) {
      throw new IllegalArgumentException(
          "webhookConcurrency must be positive: " + webhookConcurrency);
    }
    requireNonNull(webhookRetention, "webhookRetention is null");
    if (webhookRetention.isNegative()) {
      throw new IllegalArgumentException(
          "webhookRetention must not be negative: " + webhookRetention);
    }
  }

  public static EventDeliverySettings defaults() {
    return new EventDeliverySettings(
        DEFAULT_STREAM_HEARTBEAT,
        DEFAULT_STREAM_POLL_INTERVAL,
        DEFAULT_MAX_STREAMS,
        DEFAULT_STREAM_BUFFER_BYTES,
        DEFAULT_STREAM_TICKET_LIFETIME,
        DEFAULT_WEBHOOK_TIMEOUT,
        DEFAULT_WEBHOOK_MAX_ATTEMPTS,
        DEFAULT_WEBHOOK_BACKOFF,
        DEFAULT_WEBHOOK_MAX_BACKOFF,
        DEFAULT_WEBHOOK_CONCURRENCY,
        DEFAULT_WEBHOOK_RETENTION);
  }

  /** The engine's webhook settings; fan-out and claims are paced by the stream poll interval. */
  public WebhookSettings webhookSettings() {
    return new WebhookSettings(
        webhookTimeout,
        webhookMaxAttempts,
        webhookBackoff,
        webhookMaxBackoff,
        webhookConcurrency,
        streamPollInterval,
        webhookRetention);
  }

  public EventDeliverySettings withStream(
      Duration heartbeat, Duration pollInterval, int streams, int bufferBytes) {
    return new EventDeliverySettings(
        heartbeat,
        pollInterval,
        streams,
        bufferBytes,
        streamTicketLifetime,
        webhookTimeout,
        webhookMaxAttempts,
        webhookBackoff,
        webhookMaxBackoff,
        webhookConcurrency,
        webhookRetention);
  }

  public EventDeliverySettings withWebhookRetention(Duration retention) {
    return new EventDeliverySettings(
        streamHeartbeat,
        streamPollInterval,
        maxStreams,
        streamBufferBytes,
        streamTicketLifetime,
        webhookTimeout,
        webhookMaxAttempts,
        webhookBackoff,
        webhookMaxBackoff,
        webhookConcurrency,
        retention);
  }

  public EventDeliverySettings withWebhooks(
      Duration timeout, int maxAttempts, Duration backoff, Duration maxBackoff) {
    return new EventDeliverySettings(
        streamHeartbeat,
        streamPollInterval,
        maxStreams,
        streamBufferBytes,
        streamTicketLifetime,
        timeout,
        maxAttempts,
        backoff,
        maxBackoff,
        webhookConcurrency,
        webhookRetention);
  }

  private static void positive(String name, Duration value) {
    requireNonNull(value, name + " is null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
