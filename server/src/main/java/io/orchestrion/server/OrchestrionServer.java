package io.orchestrion.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.EngineModule;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.WebhookService;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.flow.FlowRuntimeModule;
import io.orchestrion.server.console.DemoSignIn;
import io.orchestrion.server.events.EventStreamHub;
import io.orchestrion.server.http.HttpServerVerticle;
import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.http.ReadinessProbe;
import io.orchestrion.server.http.RequestLanes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: the engine (with its workers) and the HTTP verticle. {@link #start} builds the
 * one injector of the process; {@link #close} stops HTTP first, then the engine.
 */
public final class OrchestrionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrchestrionServer.class);
  private static final long STARTUP_TIMEOUT_SECONDS = 60;

  private final ServerConfig config;
  private final JwtTokens tokens;
  private final OrchestrionEngine engine;
  private final Vertx vertx;
  private final int port;
  private final Optional<AutoCloseable> ownedDataSource;
  private final List<AutoCloseable> requestPools;
  private final HttpServerVerticle verticle;
  private final DemoSignIn demoSignIn;

  private OrchestrionServer(
      ServerConfig config,
      JwtTokens tokens,
      OrchestrionEngine engine,
      Vertx vertx,
      HttpServerVerticle verticle,
      Optional<AutoCloseable> ownedDataSource,
      List<AutoCloseable> requestPools,
      DemoSignIn demoSignIn) {
    this.config = config;
    this.tokens = tokens;
    this.engine = engine;
    this.vertx = vertx;
    this.verticle = verticle;
    this.port = verticle.actualPort();
    this.ownedDataSource = ownedDataSource;
    this.requestPools = List.copyOf(requestPools);
    this.demoSignIn = demoSignIn;
  }

  /** Starts on the database the configuration names (the embedded H2 database by default). */
  public static OrchestrionServer start(ServerConfig config) {
    requireNonNull(config, "config is null");
    createDataDirectory(config);
    refuseSecondEmbeddedNode(config);
    DatabaseConfig database = databaseConfig(config);
    HikariDataSource dataSource = DataSources.create(database);
    try {
      return start(config, database, dataSource, Optional.of(dataSource));
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * Starts on a data source that the caller owns and closes after {@link #close()} (tests); the
   * rest of {@code config} applies as usual.
   */
  public static OrchestrionServer start(
      ServerConfig config, DatabaseConfig database, DataSource dataSource) {
    requireNonNull(config, "config is null");
    createDataDirectory(config);
    return start(config, database, dataSource, Optional.empty());
  }

  private static OrchestrionServer start(
      ServerConfig config,
      DatabaseConfig database,
      DataSource dataSource,
      Optional<AutoCloseable> ownedDataSource) {
    requireNonNull(database, "database is null");
    requireNonNull(dataSource, "dataSource is null");
    // One registry for Vert.x (HTTP, JVM), the connection pool and the engine, scraped at /metrics.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registerPoolMetrics(dataSource, registry);
    // Vert.x first: the token verifier is built on it and bound in the injector.
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(
                        new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    OrchestrionEngine engine = null;
    List<AutoCloseable> closeables = new ArrayList<>();
    try {
      JwtTokens tokens =
          new JwtTokens(
              vertx, JwtKeys.resolve(config), config.maxTokenLifetime(), Clock.systemUTC());
      EngineConfig engineConfig =
          config
              .engineSettings()
              .applyTo(EngineConfig.defaults(database))
              .withPluginDirectory(config.effectivePluginDirectory())
              .withPluginConfiguration(config.pluginConfiguration())
              .withSynchronousTimeBudget(config.requestLimits().synchronousTimeBudget())
              // Grouped submissions and decisions run their flows on no more threads at once than
              // the evaluation pool has (RequestLanes.evaluationUnlessGrouped).
              .withCommandGroupsAtOnce(config.requestLimits().evaluationThreads())
              .withIdempotencyKeyRetention(config.idempotencyKeyRetention())
              .withFlowLimits(config.flowLimits())
              .withNotifications(config.notifications());
      Injector injector =
          OrchestrionEngine.injector(
              List.of(
                  new FlowRuntimeModule(engineConfig.flowLimits()),
                  new EngineModule(engineConfig, dataSource, Clock.systemUTC()),
                  new ServerModule(config, tokens, registry)));
      engine = injector.getInstance(OrchestrionEngine.class);
      engine.start();
      // The request pools and the readiness probe stop after HTTP, before the engine.
      closeables.add(injector.getInstance(RequestLanes.class));
      closeables.add(injector.getInstance(ReadinessProbe.class));
      closeables.add(injector.getInstance(EventStreamHub.class));
      closeables.add(
          injector
              .getInstance(WebhookService.class)
              .startDelivery(config.eventDelivery().webhookSettings()));
      HttpServerVerticle verticle = injector.getInstance(HttpServerVerticle.class);
      // An event-loop verticle: its blocking work runs on the RequestLanes.
      await(
          vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture(),
          "starting the HTTP server on " + config.host() + ":" + config.port());
      LOG.info("Listening on {}:{} ({})", config.host(), verticle.actualPort(), database);
      return new OrchestrionServer(
          config,
          tokens,
          engine,
          vertx,
          verticle,
          ownedDataSource,
          closeables,
          injector.getInstance(DemoSignIn.class));
    } catch (RuntimeException e) {
      closeQuietly(vertx);
      closeables.forEach(OrchestrionServer::closeQuietly);
      if (engine != null) {
        engine.close();
      }
      throw e;
    }
  }

  /** Hikari's pool meters, when the data source is a Hikari pool whose meters are not taken yet. */
  private static void registerPoolMetrics(DataSource dataSource, MeterRegistry registry) {
    if (dataSource instanceof HikariDataSource hikari && hikari.getMetricRegistry() == null) {
      try {
        hikari.setMetricRegistry(registry);
      } catch (IllegalStateException e) {
        LOG.warn("The connection pool's metrics are not available: {}", e.getMessage());
      }
    }
  }

  /** The configured JDBC database, or the embedded H2 database in the data directory. */
  public static DatabaseConfig databaseConfig(ServerConfig config) {
    return config
        .jdbcUrl()
        .map(
            url ->
                new DatabaseConfig(
                    url,
                    config.jdbcUser().orElse(""),
                    config.jdbcPassword().orElse(""),
                    config.engineSettings().maxPoolSize()))
        .orElseGet(
            () -> {
              DatabaseConfig h2 = DataSources.h2File(config.dataDirectory());
              return new DatabaseConfig(
                  h2.jdbcUrl(),
                  h2.username(),
                  h2.password(),
                  config.engineSettings().maxPoolSize());
            });
  }

  /**
   * H2 is single-node: a second server on a data directory whose embedded database another process
   * (or this one) has open is refused with one line, rather than failing on H2's file lock with
   * H2's multi-line advice. Several nodes share one PostgreSQL database instead.
   */
  private static void refuseSecondEmbeddedNode(ServerConfig config) {
    if (config.jdbcUrl().isEmpty() && EmbeddedDatabase.inUse(config.dataDirectory())) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "The embedded H2 database in "
              + config.dataDirectory().toAbsolutePath().normalize()
              + " is in use by another server: H2 runs a single node; to run several nodes,"
              + " start each with the same PostgreSQL --jdbc-url");
    }
  }

  private static void createDataDirectory(ServerConfig config) {
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Cannot create the data directory '" + config.dataDirectory() + "': " + e,
          e);
    }
  }

  public OrchestrionEngine engine() {
    return engine;
  }

  /** Verifies and mints the API's bearer tokens with the configured (or generated) keys. */
  public JwtTokens tokens() {
    return tokens;
  }

  /** The console's one-click sign-in for the demo's users; off until enabled (--demo). */
  public DemoSignIn demoSignIn() {
    return demoSignIn;
  }

  public ServerConfig config() {
    return config;
  }

  /** The HTTP routes served, {@code "get /health"} ... (see {@link HttpServerVerticle#routes}). */
  public List<String> routes() {
    return verticle.routes();
  }

  /** The bound port: the configured one, or the one picked for port 0. */
  public int port() {
    return port;
  }

  /** The base URL for clients, e.g. {@code http://127.0.0.1:8080/}. */
  public URI baseUri() {
    String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    return URI.create("http://" + host + ":" + port + "/");
  }

  /**
   * Stops HTTP, lets the requests in progress finish, stops the engine's workers, then closes the
   * connection pool if it owns it. Logs one INFO line when it starts stopping and one when it has
   * stopped, both with the port.
   */
  @Override
  public void close() {
    LOG.info("Stopping the server on port {}", port);
    try {
      closeQuietly(vertx);
      requestPools.forEach(OrchestrionServer::closeQuietly);
    } finally {
      try {
        engine.close();
      } finally {
        ownedDataSource.ifPresent(OrchestrionServer::closeDataSource);
        LOG.info("Stopped the server on port {}", port);
      }
    }
  }

  private static void closeDataSource(AutoCloseable dataSource) {
    try {
      dataSource.close();
    } catch (Exception e) {
      LOG.warn("Closing the connection pool failed", e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Stopping {} failed", closeable, e);
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      await(vertx.close().toCompletionStage().toCompletableFuture(), "stopping the HTTP server");
    } catch (RuntimeException e) {
      LOG.warn("Stopping the HTTP server failed", e);
    }
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future.get(STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "Failed " + what + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "Timed out after " + STARTUP_TIMEOUT_SECONDS + " s " + what,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestrionException(StandardErrorCode.INTERNAL_ERROR, "Interrupted " + what, e);
    }
  }
}
