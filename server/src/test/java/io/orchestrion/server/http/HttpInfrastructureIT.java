package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.http.Readiness.Check;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.spi.directory.User;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer on a real socket with a tiny route table and no engine: authentication, the body
 * limit, problem responses and the error-type-to-status mapping.
 */
class HttpInfrastructureIT {
  private static final String SECRET = "an-infrastructure-test-secret-of-32+";
  private static final Map<String, User> USERS =
      Map.of(
          "admin", User.of("admin", "Administrator"),
          "gone", User.of("gone", "Gone Away").withActive(false),
          "automated-process",
              new User(
                  "automated-process",
                  "automated-process",
                  "Automated Process",
                  Optional.empty(),
                  true,
                  Optional.empty(),
                  Optional.empty(),
                  true));
  private static final long BODY_LIMIT = 1024;

  private static final Readiness READY =
      new Readiness() {
        @Override
        public List<Check> localChecks() {
          return List.of(Check.up("local", "fine"));
        }

        @Override
        public Check databaseCheck() {
          return Check.up("database", "no database here");
        }
      };

  private static Vertx vertx;
  private static RequestLanes lanes;
  private static JwtTokens tokens;
  private static String token;
  private static ApiClient client;

  record Sample(String name, int count) {
    Sample {
      java.util.Objects.requireNonNull(name, "name is null");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    ObjectMapper mapper = new ObjectMapper().registerModule(new Jdk8Module());
    JsonBodies json = new JsonBodies(mapper);
    HttpSettings settings = new HttpSettings("127.0.0.1", 0, BODY_LIMIT);
    RouteTable routes =
        router -> {
          router
              .get("/api/v1/whoami")
              .handler(
                  context ->
                      json.respond(
                          context, 200, Map.of("user", AuthenticatedUser.of(context).userId())));
          router
              .post("/api/v1/samples")
              .handler(
                  context ->
                      json.respond(
                          context,
                          201,
                          json.read(
                              context,
                              Sample.class,
                              "sample",
                              StandardErrorCode.INVALID_DEFINITION)));
          router
              .get("/api/v1/conflict")
              .handler(
                  context -> {
                    throw new OrchestrionException(
                        StandardErrorCode.CONFLICT, "Record 'r1' is locked by submission 's1'");
                  });
          router
              .get("/api/v1/boom")
              .handler(
                  context -> {
                    throw new IllegalStateException("secret internal detail");
                  });
          router
              .get("/api/v1/blocking")
              .handler(
                  context -> {
                    // A request thread, not the event loop: blocking here must be fine.
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    json.respond(context, 200, Map.of("thread", Thread.currentThread().getName()));
                  });
        };
    vertx = Vertx.vertx();
    lanes = new RequestLanes(RequestLimits.defaults());
    tokens = new JwtTokens(vertx, JwtKeys.hs256(SECRET));
    token = mint("admin");
    HttpServerVerticle verticle =
        new HttpServerVerticle(
            settings,
            routes,
            new BearerTokenAuthHandler(
                tokens, id -> Optional.ofNullable(USERS.get(id)), ticket -> Optional.empty()),
            new ProblemFailureHandler(mapper, settings),
            new PublicEndpoints(new ReadinessProbe(READY), mapper),
            lanes,
            new MetricsEndpoint(
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new MetricsSettings(true)),
            new RequestLog(),
            router -> {});
    vertx
        .deployVerticle(verticle)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    client =
        new ApiClient(
            URI.create("http://127.0.0.1:" + verticle.actualPort() + "/"), Optional.of(token));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    lanes.close();
  }

  @Test
  void healthAndOpenApiNeedNoToken() {
    ApiClient anonymous = client.withToken(Optional.empty());
    ApiResponse health = anonymous.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("UP");
    assertThat(anonymous.get("/api/v1/health").status()).isEqualTo(200);
    ApiResponse openApi = anonymous.get("/openapi.yaml");
    assertThat(openApi.status()).isEqualTo(200);
    assertThat(openApi.body()).startsWith("openapi: 3.1");
  }

  @Test
  void metricsNeedATokenWhenTheSettingSaysSo() {
    // This verticle's MetricsSettings require one (the server's default does not).
    ApiResponse anonymous = client.withToken(Optional.empty()).get("/metrics");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
    ApiResponse scraped = client.get("/metrics");
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.contentType()).startsWith("text/plain");
    assertThat(anonymous.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void missingTokenIs401Problem() {
    ApiResponse response = client.withToken(Optional.empty()).get("/api/v1/whoami");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"orchestrion\"");
    assertThat(response.json().path("code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(response.json().path("status").asInt()).isEqualTo(401);
    assertThat(response.json().path("detail").asText()).contains("Authorization");
  }

  private static String mint(String userId) {
    return tokens.mint(userId, Instant.now(), Duration.ofMinutes(10));
  }

  private static String whoamiDetail(String bearer) {
    ApiResponse response = client.withToken(Optional.of(bearer)).get("/api/v1/whoami");
    assertThat(response.status()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"orchestrion\"");
    assertThat(response.json().path("code").asText()).isEqualTo("UNAUTHENTICATED");
    return response.json().path("detail").asText();
  }

  @Test
  void tokensOfUsersWhoMayNotSignInAre401() {
    assertThat(whoamiDetail(mint("nobody"))).contains("user 'nobody' does not exist");
    assertThat(whoamiDetail(mint("gone"))).contains("user 'gone' is inactive");
    assertThat(whoamiDetail(mint("automated-process")))
        .contains("automated process user 'automated-process' cannot sign in");
  }

  @Test
  void expiredForeignAndMalformedTokensAre401() {
    assertThat(
            whoamiDetail(
                tokens.mint(
                    "admin", Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1))))
        .contains("expired");
    JwtTokens foreign = new JwtTokens(vertx, JwtKeys.hs256(SECRET + "-foreign"));
    assertThat(whoamiDetail(foreign.mint("admin", Instant.now(), Duration.ofMinutes(5))))
        .contains("invalid bearer token");
    assertThat(whoamiDetail("wrong-token-0123456789")).contains("invalid bearer token");
  }

  @Test
  void wrongTokenOrSchemeIs401() {
    ApiResponse basic =
        client
            .withToken(Optional.empty())
            .send(
                "GET",
                "/api/v1/whoami",
                Optional.empty(),
                Map.of("Authorization", "Basic " + token));
    assertThat(basic.status()).isEqualTo(401);
    assertThat(basic.json().path("detail").asText()).contains("Bearer scheme");
  }

  @Test
  void unknownApiPathsAre401BeforeAuthenticationAnd404After() {
    assertThat(client.withToken(Optional.empty()).get("/api/v1/nothing-here").status())
        .isEqualTo(401);
    ApiResponse response = client.get("/api/v1/nothing-here");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.json().path("detail").asText()).contains("/api/v1/nothing-here");
    assertThat(client.get("/elsewhere").status()).isEqualTo(404);
  }

  @Test
  void validTokenActsAsItsUser() {
    ApiResponse response = client.get("/api/v1/whoami");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("user").asText()).isEqualTo("admin");
  }

  @Test
  void handlersRunOnTheRequestPoolOffTheEventLoop() {
    assertThat(client.get("/api/v1/blocking").json().path("thread").asText())
        .startsWith("orchestrion-http-request-");
  }

  @Test
  void validBodyIsRead() {
    ApiResponse response = client.post("/api/v1/samples", "{\"name\":\"a\",\"count\":2}");
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.json().path("count").asInt()).isEqualTo(2);
  }

  @Test
  void malformedJsonIs400WithPath() {
    ApiResponse response = client.post("/api/v1/samples", "{\"name\": \"a\", \"count\": }");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(response.json().path("problems").get(0).path("path").asText()).isEqualTo("$.count");
  }

  @Test
  void emptyBodyIs400() {
    ApiResponse response = client.post("/api/v1/samples", "");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("problems").get(0).path("message").asText())
        .isEqualTo("the body is empty");
  }

  @Test
  void unknownPropertyUsesTheCallersCodeWithItsPath() {
    ApiResponse response =
        client.post("/api/v1/samples", "{\"name\":\"a\",\"count\":1,\"bogus\":true}");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().path("code").asText()).isEqualTo("INVALID_DEFINITION");
    assertThat(response.json().path("problems").get(0).path("path").asText()).isEqualTo("$.bogus");
    assertThat(response.json().path("problems").get(0).path("message").asText())
        .isEqualTo("unknown property 'bogus'");
  }

  @Test
  void missingRequiredPropertyIsNamed() {
    ApiResponse response = client.post("/api/v1/samples", "{\"count\":1}");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().path("problems").get(0).path("message").asText())
        .isEqualTo("missing required property 'name'");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"name\":\"" + "x".repeat((int) BODY_LIMIT * 2) + "\",\"count\":1}";
    ApiResponse response = client.post("/api/v1/samples", big);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.json().path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
    assertThat(response.json().path("detail").asText()).contains("1024 bytes");
  }

  @Test
  void engineConflictIs409WithItsMessage() {
    ApiResponse response = client.get("/api/v1/conflict");
    assertThat(response.status()).isEqualTo(409);
    assertThat(response.json().path("detail").asText()).contains("'r1'");
    assertThat(response.json().path("type").asText()).isEqualTo("urn:orchestrion:problem:conflict");
  }

  @Test
  void unexpectedExceptionIsAGeneric500() {
    ApiResponse response = client.get("/api/v1/boom");
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.json().path("code").asText()).isEqualTo("INTERNAL_ERROR");
    assertThat(response.body()).doesNotContain("secret internal detail");
    assertThat(response.json().path("problems")).isEmpty();
  }

  @Test
  void wrongMethodIs405Problem() {
    ApiResponse response = client.send("DELETE", "/api/v1/whoami", Optional.empty(), Map.of());
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.json().path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
  }

  @Test
  void listOfProblemsIsAlwaysPresent() {
    assertThat(client.get("/api/v1/conflict").json().path("problems").isArray()).isTrue();
    assertThat(List.of(client.get("/api/v1/whoami").status())).containsExactly(200);
  }
}
