package io.orchestrion.server.plugins;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The http-callout plugin in the real server, configured through the server's plugin settings: a
 * background step's flow calls a local HTTP server through action {@code http.scoring}. The call is
 * made with no database transaction open and no pooled connection held (the action declares
 * external side effects, SPEC §9), its secret header reaches the HTTP server, and the secret shows
 * up nowhere in the run, its explanation or its events, not even when the call fails.
 */
class HttpCalloutServerIT {
  private static final String SECRET = "tok-3c7d-must-not-leak";
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private static final String FLOW =
      """
      {"apiName": "Score_Externally", "type": "AUTOLAUNCHED",
       "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                     {"name": "expense", "type": "RECORD", "objectType": "Expense"},
                     {"name": "score", "type": "NUMBER", "output": true}],
       "start": "Get_Expense",
       "elements": [
         {"type": "GetRecords", "name": "Get_Expense", "objectType": "Expense",
          "filters": [{"field": "Id", "operator": "EQUALS", "value": {"ref": "recordId"}}],
          "firstOnly": true, "into": "expense", "next": "Call"},
         {"type": "Action", "name": "Call", "action": "http.scoring",
          "inputs": {"expenseId": {"ref": "recordId"}}, "outputs": {"score": "score"},
          "next": "Keep"},
         {"type": "Assignment", "name": "Keep",
          "assignments": [{"target": "expense.Risk", "operator": "SET", "value": {"ref": "score"}}],
          "next": "Save"},
         {"type": "UpdateRecords", "name": "Save", "record": "expense"}]}
      """;

  private static final String ORCHESTRATION =
      """
      {"apiName": "Score_Outside", "objectType": "Expense",
       "stages": [{"name": "Only", "steps": [
         {"name": "Score", "kind": "BACKGROUND", "flow": "Score_Externally",
          "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
      """;

  /** What the scoring server saw of each call. */
  private record Call(String authorization, String idempotencyKey, String body, int fewestActive) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicReference<HikariDataSource> pool = new AtomicReference<>();
  private HttpServer scoring;
  private TestServer server;
  private ApiClient client;

  @BeforeEach
  void start() throws IOException {
    scoring = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    scoring.setExecutor(Executors.newCachedThreadPool());
    scoring.createContext("/scoring/", this::score);
    scoring.start();
    String base = "http://127.0.0.1:" + scoring.getAddress().getPort();
    PluginConfiguration plugins =
        PluginConfiguration.empty()
            .withSetting("http-callout", "allow", base + "/scoring/")
            .withSetting("http-callout", "endpoints.scoring.url", base + "/scoring/v1")
            .withSetting("http-callout", "endpoints.scoring.inputs", "expenseId:TEXT")
            .withSetting("http-callout", "endpoints.scoring.outputs", "score:NUMBER=/result/score")
            .withSetting("http-callout", "endpoints.scoring.retries", "0")
            .withSetting(
                "http-callout", "endpoints.scoring.header.1", "Authorization: Bearer ${scoring}")
            .withSecret("http-callout", "scoring", SECRET);
    server =
        TestServer.startH2(
            config -> config.withPluginConfiguration(plugins),
            dataSource -> {
              pool.set((HikariDataSource) dataSource);
              return dataSource;
            });
    client = server.client();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    scoring.stop(0);
  }

  private void score(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    calls.add(
        new Call(
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
            body,
            fewestActiveConnections(pool.get())));
    // A record titled "refused" gets a 404 that echoes the caller's credentials.
    boolean refuse = body.contains(refusedId.get());
    byte[] answer =
        (refuse
                ? "{\"error\": \"unknown expense\", \"auth\": \""
                    + exchange.getRequestHeaders().getFirst("Authorization")
                    + "\"}"
                : "{\"result\": {\"score\": 42}}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(refuse ? 404 : 200, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private final AtomicReference<String> refusedId = new AtomicReference<>("(none)");

  @Test
  void theFlowCallsTheEndpointWithNoTransactionOpenAndTheSecretStaysOutOfTheRun() throws Exception {
    deploy();
    String recordId = createExpense("Taxi");
    String runId = submit(recordId);

    JsonNode run = awaitRunEnd(runId);

    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(calls).hasSize(1);
    Call call = calls.getFirst();
    assertThat(call.authorization()).isEqualTo("Bearer " + SECRET);
    assertThat(call.idempotencyKey()).startsWith(runId + "/");
    assertThat(call.body()).isEqualTo("{\"expenseId\":\"" + recordId + "\"}");
    // The job committed its segment and returned its connection before the call.
    assertThat(call.fewestActive()).isZero();
    JsonNode fields = client.get("/api/v1/records/Expense/" + recordId).json().path("fields");
    assertThat(fields.path("Risk").decimalValue()).isEqualByComparingTo("42");
    assertNoSecretIn(runId);
  }

  @Test
  void aFailedCallNamesTheCallButNotTheSecret() throws Exception {
    deploy();
    String recordId = createExpense("Refused");
    refusedId.set(recordId);
    String runId = submit(recordId);

    JsonNode run = awaitRunEnd(runId);

    JsonNode step = run.path("stages").get(0).path("steps").get(0);
    assertThat(step.path("status").asText()).as(run.toString()).isEqualTo("ERROR");
    String everything = run + client.get("/api/v1/runs/" + runId + "/explain").body();
    assertThat(everything).contains("http.scoring POST http://127.0.0.1:").contains("HTTP 404");
    assertNoSecretIn(runId);
  }

  private void assertNoSecretIn(String runId) {
    for (String path :
        List.of(
            "/api/v1/runs/" + runId,
            "/api/v1/runs/" + runId + "/explain",
            "/api/v1/events?after=0&runId=" + runId)) {
      ApiResponse response = client.get(path);
      assertThat(response.status()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).doesNotContain(SECRET);
    }
  }

  private void deploy() {
    expect(client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expect(client.post("/api/v1/flows?activate=true", FLOW), 201);
    ApiResponse orchestration = client.post("/api/v1/orchestrations", ORCHESTRATION);
    expect(orchestration, 201);
    expect(client.post("/api/v1/orchestrations/Score_Outside/versions/1/activate", ""), 200);
  }

  private String createExpense(String title) {
    return expect(
            client.post(
                "/api/v1/records/Expense",
                "{\"Title\": \"" + title + "\", \"Amount\": 12.00, \"Status\": \"Draft\"}"),
            201)
        .json()
        .path("id")
        .asText();
  }

  private String submit(String recordId) {
    return expect(
            client.post(
                "/api/v1/submissions",
                "{\"objectType\": \"Expense\", \"recordId\": \""
                    + recordId
                    + "\", \"orchestration\": \"Score_Outside\"}"),
            201)
        .json()
        .path("runId")
        .asText();
  }

  private JsonNode awaitRunEnd(String runId) throws InterruptedException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    JsonNode run = expect(client.get("/api/v1/runs/" + runId), 200).json();
    while (run.path("status").asText().equals("IN_PROGRESS")
        && !run.path("stages").get(0).path("steps").get(0).path("status").asText().equals("ERROR")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      run = expect(client.get("/api/v1/runs/" + runId), 200).json();
    }
    return run;
  }

  /**
   * The fewest connections the pool had checked out while sampling for up to 2 s (stopping at
   * zero): the engine's own loops borrow one now and then, but a job holding its transaction open
   * across the call would hold one the whole time.
   */
  private static int fewestActiveConnections(HikariDataSource pool) {
    int fewest = Integer.MAX_VALUE;
    Instant deadline = Instant.now().plusSeconds(2);
    while (fewest > 0 && Instant.now().isBefore(deadline)) {
      fewest = Math.min(fewest, pool.getHikariPoolMXBean().getActiveConnections());
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fewest;
      }
    }
    return fewest;
  }
}
