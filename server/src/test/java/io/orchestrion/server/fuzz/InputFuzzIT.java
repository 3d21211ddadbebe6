package io.orchestrion.server.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the HTTP API with mutants (see {@link JsonMutator}) of the shipped example definitions
 * (the expense object type, flows and orchestration of the demo) and of request bodies
 * (submissions, records, decisions, reassignments, directory bodies, shares, run and flow events),
 * sent to the real server on H2. Properties: never a 5xx; every 400 and 422 lists problems, each
 * with a path into the submitted document (a node of it, or a missing node whose parent exists).
 *
 * <p>Each property runs jqwik's default number of tries (1,000 here, set in {@code
 * junit-platform.properties}; together well under 90 s in CI). A longer run: {@code
 * -Djqwik.tries.default=20000} on the Maven command line; a failing run prints its seed, which
 * {@code -Djqwik.seeds.whenfixed=ALLOW} and {@code @Property(seed = "...")} replay.
 */
class InputFuzzIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final AtomicInteger UNIQUE = new AtomicInteger();
  private static final AtomicLong SENT = new AtomicLong();

  private static TestServer server;
  private static ApiClient client;
  private static List<Target> definitions;
  private static List<Target> requests;
  private static Instant started;

  /** Where a seed document goes; {@code uniqueApiName} gives each mutant its own api name. */
  record Target(String method, String path, JsonNode seed, boolean uniqueApiName) {}

  record Mutant(Target target, JsonNode document) {
    @Override
    public String toString() {
      String text = JsonMutator.render(document);
      return target.method()
          + " "
          + target.path()
          + " "
          + (text.length() > 2_000 ? text.substring(0, 2_000) + "..." : text);
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    started = Instant.now();
    server = TestServer.start(TestDatabaseKind.H2);
    client = server.client();
    expect(201, client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)));
    for (String flow : List.of(Fixtures.MARK_IN_REVIEW, Fixtures.SCORE_RISK, Fixtures.IS_LARGE)) {
      expect(201, client.post("/api/v1/flows?activate=true", Fixtures.demo(flow)));
    }
    expect(
        201,
        client.put(
            "/api/v1/queues/Finance",
            "{\"name\": \"Finance\", \"members\": []," + " \"objectTypes\": [\"Expense\"]}"));
    expect(
        201,
        client.post("/api/v1/orchestrations?activate=true", Fixtures.demo(Fixtures.ORCHESTRATION)));
    String recordId =
        expect(201, client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)))
            .json()
            .path("id")
            .asText();
    String submission =
        "{\"objectType\": \"Expense\", \"recordId\": \""
            + recordId
            + "\", \"orchestration\": \"Expense_Approval\", \"comments\": \"please\"}";
    JsonNode submitted = expect(201, client.post("/api/v1/submissions", submission)).json();
    String submissionId = submitted.path("id").asText();
    String runId = submitted.path("runId").asText();
    String workItemId = awaitWorkItem(runId).orElse("no-work-item");
    String webhook =
        "{\"url\": \"http://127.0.0.1:9/hook\", \"kinds\": [\"RUN_COMPLETED\"], \"filters\":"
            + " {\"objectType\": \"Expense\"}, \"secret\": \"0123456789abcdef0123\","
            + " \"enabled\": false}";
    String webhookId =
        expect(201, client.post("/api/v1/webhooks", webhook)).json().path("id").asText();
    expect(
        201,
        client.put(
            "/api/v1/users/fuzz-delegate",
            "{\"username\": \"fuzz-delegate\", \"displayName\": \"Fuzz delegate\"}"));

    definitions =
        List.of(
            new Target("POST", "/api/v1/flows", seed(Fixtures.demo(Fixtures.MARK_IN_REVIEW)), true),
            new Target("POST", "/api/v1/flows", seed(Fixtures.demo(Fixtures.SCORE_RISK)), true),
            new Target("POST", "/api/v1/flows", seed(Fixtures.demo(Fixtures.IS_LARGE)), true),
            new Target(
                "POST",
                "/api/v1/orchestrations",
                seed(Fixtures.demo(Fixtures.ORCHESTRATION)),
                true),
            new Target(
                "PUT",
                "/api/v1/object-types/Fuzzed",
                seed(Fixtures.demo(Fixtures.EXPENSE_TYPE).replace("\"Expense\"", "\"Fuzzed\"")),
                false));
    requests =
        List.of(
            new Target("POST", "/api/v1/submissions", seed(submission), false),
            new Target(
                "POST",
                "/api/v1/records/Expense",
                seed(Fixtures.demo(Fixtures.EXPENSE_RECORD)),
                false),
            new Target(
                "PATCH",
                "/api/v1/records/Expense/" + recordId,
                seed("{\"Title\": \"Team lunch\", \"Amount\": 99.50}"),
                false),
            new Target(
                "POST",
                "/api/v1/work-items/" + workItemId + "/decision",
                seed("{\"decision\": \"APPROVE\", \"comments\": \"fine\"}"),
                false),
            new Target(
                "POST",
                "/api/v1/work-items/" + workItemId + "/reassign",
                seed("{\"assigneeType\": \"USER\", \"assigneeId\": \"admin\"}"),
                false),
            new Target(
                "POST",
                "/api/v1/submissions/" + submissionId + "-none/recall",
                seed("{\"comments\": \"oops\"}"),
                false),
            new Target(
                "PUT",
                "/api/v1/users/fuzz-user",
                seed(
                    "{\"username\": \"fuzz\", \"displayName\": \"Fuzz User\", \"email\":"
                        + " \"fuzz@example.com\", \"active\": true, \"managerId\": \"admin\"}"),
                false),
            new Target("PUT", "/api/v1/roles/fuzz-role", seed("{\"name\": \"Fuzz role\"}"), false),
            new Target(
                "PUT",
                "/api/v1/groups/fuzz-group",
                seed(
                    "{\"name\": \"Fuzzers\", \"members\": [{\"type\": \"USER\", \"id\": \"admin\"}]}"),
                false),
            new Target(
                "PUT",
                "/api/v1/queues/fuzz-queue",
                seed(
                    "{\"name\": \"Fuzz queue\", \"members\": [{\"type\": \"USER\", \"id\":"
                        + " \"admin\"}], \"objectTypes\": [\"Expense\"]}"),
                false),
            new Target(
                "PUT",
                "/api/v1/permission-sets/fuzz-set",
                seed(
                    "{\"name\": \"Fuzz set\", \"objectPermissions\": {\"Expense\": [\"READ\"]},"
                        + " \"fieldPermissions\": {\"Expense\": {\"Amount\": [\"READ\"]}},"
                        + " \"systemPermissions\": [\"VIEW_ALL_DATA\"]}"),
                false),
            new Target(
                "POST",
                "/api/v1/records/Expense/" + recordId + "/shares",
                seed("{\"granteeType\": \"USER\", \"granteeId\": \"admin\", \"access\": \"READ\"}"),
                false),
            new Target(
                "POST",
                "/api/v1/runs/" + runId + "/events",
                seed("{\"payload\": {\"reason\": \"fuzz\", \"amount\": 1}}"),
                false),
            new Target(
                "PUT",
                "/api/v1/users/admin/delegation",
                seed(
                    "{\"delegateId\": \"fuzz-delegate\", \"from\": \"2999-01-01T00:00:00Z\","
                        + " \"until\": \"2999-02-01T00:00:00+01:00\"}"),
                false),
            new Target("POST", "/api/v1/webhooks", seed(webhook), false),
            new Target("PUT", "/api/v1/webhooks/" + webhookId, seed(webhook), false),
            new Target(
                "POST",
                "/api/v1/tokens",
                seed("{\"username\": \"admin\", \"ttl\": \"PT1H\"}"),
                false),
            new Target(
                "POST",
                "/api/v1/flow-events",
                seed(
                    "{\"name\": \"payment.received\", \"correlationKey\": \"O-7\", \"payload\":"
                        + " {\"amount\": 10.00}}"),
                false));
  }

  @AfterContainer
  static void stop() {
    if (server != null) {
      server.close();
    }
    System.out.printf(
        "InputFuzzIT: %d mutants sent in %d s%n",
        SENT.get(), Duration.between(started, Instant.now()).toSeconds());
  }

  @Property
  void mutatedDefinitionsAreRefusedWithPathsIntoTheDocumentNeverWith5xx(
      @ForAll("definitionMutants") Mutant mutant) throws Exception {
    check(mutant);
  }

  @Property
  void mutatedRequestBodiesAreRefusedWithPathsIntoTheBodyNeverWith5xx(
      @ForAll("requestMutants") Mutant mutant) throws Exception {
    check(mutant);
  }

  @Example
  void signedTokensWithNonNumericOrFarExpiriesAre401NotServerErrors() throws Exception {
    long now = Instant.now().getEpochSecond();
    for (String claims :
        List.of(
            "{\"sub\":\"admin\",\"exp\":\"never\"}",
            "{\"sub\":\"admin\",\"exp\":" + (now + 60) + ",\"nbf\":\"later\"}",
            "{\"sub\":\"admin\",\"exp\":1e300}",
            "{\"sub\":\"admin\",\"iat\":" + now + ",\"exp\":" + (now + 90_000) + "}")) {
      ApiResponse response =
          client.withToken(Optional.of(signedToken(claims))).get("/api/v1/object-types");
      assertThat(response.status()).as(claims + " -> " + response).isEqualTo(401);
      assertThat(response.json().path("detail").asText()).as(claims).contains("bearer token");
    }
    assertThat(
            client
                .withToken(
                    Optional.of(signedToken("{\"sub\":\"admin\",\"exp\":" + (now + 60) + "}")))
                .get("/api/v1/object-types")
                .status())
        .isEqualTo(200);
  }

  @Example
  void tooLongDirectoryStringsAndInvalidApiNamesAreProblemsAtTheirPaths() throws Exception {
    ApiResponse user =
        client.put(
            "/api/v1/users/long-name",
            "{\"username\": \"long\", \"displayName\": \"" + "d".repeat(256) + "\"}");
    assertThat(user.status()).as(user.toString()).isEqualTo(400);
    assertThat(user.json().path("problems").get(0).path("path").asText())
        .isEqualTo("$.displayName");
    assertThat(user.json().path("problems").get(0).path("message").asText()).contains("255");

    ObjectNode flow = (ObjectNode) seed(Fixtures.demo(Fixtures.SCORE_RISK));
    flow.put("apiName", "no spaces allowed");
    ApiResponse invalidName = client.post("/api/v1/flows", flow.toString());
    assertThat(invalidName.status()).as(invalidName.toString()).isEqualTo(422);
    assertThat(invalidName.json().path("problems").findValuesAsText("path")).contains("$.apiName");

    ObjectNode orchestration = (ObjectNode) seed(Fixtures.demo(Fixtures.ORCHESTRATION));
    orchestration.put("apiName", "Unknown_Object_Property");
    orchestration.set("foo", seed("{\"x\": 1}"));
    ApiResponse unknown = client.post("/api/v1/orchestrations", orchestration.toString());
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
    assertThat(unknown.json().path("problems").findValuesAsText("path")).containsExactly("$.foo");
  }

  @Example
  void stepInputNamesThatAreNoIdentifiersAreQuotedInProblemPaths() throws Exception {
    // Found by the long fuzz run (-Djqwik.tries.default=10000): the name was appended unquoted.
    ObjectNode orchestration = (ObjectNode) seed(Fixtures.demo(Fixtures.ORCHESTRATION));
    orchestration.put("apiName", "Odd_Input_Name");
    ObjectNode step = (ObjectNode) orchestration.path("stages").get(0).path("steps").get(0);
    ObjectNode inputs = (ObjectNode) step.path("inputs");
    inputs.set("$recordId['\\", inputs.path("recordId"));

    ApiResponse response = client.post("/api/v1/orchestrations", orchestration.toString());

    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    List<String> paths = response.json().path("problems").findValuesAsText("path");
    assertThat(paths).contains("$.stages[0].steps[0].inputs['$recordId[\\'\\\\']");
    for (String path : paths) {
      assertThat(ProblemPaths.check(orchestration, path)).as(path).isEmpty();
    }
  }

  /** A token signed with the test server's secret, whatever its claims. */
  private static String signedToken(String claimsJson) throws Exception {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(UTF_8));
    String signingInput = header + "." + base64.encodeToString(claimsJson.getBytes(UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestServer.JWT_SECRET.getBytes(UTF_8), "HmacSHA256"));
    return signingInput + "." + base64.encodeToString(mac.doFinal(signingInput.getBytes(UTF_8)));
  }

  @Provide
  Arbitrary<Mutant> definitionMutants() {
    return mutants(definitions);
  }

  @Provide
  Arbitrary<Mutant> requestMutants() {
    return mutants(requests);
  }

  private static Arbitrary<Mutant> mutants(List<Target> targets) {
    return Arbitraries.randomValue(
            random -> {
              Target target = targets.get(random.nextInt(targets.size()));
              JsonNode seed = target.seed();
              if (target.uniqueApiName()) {
                // Unique names keep every definition far from the cap of 50 versions.
                seed = seed.deepCopy();
                ((ObjectNode) seed).put("apiName", "Fuzz_" + UNIQUE.incrementAndGet());
              }
              return new Mutant(target, JsonMutator.mutate(seed, random));
            })
        .withoutEdgeCases();
  }

  private static void check(Mutant mutant) throws Exception {
    String body = JsonMutator.render(mutant.document());
    ApiResponse response =
        client.send(mutant.target().method(), mutant.target().path(), Optional.of(body), Map.of());
    SENT.incrementAndGet();
    assertThat(response.status()).as("status of %s%n%s", mutant, response).isLessThan(500);
    if (response.status() == 400 || response.status() == 422) {
      JsonNode problems = response.json().path("problems");
      assertThat(problems.isArray() && !problems.isEmpty())
          .as("problems listed by %s%n%s", mutant, response)
          .isTrue();
      List<String> wrong = new ArrayList<>();
      for (JsonNode problem : problems) {
        String path = problem.path("path").asText();
        ProblemPaths.check(mutant.document(), path).ifPresent(wrong::add);
      }
      assertThat(wrong).as("problem paths of %s%n%s", mutant, response).isEmpty();
    }
  }

  private static JsonNode seed(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  private static ApiResponse expect(int status, ApiResponse response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response;
  }

  /** The open work item of the run, once its background steps have finished. */
  private static Optional<String> awaitWorkItem(String runId) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      JsonNode items = client.get("/api/v1/runs/" + runId + "/work-items").json().path("items");
      if (items.isArray() && !items.isEmpty()) {
        return Optional.of(items.get(0).path("id").asText());
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }
}
