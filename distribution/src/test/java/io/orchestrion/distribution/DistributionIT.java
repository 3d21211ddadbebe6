package io.orchestrion.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive Maven built, as a user gets it: unpacked with tar, its launcher validates the
 * examples offline, serves on a free port until /health/ready answers UP, and stops on SIGTERM,
 * logging that it stopped.
 */
class DistributionIT {
  private static final Pattern SERVING = Pattern.compile("Orchestrion is serving (http://\\S+/)");

  @TempDir static Path unpacked;
  private static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("orchestrion.archive"));
    assertThat(archive).exists();
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes(), UTF_8);
    assertThat(tar.waitFor()).as(output).isZero();
    home = unpacked.resolve("orchestrion-" + System.getProperty("orchestrion.version"));
  }

  @Test
  void theArchiveHoldsLauncherJarConfigurationExamplesAndLegalFiles() {
    assertThat(home.resolve("bin/orchestrion")).isExecutable();
    assertThat(home.resolve("lib/orchestrion-server-all.jar")).isRegularFile();
    assertThat(home.resolve("conf/orchestrion.properties")).content().contains("port=8080");
    assertThat(home.resolve("examples/orchestration-expense.json")).isRegularFile();
    assertThat(home.resolve("schemas/orchestration.schema.json")).isRegularFile();
    assertThat(home.resolve("LICENSE")).content().contains("Apache License");
    assertThat(home.resolve("NOTICE")).content().contains("Orchestrion");
    assertThat(home.resolve("Dockerfile")).content().contains("/opt/orchestrion/bin/orchestrion");
  }

  @Test
  void theLauncherValidatesTheExamplesOffline() throws Exception {
    Process validate = launch(home, List.of("validate", "examples"));
    CompletableFuture<String> errors = drain(validate.getErrorStream());
    String output = new String(validate.getInputStream().readAllBytes(), UTF_8);

    assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(validate.exitValue()).as(output + errors.get()).isZero();
    // The demo's object type, three flows and two orchestrations (the board review's calendar
    // lives in the database, so offline its name is not checked: docs/definitions-as-code.md).
    assertThat(output).endsWith("6 files valid (1 warning)\n");
    assertThat(errors.get()).isEmpty();

    Files.writeString(home.resolve("examples/broken.json"), "{\"apiName\": \"X\", \"stages\": []}");
    try {
      Process invalid = launch(home, List.of("validate", "examples/broken.json"));
      String findings = new String(invalid.getInputStream().readAllBytes(), UTF_8);
      assertThat(invalid.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(invalid.exitValue()).as(findings).isEqualTo(1);
      assertThat(findings).contains("examples/broken.json: $: missing required property");
    } finally {
      Files.delete(home.resolve("examples/broken.json"));
    }
  }

  @Test
  void theLauncherServesUntilStopped() throws Exception {
    Path data = unpacked.resolve("data");
    Process server = launch(home, List.of("serve", "--port", "0", "--data-dir", data.toString()));
    CompletableFuture<String> log = drain(server.getErrorStream());
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader out =
                      new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      lines.add(line);
                    }
                  } catch (IOException e) {
                    lines.add("read failed: " + e);
                  }
                });
    try {
      URI base = null;
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (base == null && System.nanoTime() < deadline && server.isAlive()) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          seen.add(line);
          Matcher serving = SERVING.matcher(line);
          if (serving.find()) {
            base = URI.create(serving.group(1));
          }
        }
      }
      assertThat(base).as("%s%n%s", seen, server.isAlive() ? "" : log.get()).isNotNull();

      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> ready =
          client.send(
              HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).contains("\"UP\"");
      HttpResponse<String> schema =
          client.send(
              HttpRequest.newBuilder(base.resolve("/schemas/flow.schema.json")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(schema.statusCode()).isEqualTo(200);
      assertThat(schema.body()).contains("\"$schema\"");

      // SIGTERM, as a service manager stops it (Process.destroy would also close our pipes).
      assertThat(server.toHandle().destroy()).isTrue();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(Duration.ofSeconds(5));
      assertThat(log.get(10, TimeUnit.SECONDS))
          .contains("Stopping the server on port " + base.getPort())
          .contains("Stopped the server on port " + base.getPort());
      assertThat(data.resolve("orchestrion.mv.db")).exists();
    } finally {
      server.destroyForcibly();
    }
  }

  private static Process launch(Path directory, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/orchestrion").toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("ORCHESTRION_CONFIG");
    return builder.start();
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), UTF_8);
          } catch (IOException e) {
            return "read failed: " + e;
          }
        });
  }
}
