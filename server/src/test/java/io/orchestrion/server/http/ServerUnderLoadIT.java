package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.SlowDataSource;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real server under load (issue 8, sections 2 and 6): requests are served concurrently, {@code
 * /health} never waits behind API work, a full pool sheds load with 429, and CPU-bound synchronous
 * flows end at the request's time budget while the health probes keep answering. Latencies are
 * logged; the bounds asserted are generous, for a loaded two-core machine.
 */
class ServerUnderLoadIT {
  private static final Logger LOG = LoggerFactory.getLogger(ServerUnderLoadIT.class);
  private static final Duration STATEMENT_DELAY = Duration.ofMillis(100);

  private final ExecutorService clients = Executors.newFixedThreadPool(12);
  private final SlowDataSource database = new SlowDataSource();
  private TestServer server;

  @AfterEach
  void stop() {
    clients.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void concurrentRequestsOnASlowDatabaseFinishInAboutOneRequestsTime() throws Exception {
    server = TestServer.startH2(config -> config, database::wrap);
    database.delay(STATEMENT_DELAY);
    ApiClient admin = server.client();
    ApiClient anonymous = server.anonymousClient();
    expectStatus(admin.get("/api/v1/submissions"), 200);
    expectStatus(anonymous.get("/health"), 200);
    long single =
        Math.min(
            millis(() -> admin.get("/api/v1/submissions")),
            millis(() -> admin.get("/api/v1/submissions")));

    CountDownLatch go = new CountDownLatch(1);
    long started = System.nanoTime();
    List<Future<ApiResponse>> requests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      requests.add(
          clients.submit(
              () -> {
                go.await();
                return admin.get("/api/v1/submissions");
              }));
    }
    go.countDown();
    // While the eight requests wait on the database, the health check answers at once.
    Thread.sleep(STATEMENT_DELAY.toMillis());
    long health = millis(() -> expectStatus(anonymous.get("/health"), 200));
    boolean stillInFlight = requests.stream().anyMatch(request -> !request.isDone());
    for (Future<ApiResponse> request : requests) {
      expectStatus(request.get(), 200);
    }
    long concurrent = (System.nanoTime() - started) / 1_000_000;

    LOG.info(
        "One request {} ms; eight concurrent requests {} ms; /health during them {} ms",
        single,
        concurrent,
        health);
    // One at a time, eight requests take eight times as long; together about one request's time.
    assertThat(concurrent).isLessThan(4 * single);
    assertThat(stillInFlight).as("the API requests were in flight during the probe").isTrue();
    // It did not wait behind them (it answered while they were still in flight), and it was quick
    // by a bound that holds on a loaded machine.
    assertThat(health).isLessThan(1_000);
  }

  @Test
  void readinessNamesItsChecksAndLivenessNeedsNoToken() {
    server = TestServer.startH2(config -> config, dataSource -> dataSource);
    ApiClient anonymous = server.anonymousClient();

    assertThat(expectStatus(anonymous.get("/health/live"), 200).json().path("status").asText())
        .isEqualTo("UP");
    JsonNode ready = expectStatus(anonymous.get("/health/ready"), 200).json();
    assertThat(ready.path("status").asText()).isEqualTo("UP");
    assertThat(ready.path("checks").findValuesAsText("name"))
        .containsExactly("migrations", "workers", "database");
    assertThat(ready.path("checks").findValuesAsText("status")).containsOnly("UP");

    // Workers stopped: the node is alive but not ready, and says why.
    server.server().engine().close();
    ApiResponse down = anonymous.get("/health/ready");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().path("status").asText()).isEqualTo("DOWN");
    assertThat(down.body()).contains("\"name\":\"workers\",\"status\":\"DOWN\"");
    expectStatus(anonymous.get("/health/live"), 200);
  }

  @Test
  void aFullEvaluationPoolShedsRequestsWith429AndRetryAfter() throws Exception {
    server = startWithOneEvaluationThreadAndNoQueue();
    ApiClient admin = server.client();
    expectStatus(
        admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    database.delay(STATEMENT_DELAY);

    List<ApiResponse> responses =
        together(
            6,
            () ->
                admin.post(
                    "/api/v1/records/Expense",
                    "{\"Title\": \"Taxi\", \"Amount\": 12.50, \"Status\": \"Draft\"}"));

    List<Integer> statuses = responses.stream().map(ApiResponse::status).toList();
    LOG.info("Six record creations on one evaluation thread without queue: {}", statuses);
    assertThat(statuses).contains(201, 429).containsOnly(201, 429);
    ApiResponse shed =
        responses.stream().filter(response -> response.status() == 429).findFirst().orElseThrow();
    assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(shed.contentType()).isEqualTo(ProblemDocument.CONTENT_TYPE);
    assertThat(shed.json().path("code").asText()).isEqualTo("SERVER_BUSY");
    assertThat(shed.json().path("detail").asText())
        .contains("evaluationThreads", "evaluationQueue");
    // Reads do not queue behind evaluations: they have a pool of their own.
    expectStatus(admin.get("/api/v1/object-types/Expense"), 200);
  }

  @Test
  void aClientThatWaitsForEachAnswerIsNeverShedByAFullEvaluationPool() {
    server = startWithOneEvaluationThreadAndNoQueue();
    ApiClient admin = server.client();
    expectStatus(
        admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);

    // One request at a time: each finds the only evaluation thread's slot free again, since the
    // slot is given back before the answer leaves (not after the thread has written it).
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      statuses.add(
          admin
              .post(
                  "/api/v1/records/Expense",
                  "{\"Title\": \"Taxi\", \"Amount\": 12.50, \"Status\": \"Draft\"}")
              .status());
    }

    assertThat(statuses).containsOnly(201);
  }

  @Test
  void submissionsWithoutAKeyWaitForAGroupWhileKeyedOnesNeedTheEvaluationPool() throws Exception {
    server = startWithOneEvaluationThreadAndNoQueue();
    // The engine runs as many command groups at once as the server has evaluation threads.
    assertThat(server.server().engine().config().commandGroupsAtOnce()).isEqualTo(1);
    ApiClient admin = server.client();
    server.createUser(User.of("dora", "Dora Approver"));
    deploySingleApproval(admin);
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      records.add(createExpense(admin));
    }
    database.delay(Duration.ofMillis(20));
    AtomicInteger next = new AtomicInteger();

    // Without a key: the requests stay on their request threads and the engine runs them in at
    // most evaluationThreads (1) groups at once; none is shed by the full evaluation pool.
    List<ApiResponse> grouped =
        together(
            6,
            () ->
                admin.post("/api/v1/submissions", submission(records.get(next.getAndIncrement()))));
    // With a key: each runs alone, on the evaluation pool, which takes one at a time.
    List<ApiResponse> keyed =
        together(
            6,
            () -> {
              int index = next.getAndIncrement();
              return admin.send(
                  "POST",
                  "/api/v1/submissions",
                  Optional.of(submission(records.get(index))),
                  Map.of("Idempotency-Key", "load-" + index));
            });

    List<Integer> groupedStatuses = grouped.stream().map(ApiResponse::status).toList();
    List<Integer> keyedStatuses = keyed.stream().map(ApiResponse::status).toList();
    LOG.info(
        "Six submissions on one evaluation thread without queue: {} without a key, {} with one",
        groupedStatuses,
        keyedStatuses);
    assertThat(groupedStatuses).containsOnly(201);
    assertThat(keyedStatuses).contains(201, 429).containsOnly(201, 429);
  }

  @Test
  void cpuBoundSynchronousFlowsEndAtTheTimeBudgetWhileHealthKeepsAnswering() throws Exception {
    Duration budget = Duration.ofSeconds(1);
    server =
        TestServer.startH2(
            config ->
                config.withRequestLimits(
                    RequestLimits.defaults()
                        .withEvaluationPool(2, 4)
                        .withSynchronousTimeBudget(budget)),
            dataSource -> dataSource);
    ApiClient admin = server.client();
    ApiClient anonymous = server.anonymousClient();
    expectStatus(
        admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expectStatus(admin.post("/api/v1/flows?activate=true", SPIN_FLOW), 201);
    expectStatus(admin.post("/api/v1/orchestrations?activate=true", SPIN_ORCHESTRATION), 201);
    List<String> recordIds = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      recordIds.add(
          expectStatus(
                  admin.post(
                      "/api/v1/records/Expense",
                      "{\"Title\": \"Spin\", \"Amount\": 1, \"Status\": \"Draft\"}"),
                  201)
              .json()
              .path("id")
              .asText());
    }

    AtomicBoolean submitting = new AtomicBoolean(true);
    List<Long> probes = Collections.synchronizedList(new ArrayList<>());
    Future<?> prober =
        clients.submit(
            () -> {
              while (submitting.get()) {
                probes.add(millis(() -> expectStatus(anonymous.get("/health"), 200)));
                Thread.sleep(20);
              }
              return null;
            });
    long started = System.nanoTime();
    List<Future<ApiResponse>> submissions = new ArrayList<>();
    for (String recordId : recordIds) {
      submissions.add(
          clients.submit(
              () ->
                  admin.post(
                      "/api/v1/submissions",
                      "{\"objectType\": \"Expense\", \"recordId\": \""
                          + recordId
                          + "\", \"orchestration\": \"Spin_Approval\"}")));
    }
    List<JsonNode> submitted = new ArrayList<>();
    for (Future<ApiResponse> submission : submissions) {
      submitted.add(expectStatus(submission.get(), 201).json());
    }
    long elapsed = (System.nanoTime() - started) / 1_000_000;
    submitting.set(false);
    prober.get();

    List<Long> sorted = probes.stream().sorted().toList();
    LOG.info(
        "Two CPU-bound submits took {} ms; {} /health probes meanwhile: median {} ms, p99 {} ms,"
            + " max {} ms",
        elapsed,
        sorted.size(),
        sorted.get(sorted.size() / 2),
        sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
        sorted.getLast());
    assertThat(sorted).isNotEmpty().allSatisfy(probe -> assertThat(probe).isLessThan(1_000));
    // The budget plus the interpreter's check interval, with room for a slow machine.
    assertThat(elapsed).isLessThan(15_000);
    for (JsonNode submission : submitted) {
      JsonNode run =
          expectStatus(admin.get("/api/v1/runs/" + submission.path("runId").asText()), 200).json();
      JsonNode step = run.findValue("steps").get(0);
      assertThat(step.path("status").asText()).as(run.toString()).isEqualTo("ERROR");
      assertThat(step.path("error").asText())
          .as(run.toString())
          .contains("synchronousTimeBudget of PT1S");
    }
  }

  @Test
  void concurrentDecisionsOnOneWorkItemOnASlowDatabaseLetExactlyOneWin() throws Exception {
    server = TestServer.startH2(config -> config, database::wrap);
    ApiClient admin = server.client();
    // The submitter may not decide (separation of duties): dora approves.
    server.createUser(User.of("dora", "Dora Approver"));
    ApiClient dora = server.clientAs("dora");
    deploySingleApproval(admin);
    String recordId = createExpense(admin);
    String runId =
        expectStatus(admin.post("/api/v1/submissions", submission(recordId)), 201)
            .json()
            .path("runId")
            .asText();
    JsonNode items = expectStatus(admin.get("/api/v1/runs/" + runId + "/work-items"), 200).json();
    String decision =
        "/api/v1/work-items/" + items.path("items").get(0).path("id").asText() + "/decision";
    database.delay(STATEMENT_DELAY);

    List<ApiResponse> responses =
        together(4, () -> dora.post(decision, "{\"decision\": \"APPROVE\"}"));

    List<Integer> statuses = responses.stream().map(ApiResponse::status).toList();
    LOG.info("Four concurrent decisions on one work item: {}", statuses);
    assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409, 409);
    assertThat(responses)
        .filteredOn(response -> response.status() == 409)
        .allSatisfy(
            response ->
                assertThat(response.json().path("detail").asText())
                    .contains("already APPROVED by 'dora'"));
  }

  // ---- helpers ----

  private TestServer startWithOneEvaluationThreadAndNoQueue() {
    return TestServer.startH2(
        config -> config.withRequestLimits(RequestLimits.defaults().withEvaluationPool(1, 0)),
        database::wrap);
  }

  /** The Expense type and an orchestration of one approval step that dora decides. */
  private static void deploySingleApproval(ApiClient admin) {
    expectStatus(
        admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expectStatus(
        admin.post(
            "/api/v1/orchestrations?activate=true",
            """
            {"apiName": "Single_Approval", "objectType": "Expense",
             "stages": [{"name": "Review", "steps": [
               {"name": "Approve", "kind": "APPROVAL",
                "assignee": {"type": "USER", "userId": "dora"}}]}]}
            """),
        201);
  }

  private static String createExpense(ApiClient admin) {
    return expectStatus(
            admin.post(
                "/api/v1/records/Expense",
                "{\"Title\": \"Hotel\", \"Amount\": 300, \"Status\": \"Draft\"}"),
            201)
        .json()
        .path("id")
        .asText();
  }

  private static String submission(String recordId) {
    return "{\"objectType\": \"Expense\", \"recordId\": \""
        + recordId
        + "\", \"orchestration\": \"Single_Approval\"}";
  }

  /**
   * A synchronous flow that burns CPU: 4,990 loop iterations each evaluating a formula of 400
   * comprehension steps (seconds of work, within the executed-element limit).
   */
  private static final String SPIN_FLOW =
      """
      {"apiName": "Spin", "type": "AUTOLAUNCHED",
       "variables": [
         {"name": "recordId", "type": "TEXT", "input": true},
         {"name": "items", "type": "NUMBER", "collection": true, "default": %s},
         {"name": "item", "type": "NUMBER"},
         {"name": "ok", "type": "BOOLEAN"}],
       "formulas": [{"name": "heavy", "type": "BOOLEAN",
         "expression": "%s.all(x, %s.all(y, x + y >= 0))"}],
       "start": "Each",
       "elements": [
         {"type": "Loop", "name": "Each", "collection": "items", "item": "item", "each": "Work"},
         {"type": "Assignment", "name": "Work", "next": "Each", "assignments": [
           {"target": "ok", "operator": "SET", "value": {"formula": "heavy"}}]}]}
      """
          .formatted(numbers(4_990), numbers(40), numbers(40));

  private static final String SPIN_ORCHESTRATION =
      """
      {"apiName": "Spin_Approval", "objectType": "Expense",
       "stages": [{"name": "Only", "steps": [
         {"name": "Spin", "kind": "BACKGROUND", "flow": "Spin",
          "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
      """;

  private static String numbers(int count) {
    return IntStream.range(0, count)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }

  private List<ApiResponse> together(int count, Callable<ApiResponse> request) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ApiResponse>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(
          clients.submit(
              () -> {
                go.await();
                return request.call();
              }));
    }
    go.countDown();
    List<ApiResponse> responses = new ArrayList<>();
    for (Future<ApiResponse> future : futures) {
      responses.add(future.get());
    }
    return responses;
  }

  private static ApiResponse expectStatus(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response;
  }

  private static long millis(Callable<?> call) throws Exception {
    long started = System.nanoTime();
    call.call();
    return (System.nanoTime() - started) / 1_000_000;
  }
}
