package io.orchestrion.server.api;

import static io.orchestrion.server.testing.ApiExpectations.expect;
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
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What operators and integrators need beside the approval API itself (issue 10): listable
 * definitions, tokens while the server runs, metrics, request ids, approvers reading the record.
 * One server for all of it, on the database a subclass chooses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OperationsContract {
  private TestServer server;
  private ApiClient admin;

  abstract TestDatabaseKind databaseKind();

  @BeforeAll
  void start() {
    server = TestServer.start(databaseKind());
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
  void stop() {
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
        ServerConfig.defaults()
            .withPort(0)
            .withDataDirectory(dataDirectory)
            .withJwtPublicKey(publicPem);
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

  @Test
  void metricsAreScrapedWithoutATokenAfterASubmission() throws Exception {
    server
        .directory()
        .savePermissionSet(
            new PermissionSet(
                "metrics-submitters",
                "Expense submitters",
                Map.of(
                    "Expense",
                    Set.of(ObjectPermission.CREATE, ObjectPermission.READ, ObjectPermission.EDIT)),
                Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
                Set.of()));
    server.createUser(User.of("mona", "Mona Manager"));
    server.createUser(User.of("sam", "Sam Submitter").withManager("mona"), "metrics-submitters");
    ApiClient sam = server.clientAs("sam");
    JsonNode record =
        expect(
                sam.post(
                    "/api/v1/records/Expense",
                    "{\"Title\": \"Train\", \"Amount\": 80.00, \"Status\": \"Draft\"}"),
                201)
            .json();
    String runId =
        expect(
                sam.post(
                    "/api/v1/submissions",
                    "{\"objectType\": \"Expense\", \"recordId\": \""
                        + record.path("id").asText()
                        + "\", \"orchestration\": \"Expense_Approval\"}"),
                201)
            .json()
            .path("runId")
            .asText();
    // The asynchronous Score step runs on a worker; then the manager's work item opens.
    Instant deadline = Instant.now().plusSeconds(30);
    while (expect(sam.get("/api/v1/runs/" + runId + "/work-items"), 200)
        .json()
        .path("items")
        .isEmpty()) {
      assertThat(Instant.now()).as("manager's work item of run " + runId).isBefore(deadline);
      Thread.sleep(100);
    }

    ApiResponse scraped = expect(server.anonymousClient().get("/metrics"), 200);
    assertThat(scraped.contentType()).startsWith("text/plain");
    Map<String, Double> samples = new HashMap<>();
    for (String line : scraped.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        samples.merge(
            line.substring(0, space), Double.parseDouble(line.substring(space + 1)), Double::sum);
      }
    }
    assertThat(sample(samples, "orchestrion_submissions{", "status=\"IN_PROGRESS\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(samples, "orchestrion_work_items_open", "")).isGreaterThanOrEqualTo(1);
    assertThat(sample(samples, "orchestrion_work_items_overdue", "")).isZero();
    assertThat(sample(samples, "orchestrion_runs_error", "")).isZero();
    assertThat(sample(samples, "orchestrion_jobs_due", "")).isNotNegative();
    assertThat(sample(samples, "orchestrion_h2_writes_beside_statements_total", ""))
        .isNotNegative();
    assertThat(sample(samples, "orchestrion_h2_file_writes_total", "")).isNotNegative();
    assertThat(sample(samples, "orchestrion_events_unnumbered_oldest_seconds", "")).isNotNegative();
    assertThat(sample(samples, "orchestrion_evaluation_pass_seconds_count", ""))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            sample(
                samples,
                "orchestrion_step_duration_seconds_count{",
                "flow=\"Mark_In_Review\",mode=\"SYNC\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            sample(
                samples,
                "orchestrion_step_duration_seconds_count{",
                "flow=\"Score_Risk\",mode=\"ASYNC\""))
        .isGreaterThanOrEqualTo(1);
    // The Score step's job was handed to a worker: one hand-off lag at least, no per-run tag.
    assertThat(sample(samples, "orchestrion_jobs_handoff_lag_seconds_count", ""))
        .isGreaterThanOrEqualTo(1);
    assertThat(scraped.body()).contains("orchestrion_jobs_handoff_lag_seconds_count ");
    assertThat(sample(samples, "hikaricp_connections{", "")).isPositive();
    assertThat(sample(samples, "jvm_memory_used_bytes{", "")).isPositive();
    assertThat(sample(samples, "vertx_http_server_requests_total{", "")).isPositive();
    // No run or user in any tag.
    assertThat(scraped.body()).doesNotContain(runId).doesNotContain("\"sam\"");
  }

  /**
   * The sum of the samples whose name starts with {@code name} and whose tags contain {@code tags}.
   */
  private static double sample(Map<String, Double> samples, String name, String tags) {
    List<Double> matching =
        samples.entrySet().stream()
            .filter(entry -> entry.getKey().startsWith(name) && entry.getKey().contains(tags))
            .map(Map.Entry::getValue)
            .toList();
    assertThat(matching).as(name + " " + tags + " in " + samples.keySet()).isNotEmpty();
    return matching.stream().mapToDouble(Double::doubleValue).sum();
  }

  @Test
  void requestIdsAreKeptOrMadeAndReturnedOnEveryResponse() {
    ApiResponse given =
        admin.send("GET", "/api/v1/flows", Optional.empty(), Map.of("X-Request-Id", "trace-42.a"));
    assertThat(given.headers().firstValue("X-Request-Id")).contains("trace-42.a");
    ApiResponse made = server.anonymousClient().get("/api/v1/flows");
    assertThat(made.status()).isEqualTo(401);
    assertThat(made.headers().firstValue("X-Request-Id").orElse("")).hasSize(36);
    ApiResponse replaced =
        admin.send(
            "GET", "/nowhere", Optional.empty(), Map.of("X-Request-Id", "bad id with spaces"));
    assertThat(replaced.status()).isEqualTo(404);
    assertThat(replaced.headers().firstValue("X-Request-Id").orElse(""))
        .hasSize(36)
        .isNotEqualTo("bad id with spaces");
  }

  @Test
  void theApproverReadsTheApproverVisibleFieldsWhileTheItemIsOpen() throws Exception {
    String type =
        Fixtures.demo(Fixtures.EXPENSE_TYPE)
            .replace("\"type\": \"TEXT\",", "\"type\": \"TEXT\", \"approverVisible\": true,")
            .replace(
                "\"type\": \"CURRENCY\",", "\"type\": \"CURRENCY\", \"approverVisible\": true,");
    assertThat(admin.put("/api/v1/object-types/Expense", type).status()).isIn(200, 201);
    server
        .directory()
        .savePermissionSet(
            new PermissionSet(
                "approver-test-submitters",
                "Expense submitters",
                Map.of(
                    "Expense",
                    Set.of(ObjectPermission.CREATE, ObjectPermission.READ, ObjectPermission.EDIT)),
                Map.of("Expense", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
                Set.of()));
    // max holds no permission set at all: only his open work item lets him read.
    server.createUser(User.of("max", "Max Manager"));
    server.createUser(
        User.of("vera", "Vera Submitter").withManager("max"), "approver-test-submitters");
    ApiClient vera = server.clientAs("vera");
    ApiClient max = server.clientAs("max");
    String recordId =
        expect(
                vera.post(
                    "/api/v1/records/Expense",
                    "{\"Title\": \"Hotel\", \"Amount\": 120.00, \"Status\": \"Draft\"}"),
                201)
            .json()
            .path("id")
            .asText();
    String recordPath = "/api/v1/records/Expense/" + recordId;
    assertThat(max.get(recordPath).status()).isEqualTo(403);
    String runId =
        expect(
                vera.post(
                    "/api/v1/submissions",
                    "{\"objectType\": \"Expense\", \"recordId\": \""
                        + recordId
                        + "\", \"orchestration\": \"Expense_Approval\"}"),
                201)
            .json()
            .path("runId")
            .asText();
    Instant deadline = Instant.now().plusSeconds(30);
    JsonNode inbox = expect(max.get("/api/v1/work-items"), 200).json().path("items");
    while (inbox.isEmpty()) {
      assertThat(Instant.now()).as("max's work item of run " + runId).isBefore(deadline);
      Thread.sleep(100);
      inbox = expect(max.get("/api/v1/work-items"), 200).json().path("items");
    }
    JsonNode item = inbox.get(0);
    assertThat(item.path("objectType").asText()).isEqualTo("Expense");
    assertThat(item.path("recordId").asText()).isEqualTo(recordId);
    assertThat(item.path("recordSummary").path("Title").asText()).isEqualTo("Hotel");
    assertThat(item.path("recordSummary").path("Amount").decimalValue())
        .isEqualByComparingTo("120.00");
    assertThat(item.path("recordSummary").has("Status")).isFalse();
    JsonNode single = expect(max.get("/api/v1/work-items/" + item.path("id").asText()), 200).json();
    assertThat(single.path("recordSummary").path("Title").asText()).isEqualTo("Hotel");

    JsonNode record = expect(max.get(recordPath), 200).json();
    assertThat(record.at("/fields/Title").asText()).isEqualTo("Hotel");
    assertThat(record.at("/fields/Amount").decimalValue()).isEqualByComparingTo("120.00");
    assertThat(record.path("fields").has("Status")).isFalse();
    assertThat(record.path("fields").has("OwnerId")).isFalse();

    expect(
        max.post(
            "/api/v1/work-items/" + item.path("id").asText() + "/decision",
            "{\"decision\": \"APPROVE\"}"),
        200);
    // Decided: the item is closed, and so is the record.
    assertThat(max.get(recordPath).status()).isEqualTo(403);
  }
}
