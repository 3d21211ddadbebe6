package io.orchestrion.server.events;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static io.orchestrion.server.testing.ApiExpectations.submitExpense;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.engine.EventService;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event stream through the real server on H2 (issue 10): resuming with Last-Event-ID while
 * submissions commit concurrently loses and repeats nothing; tickets; heartbeats; a client that
 * does not read is closed with a reason; streams past the bound are refused with 429; a filter by
 * kind reads past windows of sequences that hold nothing of the kind (issue 11).
 */
class EventStreamIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_STREAMS = 3;

  private TestServer server;
  private DataSource dataSource;
  private ApiClient admin;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void start() {
    server =
        TestServer.startH2(
            config ->
                config.withEventDelivery(
                    config
                        .eventDelivery()
                        .withStream(
                            Duration.ofSeconds(1), Duration.ofMillis(50), MAX_STREAMS, 4096)),
            dataSource -> {
              this.dataSource = dataSource;
              return dataSource;
            });
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
    server.close();
  }

  @Test
  void reconnectingWithLastEventIdWhileSubmissionsCommitMissesAndRepeatsNothing() throws Exception {
    long start =
        expect(admin.get("/api/v1/events?after=0&limit=1"), 200)
            .json()
            .path("lastSequence")
            .asLong();
    start = lastSequence(start);
    ExecutorService submitters = Executors.newFixedThreadPool(3);
    List<Future<?>> submitted = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      submitted.add(submitters.submit(() -> submitExpense(admin)));
    }

    List<Long> received = new ArrayList<>();
    Map<Long, JsonNode> data = new HashMap<>();
    long lastEventId = start;
    int connections = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!caughtUp(submitted, lastEventId)) {
      assertThat(System.nanoTime()).as("caught up in time").isLessThan(deadline);
      connections++;
      // Each connection reads a few events, then drops: the next resumes from Last-Event-ID.
      try (SseReader reader = reconnect(Optional.of(lastEventId))) {
        for (int read = 0; read < 7 && !caughtUp(submitted, lastEventId); read++) {
          SseReader.Frame frame = reader.next();
          assertThat(frame).as("the stream ended early").isNotNull();
          long sequence = Long.parseLong(frame.id());
          received.add(sequence);
          JsonNode event = JSON.readTree(frame.data());
          assertThat(event.path("kind").asText()).isEqualTo(frame.event());
          assertThat(event.path("sequence").asLong()).isEqualTo(sequence);
          data.put(sequence, event);
          lastEventId = sequence;
        }
      }
    }
    for (Future<?> future : submitted) {
      future.get();
    }
    submitters.shutdownNow();

    List<JsonNode> feed = feedAfter(start);
    assertThat(connections).isGreaterThan(3);
    assertThat(received).doesNotHaveDuplicates().isSorted();
    assertThat(received)
        .containsExactlyElementsOf(feed.stream().map(e -> e.path("sequence").asLong()).toList());
    // Every frame's data is the same JSON as the list's item.
    for (JsonNode item : feed) {
      assertThat(data.get(item.path("sequence").asLong())).isEqualTo(item);
    }
    assertThat(feed)
        .extracting(e -> e.path("kind").asText())
        .contains("SUBMITTED", "STEP_RESULT", "RUN_COMPLETED");
  }

  @Test
  void aTicketOpensTheStreamOnlyAndFiltersAndHeartbeatsApply() throws Exception {
    ApiResponse issued = expect(admin.post("/api/v1/events/stream-tickets", ""), 201);
    String ticket = issued.json().path("ticket").asText();
    assertThat(ticket).hasSizeGreaterThan(40);
    assertThat(issued.json().path("expiresAt").asText()).isNotBlank();
    String runId = submitExpense(admin);
    awaitKind(runId, "RUN_COMPLETED");

    // No Authorization header: the ticket authenticates, here and only here.
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(
                    uri(
                        "/api/v1/events/stream?after=0&kind=SUBMITTED,RUN_COMPLETED&runId="
                            + runId
                            + "&ticket="
                            + ticket))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    try (SseReader reader = new SseReader(response.body())) {
      assertThat(reader.next().event()).isEqualTo("SUBMITTED");
      assertThat(reader.next().event()).isEqualTo("RUN_COMPLETED");
      // Nothing else matches: heartbeats follow (one a second here).
      long waited = System.nanoTime();
      reader.awaitHeartbeats(2);
      assertThat(Duration.ofNanos(System.nanoTime() - waited)).isLessThan(Duration.ofSeconds(10));
    }
    ApiResponse elsewhere = server.anonymousClient().get("/api/v1/events?ticket=" + ticket);
    assertThat(elsewhere.status()).isEqualTo(401);
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/events/stream?ticket=forged" + ticket)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("stream-tickets");
    ApiResponse badResume =
        admin.send("GET", "/api/v1/events/stream", Optional.empty(), Map.of("Last-Event-ID", "x"));
    assertThat(badResume.status()).isEqualTo(400);
    assertThat(badResume.body()).contains("Last-Event-ID");
  }

  @Test
  void aClientThatDoesNotReadIsClosedWithAReasonAndStreamsAreBounded() throws Exception {
    String runId = submitExpense(admin);
    awaitKind(runId, "RUN_COMPLETED");
    long start = lastSequence(0);
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(2048);
      URI base = uri("/");
      slow.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
      OutputStream out = slow.getOutputStream();
      out.write(
          ("GET /api/v1/events/stream?after="
                  + start
                  + " HTTP/1.1\r\nHost: localhost\r\n"
                  + "Authorization: Bearer "
                  + server.token("admin")
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Large MANUAL events: far more than the stream's 4 KiB bound and the socket buffers.
      String big = "x".repeat(200_000);
      for (int i = 0; i < 30; i++) {
        expect(
            admin.post(
                "/api/v1/runs/" + runId + "/events",
                "{\"payload\": {\"n\": " + i + ", \"big\": \"" + big + "\"}}"),
            202);
      }
      // The stream gives up on the client after a heartbeat interval (1 s) of no reading.
      Thread.sleep(4000);
      // The slot is free again: MAX_STREAMS streams can be opened, the next one is refused.
      List<HttpResponse<InputStream>> held = new ArrayList<>();
      try {
        for (int i = 0; i < MAX_STREAMS; i++) {
          HttpResponse<InputStream> response =
              http.send(
                  streamRequest("/api/v1/events/stream"),
                  HttpResponse.BodyHandlers.ofInputStream());
          assertThat(response.statusCode()).isEqualTo(200);
          held.add(response);
        }
        HttpResponse<String> refused =
            http.send(streamRequest("/api/v1/events/stream"), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("maxStreams");
      } finally {
        for (HttpResponse<InputStream> response : held) {
          response.body().close();
        }
      }
      // What the slow client finally reads ends with the reason, then the connection closes.
      slow.setSoTimeout(15_000);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = slow.getInputStream();
      byte[] buffer = new byte[65536];
      int n;
      try {
        while ((n = in.read(buffer)) >= 0) {
          all.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server did not close the slow client's connection", e);
      }
      String text = all.toString(StandardCharsets.UTF_8);
      assertThat(text).contains("event: closed").contains("SLOW_CONSUMER");
      // Only a prefix of the 30 events was written: the stream stopped writing at its bound.
      assertThat(text.split("event: MANUAL", -1).length - 1).isLessThan(30);
    }
  }

  @Test
  void aKindFilterReadsPastWindowsThatHoldNothingOfTheKind() throws Exception {
    long start = lastSequence(0);
    long filler = EventService.SCAN_WINDOW + 2_000;
    insertFillerEvents(filler);
    String runId = submitExpense(admin);
    awaitKind(runId, "RUN_COMPLETED");

    // The list: the first window holds filler only, so the page is empty, not the end, and moves
    // on.
    JsonNode first =
        expect(admin.get("/api/v1/events?kind=RUN_COMPLETED&after=" + start), 200).json();
    assertThat(first.path("items")).isEmpty();
    assertThat(first.path("atEnd").asBoolean()).isFalse();
    assertThat(first.path("lastSequence").asLong()).isEqualTo(start + EventService.SCAN_WINDOW);
    JsonNode second =
        expect(
                admin.get("/api/v1/events?kind=RUN_COMPLETED&after=" + first.path("lastSequence")),
                200)
            .json();
    assertThat(second.path("items").findValuesAsText("runId")).containsExactly(runId);
    assertThat(second.path("atEnd").asBoolean()).isTrue();

    // The stream from the same position goes on past the empty window to the run's event.
    ExecutorService reading = Executors.newSingleThreadExecutor();
    try (SseReader reader =
        open("/api/v1/events/stream?kind=RUN_COMPLETED&after=" + start, Optional.empty())) {
      SseReader.Frame frame = reading.submit(reader::next).get(30, TimeUnit.SECONDS);
      assertThat(frame.event()).isEqualTo("RUN_COMPLETED");
      assertThat(JSON.readTree(frame.data()).path("runId").asText()).isEqualTo(runId);
      assertThat(Long.parseLong(frame.id())).isGreaterThan(start + filler);
    } finally {
      reading.shutdownNow();
    }
  }

  /**
   * {@code count} numbered MANUAL events of a run that does not exist, written by SQL as the
   * sequencer would number them: more than a window of events of another kind.
   */
  private void insertFillerEvents(long count) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate(
            "INSERT INTO events (event_id, sequence, kind, run_id, payload, published_at)"
                + " SELECT 'filler-' || X, (SELECT last_sequence FROM event_sequencer WHERE id ="
                + " 1) + X, 'MANUAL', 'filler-run', JSON '{}', CURRENT_TIMESTAMP"
                + " FROM SYSTEM_RANGE(1, "
                + count
                + ")");
        statement.executeUpdate(
            "UPDATE event_sequencer SET last_sequence = last_sequence + "
                + count
                + " WHERE id = 1");
      }
      connection.commit();
    }
  }

  private HttpRequest streamRequest(String path) {
    return HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + server.token("admin"))
        .build();
  }

  /**
   * Reconnects as an SSE client does: the server frees a dropped stream's slot when it notices the
   * closed connection, a moment after the client closed it, so with a bound of {@value
   * #MAX_STREAMS} a quick reconnect may meet 429 and tries again shortly (within 10 s).
   */
  private SseReader reconnect(Optional<Long> lastEventId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri("/api/v1/events/stream"))
              .header("Authorization", "Bearer " + server.token("admin"));
      lastEventId.ifPresent(id -> request.header("Last-Event-ID", Long.toString(id)));
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() == 429 && System.nanoTime() < deadline) {
        response.body().close();
        Thread.sleep(50);
        continue;
      }
      assertThat(response.statusCode()).isEqualTo(200);
      return new SseReader(response.body());
    }
  }

  private SseReader open(String path, Optional<Long> lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + server.token("admin"));
    lastEventId.ifPresent(id -> request.header("Last-Event-ID", Long.toString(id)));
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return new SseReader(response.body());
  }

  private URI uri(String path) {
    return server.server().baseUri().resolve(path);
  }

  /** Every submission made and ended, and every event up to the feed's end received. */
  private boolean caughtUp(List<Future<?>> submitted, long lastEventId) {
    return submitted.stream().allMatch(Future::isDone)
        && allRunsEnded()
        && lastEventId >= lastSequence(lastEventId);
  }

  private boolean allRunsEnded() {
    return expect(admin.get("/api/v1/submissions?status=IN_PROGRESS"), 200)
        .json()
        .path("items")
        .isEmpty();
  }

  private long lastSequence(long from) {
    long last = from;
    while (true) {
      JsonNode page = expect(admin.get("/api/v1/events?limit=1000&after=" + last), 200).json();
      if (page.path("items").isEmpty()) {
        return last;
      }
      last = page.path("lastSequence").asLong();
    }
  }

  private List<JsonNode> feedAfter(long start) {
    List<JsonNode> feed = new ArrayList<>();
    long after = start;
    while (true) {
      JsonNode page = expect(admin.get("/api/v1/events?limit=1000&after=" + after), 200).json();
      if (page.path("items").isEmpty()) {
        return feed;
      }
      page.path("items").forEach(feed::add);
      after = page.path("lastSequence").asLong();
    }
  }

  private void awaitKind(String runId, String kind) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonNode page = expect(admin.get("/api/v1/events?limit=1000&runId=" + runId), 200).json();
      if (page.path("items").findValuesAsText("kind").contains(kind)) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no " + kind + " event for run " + runId);
  }
}
