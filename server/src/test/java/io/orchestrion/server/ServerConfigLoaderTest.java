package io.orchestrion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.server.http.RequestLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {
  @TempDir Path directory;

  @Test
  void defaultsWithoutAnySource() {
    ServerConfig config = ServerConfigLoader.load(Optional.empty(), Map.of(), Map.of());
    assertThat(config).isEqualTo(ServerConfig.defaults());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
    assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.jdbcUrl()).isEmpty();
    assertThat(config.jwtSecret()).isEmpty();
    assertThat(config.jwtPublicKey()).isEmpty();
  }

  @Test
  void fileThenEnvironmentThenFlags() throws Exception {
    Path file = directory.resolve("orchestrion.properties");
    Files.writeString(
        file, "port=9001\nhost=0.0.0.0\ndataDirectory=/var/orchestrion\nmaxBodyBytes=2048\n");
    Map<String, String> environment =
        Map.of("ORCHESTRION_PORT", "9002", "ORCHESTRION_JDBC_URL", "jdbc:postgresql://db/o");
    Map<ServerSetting, String> flags = Map.of(ServerSetting.PORT, "9003");

    ServerConfig fileOnly = ServerConfigLoader.load(Optional.of(file), Map.of(), Map.of());
    assertThat(fileOnly.port()).isEqualTo(9001);
    assertThat(fileOnly.host()).isEqualTo("0.0.0.0");
    assertThat(fileOnly.maxBodyBytes()).isEqualTo(2048);

    ServerConfig withEnvironment =
        ServerConfigLoader.load(Optional.of(file), environment, Map.of());
    assertThat(withEnvironment.port()).isEqualTo(9002);
    assertThat(withEnvironment.jdbcUrl()).contains("jdbc:postgresql://db/o");
    assertThat(withEnvironment.dataDirectory()).isEqualTo(Path.of("/var/orchestrion"));

    ServerConfig withFlags = ServerConfigLoader.load(Optional.of(file), environment, flags);
    assertThat(withFlags.port()).isEqualTo(9003);
    assertThat(withFlags.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void jsonFileAndConfigFileFromTheEnvironment() throws Exception {
    Path file = directory.resolve("orchestrion.json");
    Files.writeString(
        file, "{\"port\": 7000, \"jwtSecret\": \"a-secret-of-at-least-32-characters!\"}");
    ServerConfig config =
        ServerConfigLoader.load(
            Optional.empty(), Map.of("ORCHESTRION_CONFIG", file.toString()), Map.of());
    assertThat(config.port()).isEqualTo(7000);
    assertThat(config.jwtSecret()).contains("a-secret-of-at-least-32-characters!");
    assertThat(config.toString()).doesNotContain("a-secret-of-at-least-32-characters!");
  }

  @Test
  void webhookRetentionDefaultsToAWeekAndRefusesANegativeDuration() {
    assertThat(ServerConfig.defaults().eventDelivery().webhookRetention())
        .isEqualTo(java.time.Duration.ofDays(7));
    ServerConfig oneDay = loadWithEnvironment("ORCHESTRION_WEBHOOK_RETENTION", "P1D");
    assertThat(oneDay.eventDelivery().webhookRetention()).isEqualTo(java.time.Duration.ofDays(1));
    assertThat(oneDay.eventDelivery().webhookSettings().retention())
        .isEqualTo(java.time.Duration.ofDays(1));
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_WEBHOOK_RETENTION", "-P1D"))
        .hasMessageContaining("webhookRetention");
  }

  @Test
  void jwtKeySettingsAreChecked() {
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_JWT_SECRET", "too-short"))
        .hasMessageContaining("jwtSecret must have at least 32 characters");
    assertThatThrownBy(
            () ->
                ServerConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "ORCHESTRION_JWT_SECRET",
                        "a-secret-of-at-least-32-characters!",
                        "ORCHESTRION_JWT_PUBLIC_KEY",
                        "/etc/orchestrion/public.pem"),
                    Map.of()))
        .hasMessageContaining("jwtSecret (HS256) and jwtPublicKey (RS256) exclude each other");
    assertThatThrownBy(
            () ->
                loadWithEnvironment("ORCHESTRION_JWT_PRIVATE_KEY", "/etc/orchestrion/private.pem"))
        .hasMessageContaining("jwtPrivateKey needs the matching jwtPublicKey");
  }

  @Test
  void idempotencyKeyRetentionIsAnIsoDuration() {
    assertThat(ServerConfig.defaults().idempotencyKeyRetention()).hasHours(24);
    assertThat(
            loadWithEnvironment("ORCHESTRION_IDEMPOTENCY_KEY_RETENTION", "PT2H")
                .idempotencyKeyRetention())
        .hasHours(2);
    assertThatThrownBy(
            () -> loadWithEnvironment("ORCHESTRION_IDEMPOTENCY_KEY_RETENTION", "2 hours"))
        .hasMessageContaining("idempotencyKeyRetention must be an ISO-8601 duration")
        .hasMessageContaining("'2 hours'");
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_IDEMPOTENCY_KEY_RETENTION", "PT0S"))
        .hasMessageContaining("idempotencyKeyRetention must be positive");
  }

  @Test
  void unknownSettingsInAFileAreNamed() throws Exception {
    Path file = directory.resolve("bad.properties");
    Files.writeString(file, "prot=9000\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("[prot]");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_PORT", "eighty"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("port must be an integer, was 'eighty'");
    assertThatThrownBy(
            () ->
                ServerConfigLoader.load(
                    Optional.empty(), Map.of(), Map.of(ServerSetting.PORT, "70000")))
        .hasMessageContaining("port must be between 0 and 65535");
    assertThatThrownBy(
            () ->
                ServerConfigLoader.load(
                    Optional.empty(), Map.of(), Map.of(ServerSetting.JWT_SECRET, "short")))
        .hasMessageContaining("at least 32 characters");
  }

  @Test
  void requestPoolsAndTheTimeBudgetComeFromFileOrEnvironment() throws Exception {
    Path file = directory.resolve("pools.properties");
    Files.writeString(file, "requestThreads=8\nevaluationQueue=0\nsynchronousTimeBudget=PT2S\n");

    RequestLimits defaults = ServerConfig.defaults().requestLimits();
    assertThat(defaults.evaluationThreads())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    assertThat(defaults.synchronousTimeBudget()).isEqualTo(Duration.ofSeconds(5));
    RequestLimits limits =
        ServerConfigLoader.load(
                Optional.of(file),
                Map.of("ORCHESTRION_EVALUATION_THREADS", "3", "ORCHESTRION_REQUEST_QUEUE", "10"),
                Map.of())
            .requestLimits();
    assertThat(limits).isEqualTo(new RequestLimits(8, 10, 3, 0, Duration.ofSeconds(2)));
    assertThatThrownBy(
            () -> loadWithEnvironment("ORCHESTRION_SYNCHRONOUS_TIME_BUDGET", "5 seconds"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("synchronousTimeBudget must be an ISO-8601 duration such as PT5S");
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_EVALUATION_THREADS", "0"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("evaluationThreads must be positive: 0");
  }

  @Test
  void thePluginDirectoryComesFromFileEnvironmentOrFlag() throws Exception {
    Path file = directory.resolve("orchestrion.properties");
    Files.writeString(file, "pluginDirectory=/opt/orchestrion/plugins\n");

    assertThat(ServerConfigLoader.load(Optional.of(file), Map.of(), Map.of()).pluginDirectory())
        .contains(Path.of("/opt/orchestrion/plugins"));
    assertThat(
            ServerConfigLoader.load(
                    Optional.of(file), Map.of("ORCHESTRION_PLUGIN_DIR", "/srv/plugins"), Map.of())
                .pluginDirectory())
        .contains(Path.of("/srv/plugins"));
    ServerConfig flagged =
        ServerConfigLoader.load(
            Optional.of(file),
            Map.of("ORCHESTRION_PLUGIN_DIR", "/srv/plugins"),
            Map.of(ServerSetting.PLUGIN_DIRECTORY, "extra"));
    assertThat(flagged.pluginDirectory()).contains(Path.of("extra"));
    // A configured directory is used as given: the engine refuses to start if it is missing.
    assertThat(flagged.effectivePluginDirectory()).contains(Path.of("extra"));
    assertThat(flagged.toString()).contains("pluginDirectory=extra");
  }

  @Test
  void withoutAConfiguredPluginDirectoryThePluginsDirectoryOfTheDataDirectoryIsUsedIfItExists()
      throws Exception {
    ServerConfig config = ServerConfig.defaults().withDataDirectory(directory);
    assertThat(config.pluginDirectory()).isEmpty();
    assertThat(config.effectivePluginDirectory()).isEmpty();

    Files.createDirectories(directory.resolve("plugins"));

    assertThat(config.effectivePluginDirectory()).contains(directory.resolve("plugins"));
    assertThat(config.withPluginDirectory(Path.of("/elsewhere")).effectivePluginDirectory())
        .contains(Path.of("/elsewhere"));
  }

  @Test
  void limitsOnFlowValuesFromAFileAndTheEnvironment() throws Exception {
    Path file = directory.resolve("orchestrion.json");
    Files.writeString(file, "{\"maxTextLength\": 1000, \"maxCollectionItems\": 50}");

    ServerConfig config =
        ServerConfigLoader.load(
            Optional.of(file), Map.of("ORCHESTRION_MAX_VALUES_JSON_CHARS", "65536"), Map.of());

    assertThat(config.flowLimits())
        .isEqualTo(
            FlowLimits.defaults()
                .withMaxTextLength(1000)
                .withMaxCollectionItems(50)
                .withMaxValuesJsonChars(65536));
    assertThat(ServerConfig.defaults().flowLimits().maxTextLength()).isEqualTo(131_072);
    assertThat(ServerConfig.defaults().flowLimits().maxCollectionItems()).isEqualTo(10_000);
    assertThat(ServerConfig.defaults().flowLimits().maxValuesJsonChars())
        .isEqualTo(8 * 1024 * 1024);
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_MAX_TEXT_LENGTH", "0"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("maxTextLength must be positive: 0");
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_MAX_COLLECTION_ITEMS", "many"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("maxCollectionItems must be an integer, was 'many'");
  }

  @Test
  void notificationDeliveryFromAFileAndTheEnvironment() throws Exception {
    Path file = directory.resolve("notifications.properties");
    Files.writeString(
        file, "notificationsEnabled=false\nnotificationBatchSize=10\nnotificationBackoff=PT30S\n");

    ServerConfig config =
        ServerConfigLoader.load(
            Optional.of(file),
            Map.of(
                "ORCHESTRION_NOTIFICATION_MAX_ATTEMPTS", "3",
                "ORCHESTRION_NOTIFICATION_LEASE", "PT1M"),
            Map.of());

    assertThat(config.notifications())
        .isEqualTo(
            io.orchestrion.engine.api.NotificationSettings.defaults()
                .withEnabled(false)
                .withBatchSize(10)
                .withBackoff(
                    Duration.ofSeconds(30),
                    io.orchestrion.engine.api.NotificationSettings.DEFAULT_MAX_BACKOFF)
                .withMaxAttempts(3)
                .withLease(Duration.ofMinutes(1)));
    assertThat(ServerConfig.defaults().notifications().enabled()).isTrue();
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_NOTIFICATION_BATCH_SIZE", "0"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("notifications batchSize must be 1 to 1000: 0");
  }

  @Test
  void sizingAndTimeLimitsFromAFileTheEnvironmentAndFlags() throws Exception {
    Path file = directory.resolve("orchestrion.json");
    Files.writeString(
        file,
        "{\"maxPoolSize\": 6, \"leaseDuration\": \"PT5S\", \"maxCpuTime\": \"PT2S\","
            + " \"actionTimeout\": \"PT3S\", \"maxExecutedElements\": 500}");

    ServerConfig config =
        ServerConfigLoader.load(
            Optional.of(file),
            Map.of(
                "ORCHESTRION_WORKER_CONCURRENCY",
                "4",
                "ORCHESTRION_MAX_SEGMENT_TIME",
                "PT20S",
                "ORCHESTRION_JOB_GROUP_SIZE",
                "4",
                "ORCHESTRION_RUN_CACHE_SIZE",
                "0",
                "ORCHESTRION_COMMAND_GROUP_SIZE",
                "3",
                "ORCHESTRION_DIRECTORY_TRUST",
                "PT0S",
                "ORCHESTRION_JOB_TRANSACTIONS_AT_ONCE",
                "5",
                "ORCHESTRION_H2_HOUSEKEEPING",
                "PT0S",
                "ORCHESTRION_H2_WRITE_GATHER",
                "PT0.005S"),
            Map.of(ServerSetting.POLL_INTERVAL, "PT0.1S"));

    assertThat(config.engineSettings())
        .isEqualTo(
            new EngineSettings(
                6,
                4,
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                4,
                0,
                3,
                Duration.ZERO,
                5,
                Duration.ZERO,
                Duration.ofMillis(5)));
    assertThat(config.flowLimits().maxCpuTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.flowLimits().maxSegmentTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.flowLimits().actionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.flowLimits().maxExecutedElements()).isEqualTo(500);
    assertThat(ServerConfig.defaults().engineSettings()).isEqualTo(EngineSettings.defaults());
    assertThat(OrchestrionServer.databaseConfig(config).maxPoolSize()).isEqualTo(6);
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_LEASE_DURATION", "soon"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("leaseDuration must be an ISO-8601 duration");
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_DIRECTORY_TRUST", "-PT1S"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("directoryTrust must not be negative: PT-1S");
    assertThat(EngineSettings.defaults().directoryTrust()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_JOB_TRANSACTIONS_AT_ONCE", "-2"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining(
            "jobTransactionsAtOnce must be -1 (as the database suits), 0 (no cap) or a cap above"
                + " 0: -2");
    assertThat(EngineSettings.defaults().jobTransactionsAtOnce())
        .isEqualTo(EngineConfig.JOB_TRANSACTIONS_BY_DATABASE);
    assertThat(
            loadWithEnvironment("ORCHESTRION_JOB_TRANSACTIONS_AT_ONCE", "0")
                .engineSettings()
                .jobTransactionsAtOnce())
        .isZero();
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_H2_HOUSEKEEPING", "-PT1S"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("h2Housekeeping must not be negative: PT-1S");
    assertThat(EngineSettings.defaults().h2Housekeeping()).isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_H2_WRITE_GATHER", "PT2S"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("h2WriteGather must be between PT0S and PT1S: PT2S");
    assertThat(EngineSettings.defaults().h2WriteGather()).isEqualTo(Duration.ofMillis(2));
    assertThatThrownBy(() -> loadWithEnvironment("ORCHESTRION_WORKER_CONCURRENCY", "0"))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("workerConcurrency must be positive: 0");
  }

  /** The configuration with one environment variable set, no file and no system properties. */
  private static ServerConfig loadWithEnvironment(String variable, String value) {
    return ServerConfigLoader.load(Optional.empty(), Map.of(variable, value), Map.of());
  }
}
