package io.orchestrion.server;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.server.events.EventDeliverySettings;
import io.orchestrion.server.http.RequestLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the values of {@link ServerSetting}s (text from a config file, the environment or flags)
 * into a {@link ServerConfig}: numbers, durations (ISO-8601) and booleans are parsed, blank values
 * mean the default, and a value that is not valid is an INVALID_REQUEST naming its setting.
 */
final class ServerSettingsParser {
  private ServerSettingsParser() {}

  /**
   * Builds a config from setting values by {@link ServerSetting}, with the plugins' settings and
   * secrets; missing settings default.
   *
   * @throws OrchestrionException INVALID_REQUEST naming the setting whose value is not valid
   */
  static ServerConfig parse(
      Map<ServerSetting, String> values, PluginConfiguration pluginConfiguration) {
    return new ServerConfig(
        values.getOrDefault(ServerSetting.HOST, ServerConfig.DEFAULT_HOST).trim(),
        parseInt(
            ServerSetting.PORT,
            values.getOrDefault(ServerSetting.PORT, Integer.toString(ServerConfig.DEFAULT_PORT))),
        values.containsKey(ServerSetting.DATA_DIRECTORY)
            ? Path.of(values.get(ServerSetting.DATA_DIRECTORY).trim())
            : ServerConfig.DEFAULT_DATA_DIRECTORY,
        nonBlank(values.get(ServerSetting.JDBC_URL)),
        nonBlank(values.get(ServerSetting.JDBC_USER)),
        Optional.ofNullable(values.get(ServerSetting.JDBC_PASSWORD)),
        nonBlank(values.get(ServerSetting.JWT_SECRET)),
        nonBlank(values.get(ServerSetting.JWT_PUBLIC_KEY)),
        nonBlank(values.get(ServerSetting.JWT_PRIVATE_KEY)),
        parseLong(
            ServerSetting.MAX_BODY_BYTES,
            values.getOrDefault(
                ServerSetting.MAX_BODY_BYTES, Long.toString(ServerConfig.DEFAULT_MAX_BODY_BYTES))),
        nonBlank(values.get(ServerSetting.PLUGIN_DIRECTORY)).map(Path::of),
        requestLimits(values),
        parseDuration(
            ServerSetting.IDEMPOTENCY_KEY_RETENTION,
            values.getOrDefault(
                ServerSetting.IDEMPOTENCY_KEY_RETENTION,
                ServerConfig.DEFAULT_IDEMPOTENCY_KEY_RETENTION.toString())),
        parseBoolean(
            ServerSetting.METRICS_REQUIRE_TOKEN,
            values.getOrDefault(ServerSetting.METRICS_REQUIRE_TOKEN, "false")),
        flowLimits(values),
        parseDuration(
            ServerSetting.MAX_TOKEN_LIFETIME,
            values.getOrDefault(
                ServerSetting.MAX_TOKEN_LIFETIME,
                ServerConfig.DEFAULT_MAX_TOKEN_LIFETIME.toString())),
        engineSettings(values),
        pluginConfiguration,
        eventDelivery(values),
        notifications(values));
  }

  private static NotificationSettings notifications(Map<ServerSetting, String> values) {
    NotificationSettings defaults = NotificationSettings.defaults();
    try {
      return new NotificationSettings(
          parseBoolean(
              ServerSetting.NOTIFICATIONS_ENABLED,
              values.getOrDefault(ServerSetting.NOTIFICATIONS_ENABLED, "true")),
          intSetting(values, ServerSetting.NOTIFICATION_BATCH_SIZE, defaults.batchSize()),
          durationSetting(
              values, ServerSetting.NOTIFICATION_POLL_INTERVAL, defaults.pollInterval()),
          durationSetting(values, ServerSetting.NOTIFICATION_BACKOFF, defaults.backoff()),
          durationSetting(values, ServerSetting.NOTIFICATION_MAX_BACKOFF, defaults.maxBackoff()),
          intSetting(values, ServerSetting.NOTIFICATION_MAX_ATTEMPTS, defaults.maxAttempts()),
          durationSetting(values, ServerSetting.NOTIFICATION_LEASE, defaults.lease()));
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(e.getMessage());
    }
  }

  private static EventDeliverySettings eventDelivery(Map<ServerSetting, String> values) {
    EventDeliverySettings defaults = EventDeliverySettings.defaults();
    try {
      return new EventDeliverySettings(
          durationSetting(values, ServerSetting.STREAM_HEARTBEAT, defaults.streamHeartbeat()),
          durationSetting(
              values, ServerSetting.STREAM_POLL_INTERVAL, defaults.streamPollInterval()),
          intSetting(values, ServerSetting.MAX_STREAMS, defaults.maxStreams()),
          intSetting(values, ServerSetting.STREAM_BUFFER_BYTES, defaults.streamBufferBytes()),
          durationSetting(
              values, ServerSetting.STREAM_TICKET_LIFETIME, defaults.streamTicketLifetime()),
          durationSetting(values, ServerSetting.WEBHOOK_TIMEOUT, defaults.webhookTimeout()),
          intSetting(values, ServerSetting.WEBHOOK_MAX_ATTEMPTS, defaults.webhookMaxAttempts()),
          durationSetting(values, ServerSetting.WEBHOOK_BACKOFF, defaults.webhookBackoff()),
          durationSetting(values, ServerSetting.WEBHOOK_MAX_BACKOFF, defaults.webhookMaxBackoff()),
          intSetting(values, ServerSetting.WEBHOOK_CONCURRENCY, defaults.webhookConcurrency()),
          durationSetting(values, ServerSetting.WEBHOOK_RETENTION, defaults.webhookRetention()));
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(e.getMessage());
    }
  }

  private static EngineSettings engineSettings(Map<ServerSetting, String> values) {
    EngineSettings defaults = EngineSettings.defaults();
    try {
      return new EngineSettings(
          intSetting(values, ServerSetting.MAX_POOL_SIZE, defaults.maxPoolSize()),
          intSetting(values, ServerSetting.WORKER_CONCURRENCY, defaults.workerConcurrency()),
          durationSetting(values, ServerSetting.LEASE_DURATION, defaults.leaseDuration()),
          durationSetting(values, ServerSetting.POLL_INTERVAL, defaults.pollInterval()),
          intSetting(values, ServerSetting.JOB_GROUP_SIZE, defaults.jobGroupSize()),
          intSetting(values, ServerSetting.RUN_CACHE_SIZE, defaults.runCacheSize()),
          intSetting(values, ServerSetting.COMMAND_GROUP_SIZE, defaults.commandGroupSize()),
          durationSetting(values, ServerSetting.DIRECTORY_TRUST, defaults.directoryTrust()),
          intSetting(
              values, ServerSetting.JOB_TRANSACTIONS_AT_ONCE, defaults.jobTransactionsAtOnce()),
          durationSetting(values, ServerSetting.H2_HOUSEKEEPING, defaults.h2Housekeeping()),
          durationSetting(values, ServerSetting.H2_WRITE_GATHER, defaults.h2WriteGather()));
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(e.getMessage());
    }
  }

  private static Duration durationSetting(
      Map<ServerSetting, String> values, ServerSetting setting, Duration defaultValue) {
    String value = values.get(setting);
    return value == null || value.isBlank() ? defaultValue : parseDuration(setting, value);
  }

  private static RequestLimits requestLimits(Map<ServerSetting, String> values) {
    RequestLimits defaults = RequestLimits.defaults();
    int requestThreads =
        intSetting(values, ServerSetting.REQUEST_THREADS, defaults.requestThreads());
    int requestQueue = intSetting(values, ServerSetting.REQUEST_QUEUE, defaults.requestQueue());
    int evaluationThreads =
        intSetting(values, ServerSetting.EVALUATION_THREADS, defaults.evaluationThreads());
    int evaluationQueue =
        intSetting(values, ServerSetting.EVALUATION_QUEUE, defaults.evaluationQueue());
    Duration budget =
        values.containsKey(ServerSetting.SYNCHRONOUS_TIME_BUDGET)
            ? parseDuration(
                ServerSetting.SYNCHRONOUS_TIME_BUDGET,
                values.get(ServerSetting.SYNCHRONOUS_TIME_BUDGET))
            : defaults.synchronousTimeBudget();
    try {
      return new RequestLimits(
          requestThreads, requestQueue, evaluationThreads, evaluationQueue, budget);
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(e.getMessage());
    }
  }

  private static int intSetting(
      Map<ServerSetting, String> values, ServerSetting setting, int defaultValue) {
    String value = values.get(setting);
    return value == null || value.isBlank() ? defaultValue : parseInt(setting, value);
  }

  private static Duration parseDuration(ServerSetting setting, String value) {
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ServerConfig.invalid(
          setting.key() + " must be an ISO-8601 duration such as PT5S, was '" + value + "'");
    }
  }

  /** The flow limits that the settings give, the defaults for the others (SPEC §6.4, §11). */
  private static FlowLimits flowLimits(Map<ServerSetting, String> values) {
    FlowLimits defaults = FlowLimits.defaults();
    try {
      return new FlowLimits(
          intSetting(values, ServerSetting.MAX_EXECUTED_ELEMENTS, defaults.maxExecutedElements()),
          intSetting(values, ServerSetting.MAX_SUBFLOW_DEPTH, defaults.maxSubflowDepth()),
          intSetting(values, ServerSetting.MAX_INPUT_JSON_CHARS, defaults.maxInputJsonChars()),
          durationSetting(values, ServerSetting.MAX_CPU_TIME, defaults.maxCpuTime()),
          durationSetting(values, ServerSetting.MAX_SEGMENT_TIME, defaults.maxSegmentTime()),
          intSetting(values, ServerSetting.MAX_TEXT_LENGTH, defaults.maxTextLength()),
          intSetting(values, ServerSetting.MAX_COLLECTION_ITEMS, defaults.maxCollectionItems()),
          intSetting(values, ServerSetting.MAX_VALUES_JSON_CHARS, defaults.maxValuesJsonChars()),
          durationSetting(values, ServerSetting.ACTION_TIMEOUT, defaults.actionTimeout()),
          defaults.segmentTimeLimitName());
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(e.getMessage());
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int parseInt(ServerSetting setting, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ServerConfig.invalid(setting.key() + " must be an integer, was '" + value + "'");
    }
  }

  private static long parseLong(ServerSetting setting, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ServerConfig.invalid(setting.key() + " must be an integer, was '" + value + "'");
    }
  }

  private static boolean parseBoolean(ServerSetting setting, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ServerConfig.invalid(setting.key() + " must be true or false, was '" + value + "'");
    };
  }
}
