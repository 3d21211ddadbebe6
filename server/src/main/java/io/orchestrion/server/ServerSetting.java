package io.orchestrion.server;

import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.server.events.EventDeliverySettings;
import io.orchestrion.server.http.RequestLimits;
import java.util.Optional;

/**
 * The server's settings, with their names in a config file and in the environment and their
 * defaults as text (docs/configuration.md lists them). {@link ServerSettingsParser} turns their
 * values into a {@link ServerConfig}.
 */
public enum ServerSetting {
  HOST("host", "ORCHESTRION_HOST", ServerConfig.DEFAULT_HOST),
  PORT("port", "ORCHESTRION_PORT", Integer.toString(ServerConfig.DEFAULT_PORT)),
  DATA_DIRECTORY(
      "dataDirectory", "ORCHESTRION_DATA_DIR", ServerConfig.DEFAULT_DATA_DIRECTORY.toString()),
  JDBC_URL("jdbcUrl", "ORCHESTRION_JDBC_URL", ""),
  JDBC_USER("jdbcUser", "ORCHESTRION_JDBC_USER", ""),
  JDBC_PASSWORD("jdbcPassword", "ORCHESTRION_JDBC_PASSWORD", ""),
  JWT_SECRET("jwtSecret", "ORCHESTRION_JWT_SECRET", ""),
  JWT_PUBLIC_KEY("jwtPublicKey", "ORCHESTRION_JWT_PUBLIC_KEY", ""),
  JWT_PRIVATE_KEY("jwtPrivateKey", "ORCHESTRION_JWT_PRIVATE_KEY", ""),
  MAX_BODY_BYTES(
      "maxBodyBytes",
      "ORCHESTRION_MAX_BODY_BYTES",
      Long.toString(ServerConfig.DEFAULT_MAX_BODY_BYTES)),
  // Empty: the default depends on the data directory (dataDirectory/plugins, if it exists).
  PLUGIN_DIRECTORY("pluginDirectory", "ORCHESTRION_PLUGIN_DIR", ""),
  REQUEST_THREADS(
      "requestThreads",
      "ORCHESTRION_REQUEST_THREADS",
      Integer.toString(RequestLimits.DEFAULT_REQUEST_THREADS)),
  REQUEST_QUEUE(
      "requestQueue",
      "ORCHESTRION_REQUEST_QUEUE",
      Integer.toString(RequestLimits.DEFAULT_REQUEST_QUEUE)),
  // Empty: the default depends on the machine (available processors − 1, at least 1).
  EVALUATION_THREADS("evaluationThreads", "ORCHESTRION_EVALUATION_THREADS", ""),
  EVALUATION_QUEUE(
      "evaluationQueue",
      "ORCHESTRION_EVALUATION_QUEUE",
      Integer.toString(RequestLimits.DEFAULT_EVALUATION_QUEUE)),
  SYNCHRONOUS_TIME_BUDGET(
      "synchronousTimeBudget",
      "ORCHESTRION_SYNCHRONOUS_TIME_BUDGET",
      RequestLimits.DEFAULT_SYNCHRONOUS_TIME_BUDGET.toString()),
  IDEMPOTENCY_KEY_RETENTION(
      "idempotencyKeyRetention",
      "ORCHESTRION_IDEMPOTENCY_KEY_RETENTION",
      ServerConfig.DEFAULT_IDEMPOTENCY_KEY_RETENTION.toString()),
  METRICS_REQUIRE_TOKEN("metricsRequireToken", "ORCHESTRION_METRICS_REQUIRE_TOKEN", "false"),
  MAX_TEXT_LENGTH(
      "maxTextLength",
      "ORCHESTRION_MAX_TEXT_LENGTH",
      Integer.toString(FlowLimits.DEFAULT_MAX_TEXT_LENGTH)),
  MAX_COLLECTION_ITEMS(
      "maxCollectionItems",
      "ORCHESTRION_MAX_COLLECTION_ITEMS",
      Integer.toString(FlowLimits.DEFAULT_MAX_COLLECTION_ITEMS)),
  MAX_VALUES_JSON_CHARS(
      "maxValuesJsonChars",
      "ORCHESTRION_MAX_VALUES_JSON_CHARS",
      Integer.toString(FlowLimits.DEFAULT_MAX_VALUES_JSON_CHARS)),
  MAX_TOKEN_LIFETIME(
      "maxTokenLifetime",
      "ORCHESTRION_MAX_TOKEN_LIFETIME",
      ServerConfig.DEFAULT_MAX_TOKEN_LIFETIME.toString()),
  MAX_EXECUTED_ELEMENTS(
      "maxExecutedElements",
      "ORCHESTRION_MAX_EXECUTED_ELEMENTS",
      Integer.toString(FlowLimits.defaults().maxExecutedElements())),
  MAX_SUBFLOW_DEPTH(
      "maxSubflowDepth",
      "ORCHESTRION_MAX_SUBFLOW_DEPTH",
      Integer.toString(FlowLimits.defaults().maxSubflowDepth())),
  MAX_INPUT_JSON_CHARS(
      "maxInputJsonChars",
      "ORCHESTRION_MAX_INPUT_JSON_CHARS",
      Integer.toString(FlowLimits.defaults().maxInputJsonChars())),
  MAX_CPU_TIME(
      "maxCpuTime", "ORCHESTRION_MAX_CPU_TIME", FlowLimits.DEFAULT_MAX_CPU_TIME.toString()),
  MAX_SEGMENT_TIME(
      "maxSegmentTime",
      "ORCHESTRION_MAX_SEGMENT_TIME",
      FlowLimits.DEFAULT_MAX_SEGMENT_TIME.toString()),
  ACTION_TIMEOUT(
      "actionTimeout", "ORCHESTRION_ACTION_TIMEOUT", FlowLimits.DEFAULT_ACTION_TIMEOUT.toString()),
  MAX_POOL_SIZE(
      "maxPoolSize",
      "ORCHESTRION_MAX_POOL_SIZE",
      Integer.toString(DatabaseConfig.DEFAULT_MAX_POOL_SIZE)),
  WORKER_CONCURRENCY(
      "workerConcurrency",
      "ORCHESTRION_WORKER_CONCURRENCY",
      Integer.toString(EngineConfig.DEFAULT_WORKER_CONCURRENCY)),
  JOB_GROUP_SIZE(
      "jobGroupSize",
      "ORCHESTRION_JOB_GROUP_SIZE",
      Integer.toString(EngineConfig.DEFAULT_JOB_GROUP_SIZE)),
  COMMAND_GROUP_SIZE(
      "commandGroupSize",
      "ORCHESTRION_COMMAND_GROUP_SIZE",
      Integer.toString(EngineConfig.DEFAULT_COMMAND_GROUP_SIZE)),
  JOB_TRANSACTIONS_AT_ONCE(
      "jobTransactionsAtOnce",
      "ORCHESTRION_JOB_TRANSACTIONS_AT_ONCE",
      Integer.toString(EngineConfig.JOB_TRANSACTIONS_BY_DATABASE)),
  H2_HOUSEKEEPING(
      "h2Housekeeping",
      "ORCHESTRION_H2_HOUSEKEEPING",
      EngineConfig.DEFAULT_H2_HOUSEKEEPING.toString()),
  H2_WRITE_GATHER(
      "h2WriteGather",
      "ORCHESTRION_H2_WRITE_GATHER",
      EngineConfig.DEFAULT_H2_WRITE_GATHER.toString()),
  DIRECTORY_TRUST(
      "directoryTrust",
      "ORCHESTRION_DIRECTORY_TRUST",
      EngineConfig.DEFAULT_DIRECTORY_TRUST.toString()),
  RUN_CACHE_SIZE(
      "runCacheSize",
      "ORCHESTRION_RUN_CACHE_SIZE",
      Integer.toString(EngineConfig.DEFAULT_RUN_CACHE_SIZE)),
  LEASE_DURATION(
      "leaseDuration",
      "ORCHESTRION_LEASE_DURATION",
      EngineSettings.DEFAULT_LEASE_DURATION.toString()),
  POLL_INTERVAL(
      "pollInterval", "ORCHESTRION_POLL_INTERVAL", EngineSettings.DEFAULT_POLL_INTERVAL.toString()),
  STREAM_HEARTBEAT(
      "streamHeartbeat",
      "ORCHESTRION_STREAM_HEARTBEAT",
      EventDeliverySettings.DEFAULT_STREAM_HEARTBEAT.toString()),
  STREAM_POLL_INTERVAL(
      "streamPollInterval",
      "ORCHESTRION_STREAM_POLL_INTERVAL",
      EventDeliverySettings.DEFAULT_STREAM_POLL_INTERVAL.toString()),
  MAX_STREAMS(
      "maxStreams",
      "ORCHESTRION_MAX_STREAMS",
      Integer.toString(EventDeliverySettings.DEFAULT_MAX_STREAMS)),
  STREAM_BUFFER_BYTES(
      "streamBufferBytes",
      "ORCHESTRION_STREAM_BUFFER_BYTES",
      Integer.toString(EventDeliverySettings.DEFAULT_STREAM_BUFFER_BYTES)),
  STREAM_TICKET_LIFETIME(
      "streamTicketLifetime",
      "ORCHESTRION_STREAM_TICKET_LIFETIME",
      EventDeliverySettings.DEFAULT_STREAM_TICKET_LIFETIME.toString()),
  WEBHOOK_TIMEOUT(
      "webhookTimeout",
      "ORCHESTRION_WEBHOOK_TIMEOUT",
      EventDeliverySettings.DEFAULT_WEBHOOK_TIMEOUT.toString()),
  WEBHOOK_MAX_ATTEMPTS(
      "webhookMaxAttempts",
      "ORCHESTRION_WEBHOOK_MAX_ATTEMPTS",
      Integer.toString(EventDeliverySettings.DEFAULT_WEBHOOK_MAX_ATTEMPTS)),
  WEBHOOK_BACKOFF(
      "webhookBackoff",
      "ORCHESTRION_WEBHOOK_BACKOFF",
      EventDeliverySettings.DEFAULT_WEBHOOK_BACKOFF.toString()),
  WEBHOOK_MAX_BACKOFF(
      "webhookMaxBackoff",
      "ORCHESTRION_WEBHOOK_MAX_BACKOFF",
      EventDeliverySettings.DEFAULT_WEBHOOK_MAX_BACKOFF.toString()),
  WEBHOOK_CONCURRENCY(
      "webhookConcurrency",
      "ORCHESTRION_WEBHOOK_CONCURRENCY",
      Integer.toString(EventDeliverySettings.DEFAULT_WEBHOOK_CONCURRENCY)),
  WEBHOOK_RETENTION(
      "webhookRetention",
      "ORCHESTRION_WEBHOOK_RETENTION",
      EventDeliverySettings.DEFAULT_WEBHOOK_RETENTION.toString()),
  NOTIFICATIONS_ENABLED("notificationsEnabled", "ORCHESTRION_NOTIFICATIONS_ENABLED", "true"),
  NOTIFICATION_BATCH_SIZE(
      "notificationBatchSize",
      "ORCHESTRION_NOTIFICATION_BATCH_SIZE",
      Integer.toString(NotificationSettings.DEFAULT_BATCH_SIZE)),
  NOTIFICATION_POLL_INTERVAL(
      "notificationPollInterval",
      "ORCHESTRION_NOTIFICATION_POLL_INTERVAL",
      NotificationSettings.DEFAULT_POLL_INTERVAL.toString()),
  NOTIFICATION_BACKOFF(
      "notificationBackoff",
      "ORCHESTRION_NOTIFICATION_BACKOFF",
      NotificationSettings.DEFAULT_BACKOFF.toString()),
  NOTIFICATION_MAX_BACKOFF(
      "notificationMaxBackoff",
      "ORCHESTRION_NOTIFICATION_MAX_BACKOFF",
      NotificationSettings.DEFAULT_MAX_BACKOFF.toString()),
  NOTIFICATION_MAX_ATTEMPTS(
      "notificationMaxAttempts",
      "ORCHESTRION_NOTIFICATION_MAX_ATTEMPTS",
      Integer.toString(NotificationSettings.DEFAULT_MAX_ATTEMPTS)),
  NOTIFICATION_LEASE(
      "notificationLease",
      "ORCHESTRION_NOTIFICATION_LEASE",
      NotificationSettings.DEFAULT_LEASE.toString());

  private final String key;
  private final String environmentVariable;
  private final String defaultValue;

  ServerSetting(String key, String environmentVariable, String defaultValue) {
    this.key = key;
    this.environmentVariable = environmentVariable;
    this.defaultValue = defaultValue;
  }

  /** The name in a config file. */
  public String key() {
    return key;
  }

  public String environmentVariable() {
    return environmentVariable;
  }

  /** The default as text; empty for "none". */
  public String defaultValue() {
    return defaultValue;
  }

  static Optional<ServerSetting> byKey(String key) {
    for (ServerSetting setting : values()) {
      if (setting.key.equals(key)) {
        return Optional.of(setting);
      }
    }
    return Optional.empty();
  }
}
