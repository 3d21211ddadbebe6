package io.orchestrion.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.server.OrchestrionServer;
import io.orchestrion.server.ServerConfig;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/ready} follows the database (issue 10): the server on a PostgreSQL server of this
 * test's own is ready; with PostgreSQL stopped it answers 503 naming the database check; with
 * PostgreSQL started again on the same data directory and port it is ready again. {@code
 * /health/live} answers 200 throughout.
 */
class ReadinessPostgresIT {
  /** The probe answers within its database timeout; the pool needs a while to reconnect. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void readinessGoesDownWithPostgresAndUpWhenItIsBack() throws Exception {
    Path pgData = Files.createTempDirectory("orchestrion-readiness-pg");
    Path serverData = Files.createTempDirectory("orchestrion-readiness-server");
    EmbeddedPostgres postgres = postgres(pgData, 0);
    int port = postgres.getPort();
    String url = postgres.getJdbcUrl("postgres", "postgres");
    DatabaseConfig databaseConfig = new DatabaseConfig(url, "postgres", "", 4);
    HikariDataSource dataSource = DataSources.create(databaseConfig);
    OrchestrionServer server = null;
    try {
      server =
          OrchestrionServer.start(
              ServerConfig.defaults()
                  .withPort(0)
                  .withDataDirectory(serverData)
                  .withJwtSecret("a-test-server-secret-of-32-characters"),
              databaseConfig,
              dataSource);
      ApiClient client = new ApiClient(server.baseUri(), Optional.empty());

      JsonNode up = awaitReady(client, 200);
      assertThat(up.path("status").asText()).isEqualTo("UP");
      assertThat(check(up, "database").path("status").asText()).isEqualTo("UP");
      assertThat(client.get("/health/live").status()).isEqualTo(200);

      postgres.close();
      JsonNode down = awaitReady(client, 503);
      assertThat(down.path("status").asText()).isEqualTo("DOWN");
      assertThat(check(down, "database").path("status").asText()).isEqualTo("DOWN");
      assertThat(check(down, "migrations").path("status").asText()).isEqualTo("UP");
      assertThat(client.get("/health/live").status()).isEqualTo(200);

      // zonky's builder reuses a data directory that is not cleaned and binds the given port.
      postgres = postgres(pgData, port);
      assertThat(postgres.getPort()).isEqualTo(port);
      JsonNode back = awaitReady(client, 200);
      assertThat(back.path("status").asText()).isEqualTo("UP");
      assertThat(check(back, "database").path("status").asText()).isEqualTo("UP");
      assertThat(client.get("/health/live").status()).isEqualTo(200);
    } finally {
      if (server != null) {
        server.close();
      }
      dataSource.close();
      postgres.close();
      deleteRecursively(pgData);
      deleteRecursively(serverData);
    }
  }

  private static EmbeddedPostgres postgres(Path dataDirectory, int port) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    if (port != 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  /** Polls {@code /health/ready} until it answers {@code status}, failing after {@link #BOUND}. */
  private static JsonNode awaitReady(ApiClient client, int status) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    ApiResponse last = client.get("/health/ready");
    Predicate<ApiResponse> reached = response -> response.status() == status;
    while (!reached.test(last)) {
      assertThat(System.nanoTime())
          .as("/health/ready did not answer %d within %s; last: %s", status, BOUND, last.body())
          .isLessThan(deadline);
      Thread.sleep(200);
      last = client.get("/health/ready");
    }
    return last.json();
  }

  private static JsonNode check(JsonNode body, String name) {
    for (JsonNode check : body.path("checks")) {
      if (check.path("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("no check " + name + " in " + body);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
