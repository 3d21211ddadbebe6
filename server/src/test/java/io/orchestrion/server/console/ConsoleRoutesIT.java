package io.orchestrion.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's routes over a real socket: the files it serves (and only those), their headers, and
 * the demo sign-in, absent until the demo enables it.
 */
class ConsoleRoutesIT {
  private static TestServer server;
  private static ApiClient anonymous;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    anonymous = server.anonymousClient();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void servesThePageAndItsModulesWithAStrictContentSecurityPolicy() {
    ApiResponse bare = anonymous.get("/console");
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location")).contains("/console/");

    ApiResponse page = anonymous.get("/console/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

    ApiResponse module = anonymous.get("/console/js/views/inbox.js");
    assertThat(module.status()).isEqualTo(200);
    assertThat(module.contentType()).startsWith("text/javascript");
    assertThat(module.body()).contains("export async function render");

    assertThat(anonymous.get("/console/js/nothing.js").status()).isEqualTo(404);
    // Other class-path resources are not reachable through the console's path.
    assertThat(anonymous.get("/console/demo/expense.object.json").status()).isEqualTo(404);
    assertThat(anonymous.get("/console/logback.xml").status()).isEqualTo(404);
  }

  @Test
  void everyFileOfTheConsoleIsServed() throws IOException {
    Path root = Path.of("src", "main", "resources", "console");
    List<String> files;
    try (Stream<Path> paths = Files.walk(root)) {
      files =
          paths
              .filter(Files::isRegularFile)
              .map(path -> root.relativize(path).toString().replace('\\', '/'))
              .sorted()
              .toList();
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(ConsoleAssets.FILES);
  }

  @Test
  void theDemoSignInExistsOnlyOnceTheDemoEnablesIt() {
    assertThat(anonymous.get("/console/config.json").json().path("demoSignIn").asBoolean())
        .isFalse();
    assertThat(anonymous.get("/console/demo-users").status()).isEqualTo(404);

    server.server().demoSignIn().enable(List.of(new DemoSignIn.DemoUser("admin", "Admin", "all")));
    assertThat(anonymous.get("/console/config.json").json().path("demoSignIn").asBoolean())
        .isTrue();
    ApiResponse users = anonymous.get("/console/demo-users");
    assertThat(users.status()).isEqualTo(200);
    assertThat(users.headers().firstValue("Cache-Control")).contains("no-store");
    String token = users.json().path("users").get(0).path("token").asText();
    ApiResponse me = anonymous.withToken(Optional.of(token)).get("/api/v1/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().path("id").asText()).isEqualTo("admin");
  }
}
