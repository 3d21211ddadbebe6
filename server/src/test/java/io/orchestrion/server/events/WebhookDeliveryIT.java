package io.orchestrion.server.events;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static io.orchestrion.server.testing.ApiExpectations.submitExpense;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.User;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks through the real server on H2 against a real HTTP receiver started by the test (JDK
 * HttpServer): down, then answering 500, then slow, then recovering — nothing lost, nothing out of
 * order per run, every request signed; dead letters with their last error, re-driven.
 */
class WebhookDeliveryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "a-receiver-secret-0123456789";

  private TestServer server;
  private ApiClient admin;
  private HttpServer receiver;

  /** One request the receiver got, and what it answered. */
  record Received(long sequence, String runId, String kind, int status, boolean signed) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  private void start(int maxAttempts) {
    server =
        TestServer.startH2(
            config ->
                config.withEventDelivery(
                    config
                        .eventDelivery()
                        .withStream(Duration.ofSeconds(5), Duration.ofMillis(50), 10, 65536)
                        .withWebhooks(
                            Duration.ofMillis(700),
                            maxAttempts,
                            Duration.ofMillis(50),
                            Duration.ofMillis(400))),
            dataSource -> dataSource);
    admin = server.client();
    expect(admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    for (String flow : List.of(Fixtures.MARK_IN_REVIEW, Fixtures.SCORE_RISK)) {
      expect(admin.post("/api/v1/flows?activate=true", Fixtures.demo(flow)), 201);
    }
    expect(
        admin.post(
            "/api/v1/orchestrations?activate=true",
            Fixtures.test(Fixtures.BACKGROUND_ORCHESTRATION)),
        201);
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void receiverDownThenFailingThenSlowThenRecoveringGetsEveryEventInOrderPerRun() throws Exception {
    start(100);
    int port = freePort();
    String id =
        expect(
                admin.post(
                    "/api/v1/webhooks",
                    "{\"url\": \"http://127.0.0.1:"
                        + port
                        + "/hook\", \"secret\": \""
                        + SECRET
                        + "\"}"),
                201)
            .json()
            .path("id")
            .asText();
    long start = lastSequence();

    // Down: nothing listens on the port while the first runs commit.
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(submitExpense(admin));
    }
    Thread.sleep(1500);
    // Up: the first 5 requests get 500, the next 3 are answered after the 700 ms timeout, then OK.
    startReceiver(port, n -> n <= 5 ? 500 : n <= 8 ? -1 : 204);
    for (int i = 0; i < 3; i++) {
      runs.add(submitExpense(admin));
    }
    awaitRunsEnded();
    long end = lastSequence();
    List<Long> expected = sequencesBetween(start, end);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered().size() < expected.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(delivered()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(received).allMatch(Received::signed, "every request carries a valid signature");
    assertThat(received.stream().filter(r -> r.status() == 500)).hasSize(5);
    // Per run, requests arrive in sequence order: a retried event holds the run's later ones back.
    Map<String, List<Long>> byRun = new LinkedHashMap<>();
    for (Received request : received) {
      byRun.computeIfAbsent(request.runId(), run -> new ArrayList<>()).add(request.sequence());
    }
    assertThat(byRun.keySet()).containsAll(runs);
    byRun.values().forEach(sequences -> assertThat(sequences).isSorted());
    JsonNode deliveries =
        expect(admin.get("/api/v1/webhooks/" + id + "/deliveries?limit=500"), 200).json();
    assertThat(deliveries.path("items").findValuesAsText("status")).containsOnly("DELIVERED");
    assertThat(deliveries.path("items")).hasSize(expected.size());
  }

  @Test
  void exhaustedDeliveriesAreDeadWithTheirLastErrorLaterOnesGoOnAndRedriveSendsThemAgain()
      throws Exception {
    start(2);
    AtomicInteger answer = new AtomicInteger(500);
    int port = freePort();
    startReceiver(port, n -> answer.get());
    ApiResponse created =
        expect(
            admin.post(
                "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:"
                    + port
                    + "/hook\", \"kinds\": [\"SUBMITTED\", \"RUN_COMPLETED\"],"
                    + " \"secret\": \""
                    + SECRET
                    + "\"}"),
            201);
    String id = created.json().path("id").asText();
    assertThat(created.json().has("secret")).isFalse();
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/webhooks/" + id);
    String runId = submitExpense(admin);
    awaitRunsEnded();

    List<JsonNode> dead = awaitDeliveries(id, "DEAD", 2);
    // The run's later event went on after the first one was dead-lettered.
    assertThat(dead).extracting(d -> d.path("runId").asText()).containsOnly(runId);
    for (JsonNode delivery : dead) {
      assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
      assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(500);
      assertThat(delivery.path("lastError").asText()).contains("500");
    }
    assertThat(received).hasSize(4);

    answer.set(200);
    assertThat(
            expect(admin.post("/api/v1/webhooks/" + id + "/redrive", ""), 200)
                .json()
                .path("redriven")
                .asInt())
        .isEqualTo(2);
    awaitDeliveries(id, "DELIVERED", 2);
    assertThat(received.stream().filter(r -> r.status() == 200).map(Received::kind))
        .containsExactly("SUBMITTED", "RUN_COMPLETED");

    // Managing webhooks needs MANAGE_WEBHOOKS; the secret is write-only; bad input names its path.
    server.createUser(User.of("walt", "Walt"));
    ApiResponse denied = server.clientAs("walt").get("/api/v1/webhooks");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body()).contains("MANAGE_WEBHOOKS");
    JsonNode listed = expect(admin.get("/api/v1/webhooks"), 200).json();
    assertThat(listed.path("items").findValuesAsText("id")).containsExactly(id);
    assertThat(listed.toString()).doesNotContain(SECRET);
    ApiResponse invalid =
        admin.post("/api/v1/webhooks", "{\"url\": \"ftp://x\", \"secret\": \"short\"}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("$.url").contains("$.secret");
    ApiResponse badKind =
        admin.post(
            "/api/v1/webhooks",
            "{\"url\": \"http://127.0.0.1:1/x\", \"kinds\": [\"NOPE\"], \"secret\": \""
                + SECRET
                + "\"}");
    assertThat(badKind.status()).isEqualTo(400);
    // A null kind is a 400 naming its index, not a server error (found by InputFuzzIT).
    ApiResponse nullKind =
        admin.post(
            "/api/v1/webhooks",
            "{\"url\": \"http://127.0.0.1:1/x\", \"kinds\": [\"RUN_COMPLETED\", null],"
                + " \"secret\": \""
                + SECRET
                + "\"}");
    assertThat(nullKind.status()).isEqualTo(400);
    assertThat(nullKind.body()).contains("$.kinds[1]");
    expect(
        admin.send("DELETE", "/api/v1/webhooks/" + id, java.util.Optional.empty(), Map.of()), 204);
    assertThat(admin.get("/api/v1/webhooks/" + id).status()).isEqualTo(404);
  }

  private List<JsonNode> awaitDeliveries(String id, String status, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonNode page =
          expect(admin.get("/api/v1/webhooks/" + id + "/deliveries?status=" + status), 200).json();
      List<JsonNode> items = new ArrayList<>();
      page.path("items").forEach(items::add);
      if (items.size() >= count) {
        return items;
      }
      assertThat(System.nanoTime())
          .as("%d %s deliveries in time", count, status)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Answers request n (1-based) with {@code answer(n)}; -1 sleeps past the sender's timeout. */
  private void startReceiver(int port, IntUnaryOperator answer) throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
    receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/hook",
        exchange -> {
          int status = answer.applyAsInt(requests.incrementAndGet());
          try {
            record(exchange, status);
            if (status < 0) {
              Thread.sleep(1500);
              status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
    receiver.start();
  }

  private void record(HttpExchange exchange, int status) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String timestamp = exchange.getRequestHeaders().getFirst("X-Orchestrion-Timestamp");
    String signature = exchange.getRequestHeaders().getFirst("X-Orchestrion-Signature");
    boolean signed =
        timestamp != null
            && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300
            && ("v1=" + hmac(timestamp + "." + body)).equals(signature);
    JsonNode event = JSON.readTree(body);
    received.add(
        new Received(
            event.path("sequence").asLong(),
            event.path("runId").asText(),
            event.path("kind").asText(),
            status,
            signed));
  }

  private List<Long> delivered() {
    return received.stream()
        .filter(r -> r.status() >= 200 && r.status() < 300)
        .map(Received::sequence)
        .distinct()
        .toList();
  }

  private static String hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitRunsEnded() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!expect(admin.get("/api/v1/submissions?status=IN_PROGRESS"), 200)
        .json()
        .path("items")
        .isEmpty()) {
      assertThat(System.nanoTime()).as("runs ended in time").isLessThan(deadline);
      Thread.sleep(50);
    }
    // Let the sequencer number the last events.
    Thread.sleep(300);
  }

  private long lastSequence() {
    long last = 0;
    while (true) {
      JsonNode page = expect(admin.get("/api/v1/events?limit=1000&after=" + last), 200).json();
      if (page.path("items").isEmpty()) {
        return last;
      }
      last = page.path("lastSequence").asLong();
    }
  }

  private List<Long> sequencesBetween(long start, long end) {
    List<Long> sequences = new ArrayList<>();
    JsonNode page = expect(admin.get("/api/v1/events?limit=1000&after=" + start), 200).json();
    for (JsonNode event : page.path("items")) {
      if (event.path("sequence").asLong() <= end) {
        sequences.add(event.path("sequence").asLong());
      }
    }
    return sequences;
  }
}
