package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.server.EngineSettings;
import io.orchestrion.server.OrchestrionServer;
import io.orchestrion.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The real server, started in this JVM on a free loopback port over the driver's (counted) pool,
 * with the same engine settings as in process (pool size, worker concurrency) and the server's
 * defaults otherwise (request lanes, limits, metrics, event stream hub, webhook delivery). The
 * driver's threads call its API with the JDK's HTTP client (HTTP/1.1, kept-alive connections):
 * submissions as the built-in administrator, decisions as {@link Workload#APPROVER}, each with a
 * bearer token minted once. A request the server sheds (429, its lanes full) is retried after
 * {@link #RETRY_PAUSE} and counted.
 */
final class HttpHost implements EngineHost {
  static final Duration RETRY_PAUSE = Duration.ofMillis(5);
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(8);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final OrchestrionServer server;
  private final Path dataDirectory;
  private final HttpClient client;
  private final ObjectMapper json = new ObjectMapper();
  private final URI submissions;
  private final String submitterToken;
  private final String approverToken;
  private final AtomicLong retries = new AtomicLong();

  private HttpHost(OrchestrionServer server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.submissions = server.baseUri().resolve("api/v1/submissions");
    Instant now = Instant.now();
    this.submitterToken = server.tokens().mint(EngineActors.ADMIN, now, TOKEN_LIFETIME);
    this.approverToken = server.tokens().mint(Workload.APPROVER, now, TOKEN_LIFETIME);
  }

  /** Starts the server on {@code dataSource} (the caller closes it after {@link #close()}). */
  static HttpHost start(
      DatabaseConfig database,
      DataSource dataSource,
      int poolSize,
      int workerConcurrency,
      int jobGroupSize,
      int commandGroupSize,
      int jobTransactionsAtOnce) {
    requireNonNull(database, "database is null");
    requireNonNull(dataSource, "dataSource is null");
    Path dataDirectory;
    try {
      dataDirectory = Files.createTempDirectory("orchestrion-bench-server");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EngineSettings defaults = EngineSettings.defaults();
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDirectory(dataDirectory)
            .withJwtSecret("bench-" + UUID.randomUUID() + "-" + UUID.randomUUID())
            .withEngineSettings(
                new EngineSettings(
                    poolSize,
                    workerConcurrency,
                    defaults.leaseDuration(),
                    defaults.pollInterval(),
                    jobGroupSize,
                    defaults.runCacheSize(),
                    commandGroupSize,
                    defaults.directoryTrust(),
                    jobTransactionsAtOnce,
                    defaults.h2Housekeeping(),
                    defaults.h2WriteGather()));
    try {
      return new HttpHost(OrchestrionServer.start(config, database, dataSource), dataDirectory);
    } catch (RuntimeException e) {
      deleteRecursively(dataDirectory);
      throw e;
    }
  }

  @Override
  public OrchestrionEngine engine() {
    return server.engine();
  }

  @Override
  public String submit(SubmitRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("objectType", request.objectType());
    body.put("recordId", request.recordId());
    body.put("orchestration", request.orchestration());
    JsonNode created = post(submissions, submitterToken, body, 201);
    return created.path("id").asText();
  }

  @Override
  public void decide(String workItemId) {
    ObjectNode body = json.createObjectNode();
    body.put("decision", "APPROVE");
    post(
        server.baseUri().resolve("api/v1/work-items/" + workItemId + "/decision"),
        approverToken,
        body,
        200);
  }

  private JsonNode post(URI uri, String token, JsonNode body, int expected) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    while (true) {
      HttpResponse<String> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException("POST " + uri + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during POST " + uri, e);
      }
      if (response.statusCode() == 429) {
        retries.incrementAndGet();
        LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        continue;
      }
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            "POST " + uri + " answered " + response.statusCode() + ": " + response.body());
      }
      try {
        return json.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException("POST " + uri + " answered no JSON", e);
      }
    }
  }

  @Override
  public String description() {
    return "HTTP (POST /api/v1/submissions and /api/v1/work-items/{id}/decision on "
        + server.baseUri()
        + ", JDK HTTP client, HTTP/1.1)";
  }

  @Override
  public long retries() {
    return retries.get();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      client.close();
      deleteRecursively(dataDirectory);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
