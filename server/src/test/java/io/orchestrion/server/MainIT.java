package io.orchestrion.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: the demo runs to an approved submission, twice on the same data directory. */
class MainIT {
  @TempDir Path dataDirectory;

  @Test
  void demoCompletesAndCanRunAgain() {
    Result first = run("demo", "--exit", "--port", "0", "--data-dir", dataDirectory.toString());
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.output())
        .contains("Flow Score_Risk v1 ACTIVE: runs ASYNC")
        .contains("step Intake.Mark: COMPLETED [SYNC")
        .contains("step Intake.Score: COMPLETED [ASYNC")
        .contains("alice (Alice Submitter, submits expenses; her manager is bob): ey")
        .contains("ada (Ada Admin, administrator: every system permission): ey")
        .contains("created by alice")
        .contains("bob approves Manager_Approval (assigned to USER bob)")
        .contains("fiona approves Finance_Approval (assigned to QUEUE Finance)")
        .contains("is APPROVED")
        .contains("A new JWT secret was generated");

    Result second =
        run("serve", "--demo", "--exit", "--port", "0", "--data-dir", dataDirectory.toString());
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output())
        .contains("Flow Score_Risk v1 ACTIVE")
        .contains("is APPROVED")
        .contains("Tokens are signed with the JWT secret in");
  }

  @Test
  void tokenCommandMintsForActiveUsersOnly() {
    String secret = "a-main-test-secret-of-32-characters!";
    Map<String, String> environment = Map.of("ORCHESTRION_JWT_SECRET", secret);
    Result minted =
        run(
            environment,
            "token",
            "--user",
            "admin",
            "--ttl",
            "PT5M",
            "--data-dir",
            dataDirectory.toString());
    assertThat(minted.exitCode()).as(minted.errors()).isZero();
    String token = minted.output().trim();
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(new JwtTokens(vertx, JwtKeys.hs256(secret)).verify(token)).isEqualTo("admin");
    } finally {
      vertx.close();
    }

    Result tooLong =
        run(
            environment,
            "token",
            "--user",
            "admin",
            "--ttl",
            "PT25H",
            "--data-dir",
            dataDirectory.toString());
    assertThat(tooLong.exitCode()).isEqualTo(1);
    assertThat(tooLong.errors()).contains("at most PT24H (setting maxTokenLifetime)");

    Result unknown =
        run(environment, "token", "--user", "nobody", "--data-dir", dataDirectory.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.errors()).contains("user 'nobody' does not exist");
    Result automated =
        run(
            environment,
            "token",
            "--user",
            "automated-process",
            "--data-dir",
            dataDirectory.toString());
    assertThat(automated.exitCode()).isEqualTo(1);
    assertThat(automated.errors()).contains("cannot sign in");
  }

  @Test
  void tokenCommandWorksWhileTheServerHoldsTheEmbeddedDatabase() throws Exception {
    String secret = "a-main-test-secret-of-32-characters!";
    Map<String, String> environment = Map.of("ORCHESTRION_JWT_SECRET", secret);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(port)
            .withDataDirectory(dataDirectory)
            .withJwtSecret(secret);
    try (OrchestrionServer server = OrchestrionServer.start(config)) {
      // Opening the database would fail on H2's file lock: success means the server was asked.
      Result minted =
          run(
              environment,
              "token",
              "--user",
              "admin",
              "--port",
              Integer.toString(port),
              "--data-dir",
              dataDirectory.toString());
      assertThat(minted.exitCode()).as(minted.errors()).isZero();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/object-types"))
                      .header("Authorization", "Bearer " + minted.output().trim())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

      Result unknown =
          run(
              environment,
              "token",
              "--user",
              "nobody",
              "--port",
              Integer.toString(port),
              "--data-dir",
              dataDirectory.toString());
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.errors()).contains("refuses user 'nobody'").hasLineCount(1);

      // The database is in use, and no server answers where this command looks: one line.
      Result elsewhere =
          run(
              environment,
              "token",
              "--user",
              "admin",
              "--port",
              "1",
              "--data-dir",
              dataDirectory.toString());
      assertThat(elsewhere.exitCode()).isEqualTo(1);
      assertThat(elsewhere.errors())
          .contains("is in use by another process")
          .contains("--port")
          .hasLineCount(1);
      Result tooLong =
          run(environment, "token", "--user", "admin", "--ttl", "PT25H", "--port", "1");
      assertThat(tooLong.errors()).contains("at most PT24H").hasLineCount(1);
    }
  }

  @Test
  void aSecondServerOnTheSameEmbeddedDatabaseIsRefusedWithOneLine() throws Exception {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDirectory(dataDirectory)
            .withJwtSecret("a-main-test-secret-of-32-characters!");
    try (OrchestrionServer first = OrchestrionServer.start(config)) {
      long started = System.nanoTime();
      Result second = run("serve", "--exit", "--port", "0", "--data-dir", dataDirectory.toString());

      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.errors())
          .startsWith("orchestrion: The embedded H2 database in ")
          .contains("is in use by another server: H2 runs a single node")
          .contains("--jdbc-url")
          .hasLineCount(1);
      // Refused at once, not after H2's lock timeout.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      // The first server is unharmed.
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(first.baseUri().resolve("/health")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void badSettingsAreReportedWithoutAStackTrace() {
    Result result =
        run("serve", "--exit", "--max-body-bytes", "0", "--data-dir", dataDirectory.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errors()).contains("maxBodyBytes must be positive");
  }

  @Test
  void aMissingPluginDirectoryIsReportedWithoutAStackTrace() {
    Path missing = dataDirectory.resolve("no-such-plugins");
    Result result =
        run(
            "serve",
            "--exit",
            "--port",
            "0",
            "--data-dir",
            dataDirectory.toString(),
            "--plugin-dir",
            missing.toString());
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.errors())
        .isEqualTo(
            "orchestrion: Plugin directory '%s' does not exist or is not a directory%n"
                .formatted(missing));
  }

  @Test
  void thePluginsDirectoryOfTheDataDirectoryIsLoadedByDefault() throws Exception {
    // An empty plugin sub-directory is a start-up error: it shows that the default is read.
    Path forgotten = Files.createDirectories(dataDirectory.resolve("plugins/forgotten"));
    Result result = run("serve", "--exit", "--port", "0", "--data-dir", dataDirectory.toString());
    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.errors())
        .startsWith("orchestrion: Plugin sub-directory '%s' contains no jar".formatted(forgotten));
  }

  @Test
  void helpListsTheCommands() {
    Result result = run("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).contains("serve").contains("demo").contains("token");
  }

  private record Result(int exitCode, String output, String errors) {}

  private static Result run(String... args) {
    return run(Map.of(), args);
  }

  private static Result run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        Main.execute(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment);
    return new Result(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
