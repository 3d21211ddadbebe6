package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.server.events.EventDeliverySettings;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.http.RequestLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings. Read by {@link ServerConfigLoader} from a file, then environment
 * variables, then command-line flags (later wins). Every setting and its default is listed in
 * {@link Setting} and documented in {@code docs/configuration.md}.
 *
 * @param port 0 picks a free port (tests)
 * @param jdbcUrl a PostgreSQL (or other) JDBC URL; empty means the embedded H2 database in {@code
 *     dataDirectory}
 * @param jwtSecret the HS256 secret that signs and verifies bearer tokens; when neither it nor
 *     {@code jwtPublicKey} is set, a secret is generated at first start and kept in {@code
 *     dataDirectory/jwt-secret}
 * @param jwtPublicKey an RS256 public key (PEM text or the path of a PEM file) verifying tokens
 *     issued elsewhere; excludes {@code jwtSecret}
 * @param jwtPrivateKey the matching RS256 private key (PKCS#8 PEM text or file), only needed to
 *     mint tokens with {@code orchestrion token} or the demo
 * @param metricsRequireToken whether {@code /metrics} needs a bearer token (by default it does not)
 * @param engineSettings the node's pool size, worker concurrency, and job lease and poll timings
 * @param maxTokenLifetime the longest lifetime of a bearer token the server accepts ({@code exp -
 *     iat}, or {@code exp - now} without {@code iat}); the {@code token} command mints no longer
 * @param pluginDirectory the plugin directory (one sub-directory per plugin), which must exist;
 *     empty means {@code dataDirectory/plugins} if that exists, else none (see {@link
 *     #effectivePluginDirectory()})
 * @param requestLimits the request and evaluation pools (threads, queues: 429 past them) and the
 *     time budget of synchronous work in a request
 * @param idempotencyKeyRetention how long an {@code Idempotency-Key} is remembered (SPEC §11: 24 h)
 * @param flowLimits the limits of flow interviews (SPEC §6.4); the server sets the limits on values
 *     from its settings and keeps the defaults of the others
 * @param pluginConfiguration the plugins' settings and secrets: {@code plugins.<id>.<key>} in the
 *     config file, {@code ORCHESTRION_PLUGINS_<ID>_<KEY>} in the environment (docs/plugins.md)
 * @param eventDelivery the event stream's and the webhooks' settings
 * @param notifications how this node delivers notification events to the plugins' listeners (the
 *     e-mail plugin's, say)
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDirectory,
    Optional<String> jdbcUrl,
    Optional<String> jdbcUser,
    Optional<String> jdbcPassword,
    Optional<String> jwtSecret,
    Optional<String> jwtPublicKey,
    Optional<String> jwtPrivateKey,
    long maxBodyBytes,
    Optional<Path> pluginDirectory,
    RequestLimits requestLimits,
    Duration idempotencyKeyRetention,
    boolean metricsRequireToken,
    FlowLimits flowLimits,
    Duration maxTokenLifetime,
    EngineSettings engineSettings,
    PluginConfiguration pluginConfiguration,
    EventDeliverySettings eventDelivery,
    NotificationSettings notifications) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** SPEC §11: idempotency keys are kept 24 h. */
  public static final Duration DEFAULT_IDEMPOTENCY_KEY_RETENTION = Duration.ofHours(24);

  /** The longest lifetime of a bearer token the server accepts (SPEC §11). */
  public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = JwtTokens.DEFAULT_MAX_LIFETIME;

  /** The plugin directory inside the data directory, used when it exists and none is configured. */
  public static final String DEFAULT_PLUGIN_DIRECTORY_NAME = "plugins";

  /** HS256 needs a key at least as long as its 256-bit hash (RFC 7518 §3.2). */
  public static final int MIN_JWT_SECRET_LENGTH = 32;

  public ServerConfig {
    requireNonNull(host, "host is null");
    if (host.isBlank()) {
      throw invalid("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw invalid("port must be between 0 and 65535, was " + port);
    }
    requireNonNull(dataDirectory, "dataDirectory is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(jdbcUser, "jdbcUser is null");
    requireNonNull(jdbcPassword, "jdbcPassword is null");
    requireNonNull(jwtSecret, "jwtSecret is null");
    requireNonNull(jwtPublicKey, "jwtPublicKey is null");
    requireNonNull(jwtPrivateKey, "jwtPrivateKey is null");
    if (jwtSecret.isPresent() && jwtSecret.get().length() < MIN_JWT_SECRET_LENGTH) {
      throw invalid("jwtSecret must have at least " + MIN_JWT_SECRET_LENGTH + " characters");
    }
    if (jwtSecret.isPresent() && jwtPublicKey.isPresent()) {
      throw invalid(
          "jwtSecret (HS256) and jwtPublicKey (RS256) exclude each other; configure one of them");
    }
    if (jwtPrivateKey.isPresent() && jwtPublicKey.isEmpty()) {
      throw invalid("jwtPrivateKey needs the matching jwtPublicKey");
    }
    if (maxBodyBytes < 1) {
      throw invalid("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    requireNonNull(pluginDirectory, "pluginDirectory is null");
    requireNonNull(requestLimits, "requestLimits is null");
    requireNonNull(idempotencyKeyRetention, "idempotencyKeyRetention is null");
    if (idempotencyKeyRetention.isNegative() || idempotencyKeyRetention.isZero()) {
      throw invalid("idempotencyKeyRetention must be positive, was " + idempotencyKeyRetention);
    }
    requireNonNull(flowLimits, "flowLimits is null");
    requireNonNull(engineSettings, "engineSettings is null");
    requireNonNull(eventDelivery, "eventDelivery is null");
    requireNonNull(notifications, "notifications is null");
    requireNonNull(maxTokenLifetime, "maxTokenLifetime is null");
    if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
      throw invalid("maxTokenLifetime must be positive, was " + maxTokenLifetime);
    }
    requireNonNull(pluginConfiguration, "pluginConfiguration is null");
  }

  /** All defaults: 127.0.0.1:8080, H2 in ./data, a generated JWT secret, 1 MiB bodies. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_DATA_DIRECTORY,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_MAX_BODY_BYTES,
        Optional.empty(),
        RequestLimits.defaults(),
        DEFAULT_IDEMPOTENCY_KEY_RETENTION,
        false,
        FlowLimits.defaults(),
        DEFAULT_MAX_TOKEN_LIFETIME,
        EngineSettings.defaults(),
        PluginConfiguration.empty(),
        EventDeliverySettings.defaults(),
        NotificationSettings.defaults());
  }

  public ServerConfig withPort(int newPort) {
    Copy copy = new Copy(this);
    copy.port = newPort;
    return copy.build();
  }

  public ServerConfig withDataDirectory(Path newDataDirectory) {
    Copy copy = new Copy(this);
    copy.dataDirectory = newDataDirectory;
    return copy.build();
  }

  public ServerConfig withIdempotencyKeyRetention(Duration newIdempotencyKeyRetention) {
    Copy copy = new Copy(this);
    copy.idempotencyKeyRetention = newIdempotencyKeyRetention;
    return copy.build();
  }

  public ServerConfig withJwtSecret(String secret) {
    Copy copy = new Copy(this);
    copy.jwtSecret = Optional.of(secret);
    copy.jwtPublicKey = Optional.empty();
    copy.jwtPrivateKey = Optional.empty();
    return copy.build();
  }

  /** Verifies RS256 tokens with {@code publicKeyPem} and holds no key to mint them. */
  public ServerConfig withJwtPublicKey(String publicKeyPem) {
    Copy copy = new Copy(this);
    copy.jwtSecret = Optional.empty();
    copy.jwtPublicKey = Optional.of(publicKeyPem);
    copy.jwtPrivateKey = Optional.empty();
    return copy.build();
  }

  public ServerConfig withMaxBodyBytes(long newMaxBodyBytes) {
    Copy copy = new Copy(this);
    copy.maxBodyBytes = newMaxBodyBytes;
    return copy.build();
  }

  public ServerConfig withPluginDirectory(Path newPluginDirectory) {
    Copy copy = new Copy(this);
    copy.pluginDirectory = Optional.of(newPluginDirectory);
    return copy.build();
  }

  public ServerConfig withFlowLimits(FlowLimits newFlowLimits) {
    Copy copy = new Copy(this);
    copy.flowLimits = newFlowLimits;
    return copy.build();
  }

  public ServerConfig withMetricsRequireToken(boolean requireToken) {
    Copy copy = new Copy(this);
    copy.metricsRequireToken = requireToken;
    return copy.build();
  }

  public ServerConfig withNotifications(NotificationSettings newNotifications) {
    Copy copy = new Copy(this);
    copy.notifications = newNotifications;
    return copy.build();
  }

  public ServerConfig withEventDelivery(EventDeliverySettings newEventDelivery) {
    Copy copy = new Copy(this);
    copy.eventDelivery = newEventDelivery;
    return copy.build();
  }

  public ServerConfig withRequestLimits(RequestLimits newRequestLimits) {
    Copy copy = new Copy(this);
    copy.requestLimits = newRequestLimits;
    return copy.build();
  }

  public ServerConfig withJdbcUrl(String url) {
    Copy copy = new Copy(this);
    copy.jdbcUrl = Optional.of(url);
    return copy.build();
  }

  public ServerConfig withEngineSettings(EngineSettings newEngineSettings) {
    Copy copy = new Copy(this);
    copy.engineSettings = newEngineSettings;
    return copy.build();
  }

  public ServerConfig withPluginConfiguration(PluginConfiguration newPluginConfiguration) {
    Copy copy = new Copy(this);
    copy.pluginConfiguration = newPluginConfiguration;
    return copy.build();
  }

  public ServerConfig withMaxTokenLifetime(Duration newMaxTokenLifetime) {
    Copy copy = new Copy(this);
    copy.maxTokenLifetime = newMaxTokenLifetime;
    return copy.build();
  }

  /**
   * The plugin directory the engine loads: the configured one, else {@code dataDirectory/plugins}
   * when that is a directory, else none. A configured directory that does not exist stops the
   * start-up (a typo must not silently drop plugins); the default one is optional so that
   * installations without plugins need nothing.
   */
  public Optional<Path> effectivePluginDirectory() {
    return pluginDirectory.or(
        () ->
            Optional.of(dataDirectory.resolve(DEFAULT_PLUGIN_DIRECTORY_NAME))
                .filter(Files::isDirectory));
  }

  /** Builds a config from setting values by {@link Setting#key()}; missing settings default. */
  static ServerConfig fromSettings(Map<Setting, String> values) {
    return fromSettings(values, PluginConfiguration.empty());
  }

  /** Like {@link #fromSettings(Map)}, with the plugins' settings and secrets. */
  static ServerConfig fromSettings(
      Map<Setting, String> values, PluginConfiguration pluginConfiguration) {
    return new ServerConfig(
        values.getOrDefault(Setting.HOST, DEFAULT_HOST).trim(),
        parseInt(Setting.PORT, values.getOrDefault(Setting.PORT, Integer.toString(DEFAULT_PORT))),
        values.containsKey(Setting.DATA_DIRECTORY)
            ? Path.of(values.get(Setting.DATA_DIRECTORY).trim())
            : DEFAULT_DATA_DIRECTORY,
        nonBlank(values.get(Setting.JDBC_URL)),
        nonBlank(values.get(Setting.JDBC_USER)),
        Optional.ofNullable(values.get(Setting.JDBC_PASSWORD)),
        nonBlank(values.get(Setting.JWT_SECRET)),
        nonBlank(values.get(Setting.JWT_PUBLIC_KEY)),
        nonBlank(values.get(Setting.JWT_PRIVATE_KEY)),
        parseLong(
            Setting.MAX_BODY_BYTES,
            values.getOrDefault(Setting.MAX_BODY_BYTES, Long.toString(DEFAULT_MAX_BODY_BYTES))),
        nonBlank(values.get(Setting.PLUGIN_DIRECTORY)).map(Path::of),
        requestLimits(values),
        parseDuration(
            Setting.IDEMPOTENCY_KEY_RETENTION,
            values.getOrDefault(
                Setting.IDEMPOTENCY_KEY_RETENTION, DEFAULT_IDEMPOTENCY_KEY_RETENTION.toString())),
        parseBoolean(
            Setting.METRICS_REQUIRE_TOKEN,
            values.getOrDefault(Setting.METRICS_REQUIRE_TOKEN, "false")),
        flowLimits(values),
        parseDuration(
            Setting.MAX_TOKEN_LIFETIME,
            values.getOrDefault(Setting.MAX_TOKEN_LIFETIME, DEFAULT_MAX_TOKEN_LIFETIME.toString())),
        engineSettings(values),
        pluginConfiguration,
        eventDelivery(values),
        notifications(values));
  }

  private static NotificationSettings notifications(Map<Setting, String> values) {
    NotificationSettings defaults = NotificationSettings.defaults();
    try {
      return new NotificationSettings(
          parseBoolean(
              Setting.NOTIFICATIONS_ENABLED,
              values.getOrDefault(Setting.NOTIFICATIONS_ENABLED, "true")),
          intSetting(values, Setting.NOTIFICATION_BATCH_SIZE, defaults.batchSize()),
          durationSetting(values, Setting.NOTIFICATION_POLL_INTERVAL, defaults.pollInterval()),
          durationSetting(values, Setting.NOTIFICATION_BACKOFF, defaults.backoff()),
          durationSetting(values, Setting.NOTIFICATION_MAX_BACKOFF, defaults.maxBackoff()),
          intSetting(values, Setting.NOTIFICATION_MAX_ATTEMPTS, defaults.maxAttempts()),
          durationSetting(values, Setting.NOTIFICATION_LEASE, defaults.lease()));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static EventDeliverySettings eventDelivery(Map<Setting, String> values) {
    EventDeliverySettings defaults = EventDeliverySettings.defaults();
    try {
      return new EventDeliverySettings(
          durationSetting(values, Setting.STREAM_HEARTBEAT, defaults.streamHeartbeat()),
          durationSetting(values, Setting.STREAM_POLL_INTERVAL, defaults.streamPollInterval()),
          intSetting(values, Setting.MAX_STREAMS, defaults.maxStreams()),
          intSetting(values, Setting.STREAM_BUFFER_BYTES, defaults.streamBufferBytes()),
          durationSetting(values, Setting.STREAM_TICKET_LIFETIME, defaults.streamTicketLifetime()),
          durationSetting(values, Setting.WEBHOOK_TIMEOUT, defaults.webhookTimeout()),
          intSetting(values, Setting.WEBHOOK_MAX_ATTEMPTS, defaults.webhookMaxAttempts()),
          durationSetting(values, Setting.WEBHOOK_BACKOFF, defaults.webhookBackoff()),
          durationSetting(values, Setting.WEBHOOK_MAX_BACKOFF, defaults.webhookMaxBackoff()),
          intSetting(values, Setting.WEBHOOK_CONCURRENCY, defaults.webhookConcurrency()),
          durationSetting(values, Setting.WEBHOOK_RETENTION, defaults.webhookRetention()));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static EngineSettings engineSettings(Map<Setting, String> values) {
    EngineSettings defaults = EngineSettings.defaults();
    try {
      return new EngineSettings(
          intSetting(values, Setting.MAX_POOL_SIZE, defaults.maxPoolSize()),
          intSetting(values, Setting.WORKER_CONCURRENCY, defaults.workerConcurrency()),
          durationSetting(values, Setting.LEASE_DURATION, defaults.leaseDuration()),
          durationSetting(values, Setting.POLL_INTERVAL, defaults.pollInterval()),
          intSetting(values, Setting.JOB_GROUP_SIZE, defaults.jobGroupSize()));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static Duration durationSetting(
      Map<Setting, String> values, Setting setting, Duration defaultValue) {
    String value = values.get(setting);
    return value == null || value.isBlank() ? defaultValue : parseDuration(setting, value);
  }

  private static RequestLimits requestLimits(Map<Setting, String> values) {
    RequestLimits defaults = RequestLimits.defaults();
    int requestThreads = intSetting(values, Setting.REQUEST_THREADS, defaults.requestThreads());
    int requestQueue = intSetting(values, Setting.REQUEST_QUEUE, defaults.requestQueue());
    int evaluationThreads =
        intSetting(values, Setting.EVALUATION_THREADS, defaults.evaluationThreads());
    int evaluationQueue = intSetting(values, Setting.EVALUATION_QUEUE, defaults.evaluationQueue());
    Duration budget =
        values.containsKey(Setting.SYNCHRONOUS_TIME_BUDGET)
            ? parseDuration(
                Setting.SYNCHRONOUS_TIME_BUDGET, values.get(Setting.SYNCHRONOUS_TIME_BUDGET))
            : defaults.synchronousTimeBudget();
    try {
      return new RequestLimits(
          requestThreads, requestQueue, evaluationThreads, evaluationQueue, budget);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static int intSetting(Map<Setting, String> values, Setting setting, int defaultValue) {
    String value = values.get(setting);
    return value == null || value.isBlank() ? defaultValue : parseInt(setting, value);
  }

  private static Duration parseDuration(Setting setting, String value) {
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw invalid(
          setting.key() + " must be an ISO-8601 duration such as PT5S, was '" + value + "'");
    }
  }

  /** The flow limits that the settings give, the defaults for the others (SPEC §6.4, §11). */
  private static FlowLimits flowLimits(Map<Setting, String> values) {
    FlowLimits defaults = FlowLimits.defaults();
    try {
      return new FlowLimits(
          intSetting(values, Setting.MAX_EXECUTED_ELEMENTS, defaults.maxExecutedElements()),
          intSetting(values, Setting.MAX_SUBFLOW_DEPTH, defaults.maxSubflowDepth()),
          intSetting(values, Setting.MAX_INPUT_JSON_CHARS, defaults.maxInputJsonChars()),
          durationSetting(values, Setting.MAX_CPU_TIME, defaults.maxCpuTime()),
          durationSetting(values, Setting.MAX_SEGMENT_TIME, defaults.maxSegmentTime()),
          intSetting(values, Setting.MAX_TEXT_LENGTH, defaults.maxTextLength()),
          intSetting(values, Setting.MAX_COLLECTION_ITEMS, defaults.maxCollectionItems()),
          intSetting(values, Setting.MAX_VALUES_JSON_CHARS, defaults.maxValuesJsonChars()),
          durationSetting(values, Setting.ACTION_TIMEOUT, defaults.actionTimeout()),
          defaults.segmentTimeLimitName());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  // Secrets stay out of logs and exception messages.
  @Override
  public String toString() {
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", dataDirectory="
        + dataDirectory
        + ", jdbcUrl="
        + jdbcUrl.orElse("(embedded H2)")
        + ", jdbcUser="
        + jdbcUser.orElse("")
        + ", jdbcPassword="
        + (jdbcPassword.isPresent() ? "****" : "")
        + ", jwtSecret="
        + (jwtSecret.isPresent() ? "****" : jwtPublicKey.isPresent() ? "" : "(generated)")
        + ", jwtPublicKey="
        + (jwtPublicKey.isPresent() ? "(set)" : "")
        + ", jwtPrivateKey="
        + (jwtPrivateKey.isPresent() ? "****" : "")
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", pluginDirectory="
        + pluginDirectory.map(Path::toString).orElse("(default)")
        + ", requestLimits="
        + requestLimits
        + ", idempotencyKeyRetention="
        + idempotencyKeyRetention
        + ", metricsRequireToken="
        + metricsRequireToken
        + ", flowLimits="
        + flowLimits
        + ", maxTokenLifetime="
        + maxTokenLifetime
        + ", engineSettings="
        + engineSettings
        + ", pluginConfiguration="
        + pluginConfiguration
        + ", eventDelivery="
        + eventDelivery
        + ", notifications="
        + notifications
        + "]";
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int parseInt(Setting setting, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(setting.key() + " must be an integer, was '" + value + "'");
    }
  }

  private static long parseLong(Setting setting, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(setting.key() + " must be an integer, was '" + value + "'");
    }
  }

  private static boolean parseBoolean(Setting setting, String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(setting.key() + " must be true or false, was '" + value + "'");
    };
  }

  private static OrchestrionException invalid(String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "Invalid server configuration: " + message);
  }

  /** The settings, with their names in a config file and in the environment. */
  public enum Setting {
    HOST("host", "ORCHESTRION_HOST", DEFAULT_HOST),
    PORT("port", "ORCHESTRION_PORT", Integer.toString(DEFAULT_PORT)),
    DATA_DIRECTORY("dataDirectory", "ORCHESTRION_DATA_DIR", DEFAULT_DATA_DIRECTORY.toString()),
    JDBC_URL("jdbcUrl", "ORCHESTRION_JDBC_URL", ""),
    JDBC_USER("jdbcUser", "ORCHESTRION_JDBC_USER", ""),
    JDBC_PASSWORD("jdbcPassword", "ORCHESTRION_JDBC_PASSWORD", ""),
    JWT_SECRET("jwtSecret", "ORCHESTRION_JWT_SECRET", ""),
    JWT_PUBLIC_KEY("jwtPublicKey", "ORCHESTRION_JWT_PUBLIC_KEY", ""),
    JWT_PRIVATE_KEY("jwtPrivateKey", "ORCHESTRION_JWT_PRIVATE_KEY", ""),
    MAX_BODY_BYTES(
        "maxBodyBytes", "ORCHESTRION_MAX_BODY_BYTES", Long.toString(DEFAULT_MAX_BODY_BYTES)),
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
        DEFAULT_IDEMPOTENCY_KEY_RETENTION.toString()),
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
        DEFAULT_MAX_TOKEN_LIFETIME.toString()),
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
        "actionTimeout",
        "ORCHESTRION_ACTION_TIMEOUT",
        FlowLimits.DEFAULT_ACTION_TIMEOUT.toString()),
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
    LEASE_DURATION(
        "leaseDuration",
        "ORCHESTRION_LEASE_DURATION",
        EngineSettings.DEFAULT_LEASE_DURATION.toString()),
    POLL_INTERVAL(
        "pollInterval",
        "ORCHESTRION_POLL_INTERVAL",
        EngineSettings.DEFAULT_POLL_INTERVAL.toString()),
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

    Setting(String key, String environmentVariable, String defaultValue) {
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

    static Optional<Setting> byKey(String key) {
      for (Setting setting : values()) {
        if (setting.key.equals(key)) {
          return Optional.of(setting);
        }
      }
      return Optional.empty();
    }
  }

  /** A changeable copy of the settings, so that each {@code with...} method changes one. */
  private static final class Copy {
    private String host;
    private int port;
    private Path dataDirectory;
    private Optional<String> jdbcUrl;
    private Optional<String> jdbcUser;
    private Optional<String> jdbcPassword;
    private Optional<String> jwtSecret;
    private Optional<String> jwtPublicKey;
    private Optional<String> jwtPrivateKey;
    private long maxBodyBytes;
    private Optional<Path> pluginDirectory;
    private RequestLimits requestLimits;
    private Duration idempotencyKeyRetention;
    private boolean metricsRequireToken;
    private FlowLimits flowLimits;
    private Duration maxTokenLifetime;
    private EngineSettings engineSettings;
    private PluginConfiguration pluginConfiguration;
    private EventDeliverySettings eventDelivery;
    private NotificationSettings notifications;

    Copy(ServerConfig config) {
      host = config.host;
      port = config.port;
      dataDirectory = config.dataDirectory;
      jdbcUrl = config.jdbcUrl;
      jdbcUser = config.jdbcUser;
      jdbcPassword = config.jdbcPassword;
      jwtSecret = config.jwtSecret;
      jwtPublicKey = config.jwtPublicKey;
      jwtPrivateKey = config.jwtPrivateKey;
      maxBodyBytes = config.maxBodyBytes;
      pluginDirectory = config.pluginDirectory;
      requestLimits = config.requestLimits;
      idempotencyKeyRetention = config.idempotencyKeyRetention;
      metricsRequireToken = config.metricsRequireToken;
      flowLimits = config.flowLimits;
      maxTokenLifetime = config.maxTokenLifetime;
      engineSettings = config.engineSettings;
      pluginConfiguration = config.pluginConfiguration;
      eventDelivery = config.eventDelivery;
      notifications = config.notifications;
    }

    ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          dataDirectory,
          jdbcUrl,
          jdbcUser,
          jdbcPassword,
          jwtSecret,
          jwtPublicKey,
          jwtPrivateKey,
          maxBodyBytes,
          pluginDirectory,
          requestLimits,
          idempotencyKeyRetention,
          metricsRequireToken,
          flowLimits,
          maxTokenLifetime,
          engineSettings,
          pluginConfiguration,
          eventDelivery,
          notifications);
    }
  }
}
