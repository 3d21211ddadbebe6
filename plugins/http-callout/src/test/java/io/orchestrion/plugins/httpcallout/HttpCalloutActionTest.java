package io.orchestrion.plugins.httpcallout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import io.orchestrion.spi.testing.TestingActionInvocation;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The actions against a real HTTP server on the loopback interface, started by the test. */
class HttpCalloutActionTest {
  private static final String TOKEN = "tok-9b2e-never-printed";

  /** One answer of the test server: status and body, after an optional delay. */
  private record Answer(int status, String body, long delayMillis) {
    static Answer ok(String body) {
      return new Answer(200, body, 0);
    }
  }

  /** What the server received. */
  private record Received(
      String method, String path, String query, Map<String, String> headers, String body) {}

  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            headers,
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    Answer answer = answers.poll();
    if (answer == null) {
      answer = new Answer(500, "{\"error\": \"no answer queued\"}", 0);
    }
    if (answer.delayMillis() > 0) {
      try {
        release.await(answer.delayMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private ActionFactory action(Map<String, String> endpointSettings) {
    Map<String, String> settings = new HashMap<>();
    settings.put("allow", base + "/api/");
    endpointSettings.forEach((key, value) -> settings.put("endpoints.crm." + key, value));
    HttpCalloutPlugin plugin = new HttpCalloutPlugin();
    plugin.configure(
        new PluginContext(
            "http-callout", settings, Map.of("crm.token", Secret.of("crm.token", TOKEN))));
    return plugin.getActionFactories().getFirst();
  }

  private ActionFactory scoreAction() {
    return action(
        Map.of(
            "url", base + "/api/score",
            "inputs", "customerId:TEXT, amount:CURRENCY, since:DATE?, tags:TEXT[]?",
            "outputs",
                "score:NUMBER=/result/score, tier:TEXT=/result/tier, vip:BOOLEAN?=/result/vip,"
                    + " flags:TEXT[]?=/result/flags",
            "header.1", "Authorization: Bearer ${crm.token}",
            "header.2", "X-Tenant: acme",
            "backoff", "PT0.01S"));
  }

  @Test
  void postsTheInputsAsJsonWithSecretHeadersAndMapsTheResponseToOutputs() throws Exception {
    answers.add(
        Answer.ok(
            "{\"result\": {\"score\": 87.5, \"tier\": \"gold\", \"flags\": [\"new\", \"eu\"]}}"));

    Map<String, Object> outputs =
        TestingActionInvocation.invoke(
            scoreAction(),
            Map.of(
                "customerId",
                "C-42",
                "amount",
                new BigDecimal("1250.00"),
                "since",
                LocalDate.of(2026, 1, 31),
                "tags",
                List.of("a", "b")));

    assertThat(outputs)
        .containsExactly(
            Map.entry("score", new BigDecimal("87.5")),
            Map.entry("tier", "gold"),
            Map.entry("flags", List.of("new", "eu")));
    Received request = received.poll();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/score");
    assertThat(request.body())
        .isEqualTo(
            "{\"customerId\":\"C-42\",\"amount\":1250.00,\"since\":\"2026-01-31\","
                + "\"tags\":[\"a\",\"b\"]}");
    assertThat(request.headers())
        .containsEntry("Authorization", "Bearer " + TOKEN)
        .containsEntry("X-tenant", "acme")
        .containsEntry("Content-type", "application/json")
        .containsEntry("Idempotency-key", "test-idempotency-key-1");
  }

  @Test
  void retriesWithBackOffOn5xxAndSucceeds() throws Exception {
    answers.add(new Answer(503, "{\"error\": \"busy\"}", 0));
    answers.add(new Answer(502, "", 0));
    answers.add(Answer.ok("{\"result\": {\"score\": 1, \"tier\": \"bronze\"}}"));

    Map<String, Object> outputs =
        TestingActionInvocation.invoke(
            scoreAction(), Map.of("customerId", "C-1", "amount", BigDecimal.ONE));

    assertThat(outputs).containsEntry("tier", "bronze");
    assertThat(received).hasSize(3);
    // The same idempotency key on every attempt: the server can tell a retry from a new call.
    assertThat(received)
        .extracting(request -> request.headers().get("Idempotency-key"))
        .containsOnly("test-idempotency-key-1");
  }

  @Test
  void givesUpAfterTheRetriesNamingTheCallAndTheLastFailure() {
    for (int i = 0; i < 3; i++) {
      answers.add(new Answer(500, "{\"error\": \"down\", \"echo\": \"Bearer " + TOKEN + "\"}", 0));
    }

    assertThatThrownBy(
            () ->
                TestingActionInvocation.invoke(
                    scoreAction(), Map.of("customerId", "C-1", "amount", BigDecimal.ONE)))
        .isInstanceOf(HttpCalloutAction.CalloutException.class)
        .hasMessageStartingWith(
            "http.crm POST " + base + "/api/score: HTTP 500: {\"error\": \"down\"")
        .hasMessageEndingWith("after 3 attempts")
        .hasMessageContaining("Bearer ****")
        .hasMessageNotContaining(TOKEN);
    assertThat(received).hasSize(3);
  }

  @Test
  void retriesATimeoutAndReportsIt() throws InterruptedException {
    answers.add(new Answer(200, "{}", 10_000));
    answers.add(new Answer(200, "{}", 10_000));
    ActionFactory slow =
        action(
            Map.of(
                "url", base + "/api/slow",
                "timeout", "PT1S",
                "retries", "1",
                "backoff", "PT0S"));

    assertThatThrownBy(() -> TestingActionInvocation.invoke(slow, Map.of()))
        .isInstanceOf(HttpCalloutAction.CalloutException.class)
        .hasMessage("http.crm POST " + base + "/api/slow: no answer within PT1S after 2 attempts");
    // The server did get the requests it did not answer in time (on a busy machine it may record
    // them a little later than the client gave up).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(received).isNotEmpty().allMatch(request -> request.path().equals("/api/slow"));
  }

  @Test
  void aClientErrorFailsAtOnceWithoutRetry() {
    answers.add(new Answer(404, "{\"error\": \"no such customer\"}", 0));

    assertThatThrownBy(
            () ->
                TestingActionInvocation.invoke(
                    scoreAction(), Map.of("customerId", "C-404", "amount", BigDecimal.ONE)))
        .hasMessage(
            "http.crm POST " + base + "/api/score: HTTP 404: {\"error\": \"no such customer\"}");
    assertThat(received).hasSize(1);
  }

  @Test
  void aMissingRequiredOutputOrAWrongTypeNamesThePointer() {
    answers.add(Answer.ok("{\"result\": {\"score\": 3}}"));
    answers.add(Answer.ok("{\"result\": {\"score\": \"high\", \"tier\": \"x\"}}"));
    ActionFactory factory = scoreAction();
    Map<String, Object> inputs = Map.of("customerId", "C-1", "amount", BigDecimal.ONE);

    assertThatThrownBy(() -> TestingActionInvocation.invoke(factory, inputs))
        .hasMessageEndingWith("the response has no value at '/result/tier' for output 'tier'");
    assertThatThrownBy(() -> TestingActionInvocation.invoke(factory, inputs))
        .hasMessageEndingWith(
            "the response value at '/result/score' for output 'score' is no NUMBER: 'high'");
  }

  @Test
  void secretValuesEchoedIntoTextOutputsAreMasked() throws Exception {
    answers.add(Answer.ok("{\"result\": {\"score\": 1, \"tier\": \"echo Bearer " + TOKEN + "\"}}"));

    Map<String, Object> outputs =
        TestingActionInvocation.invoke(
            scoreAction(), Map.of("customerId", "C-1", "amount", BigDecimal.ONE));

    assertThat(outputs).containsEntry("tier", "echo Bearer ****");
  }

  @Test
  void getSendsTheInputsAsQueryParameters() throws Exception {
    answers.add(Answer.ok("{\"name\": \"Ada\"}"));
    ActionFactory lookup =
        action(
            Map.of(
                "url", base + "/api/customers?fields=name",
                "method", "get",
                "inputs", "id:TEXT",
                "outputs", "name:TEXT=/name"));

    Map<String, Object> outputs = TestingActionInvocation.invoke(lookup, Map.of("id", "C 42/é"));

    assertThat(outputs).containsExactly(Map.entry("name", "Ada"));
    Received request = received.poll();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.query()).isEqualTo("fields=name&id=C+42%2F%C3%A9");
    assertThat(request.body()).isEmpty();
  }

  @Test
  void aRefusedConnectionIsRetriedAndNamed() throws Exception {
    server.stop(0);
    ActionFactory factory =
        action(Map.of("url", base + "/api/score", "retries", "1", "backoff", "PT0S"));

    assertThatThrownBy(() -> TestingActionInvocation.invoke(factory, Map.of()))
        .hasMessageStartingWith("http.crm POST " + base + "/api/score: connection failed")
        .hasMessageEndingWith("after 2 attempts");
  }
}
