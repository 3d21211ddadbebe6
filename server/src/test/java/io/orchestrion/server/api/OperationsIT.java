package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.OrchestrionServer;
import io.orchestrion.server.ServerConfig;
import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What operators and integrators need beside the approval API itself (issue 10): listable
 * definitions, tokens while the server runs, metrics, request ids, approvers reading the record.
 * One server on the embedded H2 database for all of it.
 */
class OperationsIT {
  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    admin = server.client();
    expect(admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    for (String flow : List.of(Fixtures.MARK_IN_REVIEW, Fixtures.SCORE_RISK, Fixtures.IS_LARGE)) {
      expect(admin.post("/api/v1/flows?activate=true", Fixtures.demo(flow)), 201);
    }
    expect(
        admin.post("/api/v1/orchestrations?activate=true", Fixtures.demo(Fixtures.ORCHESTRATION)),
        201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void flowsAreListedInPagesInApiNameOrderWithLatestAndActiveVersion() {
    // A second, inactive version of Score_Risk: latest 2, active still 1.
    String changed =
        Fixtures.demo(Fixtures.SCORE_RISK)
            .replaceFirst("\"apiName\"", "\"description\": \"v2\", \"apiName\"");
    expect(admin.post("/api/v1/flows", changed), 201);

    List<JsonNode> flows = new ArrayList<>();
    String path = "/api/v1/flows?limit=2";
    int pages = 0;
    while (true) {
      ApiResponse page = expect(admin.get(path), 200);
      pages++;
      page.json().path("items").forEach(flows::add);
      if (!page.json().has("nextCursor")) {
        break;
      }
      path = "/api/v1/flows?limit=2&cursor=" + page.json().path("nextCursor").asText();
    }
    assertThat(pages).isEqualTo(2);
    assertThat(flows)
        .extracting(flow -> flow.path("apiName").asText())
        .containsExactly("Is_Large_Expense", "Mark_In_Review", "Score_Risk");
    JsonNode scoreRisk = flows.get(2);
    assertThat(scoreRisk.path("versions").asInt()).isEqualTo(2);
    assertThat(scoreRisk.path("latestVersion").asInt()).isEqualTo(2);
    assertThat(scoreRisk.path("activeVersion").asInt()).isEqualTo(1);
    assertThat(scoreRisk.path("activatedAt").isTextual()).isTrue();
    assertThat(scoreRisk.path("latestCreatedAt").isTextual()).isTrue();

    // Every authenticated user may read definitions; a forged cursor is a 400 naming it.
    server.createUser(User.of("reader", "Reader"));
    ApiResponse orchestrations =
        expect(server.clientAs("reader").get("/api/v1/orchestrations"), 200);
    assertThat(orchestrations.json().path("items")).hasSize(1);
    assertThat(orchestrations.json().path("items").get(0).path("apiName").asText())
        .isEqualTo("Expense_Approval");
    assertThat(orchestrations.json().path("items").get(0).path("activeVersion").asInt())
        .isEqualTo(1);
    assertThat(orchestrations.json().has("nextCursor")).isFalse();
    ApiResponse badCursor = admin.get("/api/v1/flows?cursor=bm9wZQ");
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.body()).contains("bm9wZQ");
    assertThat(admin.get("/api/v1/flows?limit=0").status()).isEqualTo(400);
  }

  @Test
  void tokensAreMintedForManageTokensHoldersWithABoundedLifetime() {
    server.createUser(User.of("tina", "Tina Token"));
    ApiClient tina = server.clientAs("tina");
    ApiResponse denied = tina.post("/api/v1/tokens", "{\"username\": \"admin\"}");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body()).contains("MANAGE_TOKENS");

    for (String ttl : List.of("PT24H1S", "PT0S", "-PT1H", "eight hours")) {
      ApiResponse bad =
          admin.post("/api/v1/tokens", "{\"username\": \"tina\", \"ttl\": \"" + ttl + "\"}");
      assertThat(bad.status()).as(ttl).isEqualTo(400);
      assertThat(bad.body()).contains("$.ttl").contains("PT24H");
    }
    assertThat(admin.post("/api/v1/tokens", "{\"username\": \"nobody\"}").status()).isEqualTo(404);
    assertThat(admin.post("/api/v1/tokens", "{\"username\": \"tina\", \"extra\": 1}").body())
        .contains("$.extra");
    server.createUser(User.of("gone", "Gone").withActive(false));
    ApiResponse inactive = admin.post("/api/v1/tokens", "{\"username\": \"gone\"}");
    assertThat(inactive.status()).isEqualTo(409);
    assertThat(inactive.body()).contains("inactive");

    Instant before = Instant.now();
    ApiResponse minted =
        expect(admin.post("/api/v1/tokens", "{\"username\": \"tina\", \"ttl\": \"PT24H\"}"), 201);
    assertThat(minted.json().path("userId").asText()).isEqualTo("tina");
    assertThat(minted.json().path("tokenType").asText()).isEqualTo("Bearer");
    Instant expiresAt = Instant.parse(minted.json().path("expiresAt").asText());
    assertThat(expiresAt)
        .isBetween(
            before.plus(Duration.ofHours(24)).minusSeconds(1),
            Instant.now().plus(Duration.ofHours(24)));
    ApiClient asTina =
        new ApiClient(server.server().baseUri(), Optional.of(minted.json().path("token").asText()));
    ApiResponse flows = expect(asTina.get("/api/v1/flows"), 200);
    assertThat(flows.json().path("items")).isNotEmpty();
    // The minted token acts as tina, who holds no MANAGE_TOKENS.
    assertThat(asTina.post("/api/v1/tokens", "{\"username\": \"tina\"}").status()).isEqualTo(403);
  }

  @Test
  void aServerWithOnlyAnRs256PublicKeyAnswers409ToTokenRequests() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    Path dataDirectory = Files.createTempDirectory("orchestrion-rs256");
    ServerConfig config =
        new ServerConfig(
            "127.0.0.1",
            0,
            dataDirectory,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(publicPem),
            Optional.empty(),
            ServerConfig.DEFAULT_MAX_BODY_BYTES,
            Optional.empty());
    Vertx vertx = Vertx.vertx();
    try (OrchestrionServer verifying = OrchestrionServer.start(config)) {
      // The identity provider's token, signed with the private key the server does not have.
      String identityProviderToken =
          new JwtTokens(
                  vertx,
                  new JwtKeys(
                      JwtKeys.Algorithm.RS256,
                      publicPem,
                      Optional.of(privatePem),
                      JwtKeys.Source.CONFIGURED,
                      Optional.empty()))
              .mint("admin", Instant.now(), Duration.ofMinutes(5));
      ApiResponse refused =
          new ApiClient(verifying.baseUri(), Optional.of(identityProviderToken))
              .post("/api/v1/tokens", "{\"username\": \"admin\"}");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
      assertThat(refused.body()).contains("jwtPrivateKey").contains("identity provider");
    } finally {
      vertx.close();
      try (Stream<Path> paths = Files.walk(dataDirectory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----";
  }

  static ApiResponse expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response;
  }
}
