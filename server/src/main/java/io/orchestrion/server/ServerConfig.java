package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.server.events.EventDeliverySettings;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.http.RequestLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's settings. Read by {@link ServerConfigLoader} from a file, then environment
 * variables, then command-line flags (later wins). Every setting and its default is listed in
 * {@link ServerSetting} (with its config-file key, environment variable and default), parsed by
 * {@link ServerSettingsParser} and documented in {@code docs/configuration.md}. This record holds
 * the values and checks the rules between them.
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

  /** The error of a setting that is not valid: INVALID_REQUEST, naming the setting. */
  static OrchestrionException invalid(String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "Invalid server configuration: " + message);
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
