package io.orchestrion.server.crash;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;

/**
 * Load over several server nodes through HTTP, shared by the cluster tests ({@link
 * ClusterPostgresIT}, {@link MixedVersionPostgresIT}): client threads spread their requests
 * round-robin over the nodes that are up; each creates an expense and submits it on one node (with
 * an {@code Idempotency-Key}, so that a submission whose node died is sent again to another one
 * safely), publishes the flow event its asynchronous step waits for on the next node, and approves
 * its work item on the next. Afterwards {@link #check} verifies that every acknowledged submission
 * exists and is APPROVED, that each asynchronous step has exactly one STEP_RESULT event, that the
 * event feed has no holes, and that no client got a 5xx or waited into a timeout.
 */
final class ClusterLoad {
  static final String JWT_SECRET = "a-cluster-test-secret-of-32-characters!";

  private static final Duration STEP_DEADLINE = Duration.ofSeconds(45);
  private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);

  /** Score_Risk's Wait waits for an event keyed by the expense, instead of its zero duration. */
  private static final String WAIT_FOR_GO =
      "\"events\": [{\"name\": \"Go\", \"event\": \"cluster.go\","
          + " \"correlationKey\": {\"ref\": \"recordId\"}, \"next\": \"Score\"}]";

  private static final String ORCHESTRATION =
      """
      {"apiName": "Cluster_Approval", "objectType": "Expense", "allowSubmitterApproval": true,
       "stages": [
         {"name": "Intake", "steps": [
           {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
            "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": {"type": "STAGE_STARTS"}},
           {"name": "Score", "kind": "BACKGROUND", "flow": "Score_Risk",
            "inputs": {"recordId": {"ref": "$Record.Id"}},
            "start": {"type": "STEP_COMPLETED", "step": "Mark"}}]},
         {"name": "Review", "steps": [
           {"name": "Approve", "kind": "APPROVAL",
            "assignee": {"type": "USER", "userId": "admin"},
            "start": {"type": "STAGE_STARTS"}}]}]}""";

  private final int nodes;
  private final int submissionCount;
  private final HttpOutcomes outcomes = new HttpOutcomes();
  private final AtomicReferenceArray<ApiClient> live;
  private final AtomicInteger roundRobin = new AtomicInteger();

  /** Acknowledged submissions: id → run id. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

  /** Acknowledged submissions: id → the Idempotency-Key and request body they were sent with. */
  private final Map<String, String[]> requests = new ConcurrentHashMap<>();

  private final List<String> abandoned = new CopyOnWriteArrayList<>();

  // The clients start pipelines below this ticket only (see allow); guarded by gate.
  private final Object gate = new Object();
  private int allowed;

  ClusterLoad(int nodes, int submissionCount) {
    this.nodes = nodes;
    this.submissionCount = submissionCount;
    this.live = new AtomicReferenceArray<>(nodes);
    this.allowed = submissionCount;
  }

  /**
   * Lets the clients start the pipelines of tickets below {@code tickets} only (all of them unless
   * told otherwise), so that a test can spread the load over the phases of its scenario.
   */
  void allow(int tickets) {
    synchronized (gate) {
      allowed = tickets;
      gate.notifyAll();
    }
  }

  private void awaitAllowed(int ticket) throws InterruptedException {
    synchronized (gate) {
      while (ticket >= allowed) {
        gate.wait();
      }
    }
  }

  /** Node {@code index} serves at {@code api}, or is down ({@code null}). */
  void live(int index, ApiClient api) {
    live.set(index, api);
  }

  ApiClient live(int index) {
    return live.get(index);
  }

  HttpOutcomes outcomes() {
    return outcomes;
  }

  /** Starts {@code clients} threads that run the pipelines until every submission was tried. */
  List<Thread> startClients(int clients) {
    List<Thread> threads = new ArrayList<>();
    AtomicInteger tickets = new AtomicInteger();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Thread.ofPlatform()
              .name("cluster-client-" + c)
              .start(
                  () -> {
                    try {
                      for (int t = tickets.getAndIncrement();
                          t < submissionCount;
                          t = tickets.getAndIncrement()) {
                        awaitAllowed(t);
                        oneSubmission(t);
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    return threads;
  }

  /** Waits for the clients to finish (at most 120 s each). */
  void joinClients(List<Thread> clients) throws InterruptedException {
    for (Thread client : clients) {
      client.join(Duration.ofSeconds(120));
      assertThat(client.isAlive()).as("client still busy after 120 s; " + outcomes).isFalse();
    }
  }

  /** Every check of the load's outcome, on the submissions, feed and runs read afterwards. */
  void check(
      SoftAssertions softly,
      List<JsonNode> submissions,
      List<JsonNode> events,
      Collection<JsonNode> runs) {
    checkAcknowledgementsKept(softly, submissions);
    checkKeysAcrossNodes(softly);
    CrashContract.checkFeed(softly, events);
    CrashContract.checkOneResultPerAsyncAttempt(softly, runs, events);
    softly.assertThat(abandoned).as("client pipelines given up").isEmpty();
    softly.assertThat(outcomes.serverErrors()).as("5xx answers; " + outcomes).isZero();
    softly.assertThat(outcomes.timeouts()).as("timed out; " + outcomes).isZero();
    softly.assertThat(outcomes.unexpected()).as("other non-2xx; " + outcomes).isZero();
  }

  /** The runs of {@code submissions}, by run id, as {@code api} shows them. */
  Map<String, JsonNode> runs(ApiClient api, List<JsonNode> submissions) {
    Map<String, JsonNode> runs = new HashMap<>();
    for (JsonNode submission : submissions) {
      String runId = submission.path("runId").asText();
      runs.put(runId, get(api, "/api/v1/runs/" + runId).json());
    }
    return runs;
  }

  /** One pipeline: submit, publish the event its async step waits for, approve its work item. */
  private void oneSubmission(int ticket) {
    long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
    String key = "cluster-" + ticket + "-" + System.nanoTime();
    Optional<String> recordId =
        onSomeNode(
            deadline,
            api -> {
              ApiResponse record =
                  outcomes.record(
                      "POST /api/v1/records/Expense",
                      api.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)));
              return record.status() == 201
                  ? Optional.of(record.json().path("id").asText())
                  : Optional.empty();
            });
    if (recordId.isEmpty()) {
      abandoned.add(ticket + ": no record");
      return;
    }
    String body =
        "{\"objectType\": \"Expense\", \"recordId\": \""
            + recordId.get()
            + "\", \"orchestration\": \"Cluster_Approval\"}";
    Optional<JsonNode> submission =
        onSomeNode(
            deadline,
            api -> {
              ApiResponse submitted =
                  outcomes.record(
                      "POST /api/v1/submissions",
                      api.send(
                          "POST",
                          "/api/v1/submissions",
                          Optional.of(body),
                          Map.of("Idempotency-Key", key)));
              return submitted.status() == 201 || submitted.status() == 200
                  ? Optional.of(submitted.json())
                  : Optional.empty();
            });
    if (submission.isEmpty()) {
      abandoned.add(ticket + ": not submitted");
      return;
    }
    String runId = submission.get().path("runId").asText();
    acknowledged.put(submission.get().path("id").asText(), runId);
    requests.put(submission.get().path("id").asText(), new String[] {key, body});
    String event =
        "{\"name\": \"cluster.go\", \"correlationKey\": \""
            + recordId.get()
            + "\", \"payload\": {}}";
    // The event is not kept for an interview that starts waiting later: publish until it resumed
    // one, or the step is past its Wait (an earlier answer was lost with its node).
    Optional<Boolean> released =
        onSomeNode(
            deadline,
            api -> {
              ApiResponse published =
                  outcomes.record(
                      "POST /api/v1/flow-events", api.post("/api/v1/flow-events", event));
              if (published.json().path("resumed").asInt() > 0) {
                return Optional.of(true);
              }
              JsonNode run = get(api, "/api/v1/runs/" + runId).json();
              String score = run.at("/stages/0/steps/1/status").asText();
              return score.equals("COMPLETED") || score.equals("ERROR")
                  ? Optional.of(true)
                  : Optional.empty();
            });
    if (released.isEmpty()) {
      abandoned.add(ticket + ": event not delivered to run " + runId);
      return;
    }
    Optional<String> item =
        onSomeNode(
            deadline,
            api -> {
              JsonNode items = get(api, "/api/v1/runs/" + runId + "/work-items").json();
              return items.path("items").isEmpty()
                  ? Optional.empty()
                  : Optional.of(items.path("items").get(0).path("id").asText());
            });
    if (item.isEmpty()) {
      abandoned.add(ticket + ": no work item for run " + runId);
      return;
    }
    Optional<Boolean> decided =
        onSomeNode(
            deadline,
            api -> {
              ApiResponse decision =
                  api.post(
                      "/api/v1/work-items/" + item.get() + "/decision",
                      "{\"decision\": \"APPROVE\"}");
              // 409: an earlier attempt whose answer was lost with its node decided it already.
              if (decision.status() == 409) {
                return Optional.of(true);
              }
              outcomes.record("POST /api/v1/work-items/{id}/decision", decision);
              return decision.status() == 200 ? Optional.of(true) : Optional.empty();
            });
    if (decided.isEmpty()) {
      abandoned.add(ticket + ": work item " + item.get() + " not decided");
    }
  }

  /**
   * Tries {@code attempt} on the next live node (round-robin) until it gives a value or the
   * deadline passes; a node that dies under the request counts as a lost connection, and the next
   * live node is tried.
   */
  private <T> Optional<T> onSomeNode(long deadline, Function<ApiClient, Optional<T>> attempt) {
    while (System.nanoTime() < deadline) {
      ApiClient api = null;
      for (int i = 0; i < nodes && api == null; i++) {
        api = live.get(Math.floorMod(roundRobin.getAndIncrement(), nodes));
      }
      if (api == null) {
        pause(20);
        continue;
      }
      try {
        Optional<T> value = attempt.apply(api);
        if (value.isPresent()) {
          return value;
        }
        pause(10);
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof HttpTimeoutException) {
          outcomes.timedOut(e.getMessage());
        } else {
          outcomes.lostConnection();
        }
      }
    }
    return Optional.empty();
  }

  void awaitAcknowledged(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acknowledged.size() < count) {
      assertThat(System.nanoTime()).as("acknowledgements: %s", outcomes).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  List<JsonNode> awaitRunsFinished(ApiClient api) throws InterruptedException {
    long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
    while (true) {
      List<JsonNode> submissions = listSubmissions(api);
      boolean open =
          submissions.stream()
              .anyMatch(submission -> submission.path("status").asText().equals("IN_PROGRESS"));
      if (!open || System.nanoTime() > deadline) {
        return submissions;
      }
      Thread.sleep(200);
    }
  }

  private void checkAcknowledgementsKept(SoftAssertions softly, List<JsonNode> submissions) {
    Map<String, JsonNode> byId = new HashMap<>();
    submissions.forEach(submission -> byId.put(submission.path("id").asText(), submission));
    List<String> problems = new ArrayList<>();
    acknowledged.forEach(
        (id, runId) -> {
          JsonNode stored = byId.get(id);
          if (stored == null || !stored.path("runId").asText().equals(runId)) {
            problems.add(id + " is missing or has another run: " + stored);
          } else if (!stored.path("status").asText().equals("APPROVED")) {
            problems.add(id + " is " + stored.path("status").asText());
          }
        });
    softly.assertThat(problems).as("acknowledged submissions not APPROVED").isEmpty();
    softly.assertThat(acknowledged).as("acknowledged submissions").hasSize(submissionCount);
    softly.assertThat(submissions).as("submissions in the database").hasSize(submissionCount);
  }

  /**
   * An Idempotency-Key is the cluster's, not a node's: sending an acknowledged submission again,
   * with its key, to each node answers with the same submission and creates nothing.
   */
  private void checkKeysAcrossNodes(SoftAssertions softly) {
    List<String> problems = new ArrayList<>();
    requests.entrySet().stream()
        .limit(5)
        .forEach(
            entry -> {
              for (int i = 0; i < nodes; i++) {
                ApiResponse again =
                    outcomes.record(
                        "POST /api/v1/submissions (again)",
                        live.get(i)
                            .send(
                                "POST",
                                "/api/v1/submissions",
                                Optional.of(entry.getValue()[1]),
                                Map.of("Idempotency-Key", entry.getValue()[0])));
                if (again.status() / 100 != 2
                    || !again.json().path("id").asText().equals(entry.getKey())) {
                  problems.add("node " + i + " answered " + again + " for " + entry.getKey());
                }
              }
            });
    softly.assertThat(problems).as("submissions sent again with their key").isEmpty();
    softly
        .assertThat(listSubmissions(live.get(0)))
        .as("submissions after sending some again with their keys")
        .hasSize(submissionCount);
  }

  private List<JsonNode> listSubmissions(ApiClient api) {
    List<JsonNode> submissions = new ArrayList<>();
    String path = "/api/v1/submissions?limit=500";
    while (true) {
      JsonNode page = get(api, path).json();
      page.path("items").forEach(submissions::add);
      if (!page.hasNonNull("nextCursor")) {
        return submissions;
      }
      path =
          "/api/v1/submissions?limit=500&cursor="
              + URLEncoder.encode(page.path("nextCursor").asText(), StandardCharsets.UTF_8);
    }
  }

  List<JsonNode> readFeed(ApiClient api) {
    List<JsonNode> events = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = get(api, "/api/v1/events?limit=1000&after=" + after).json();
      if (page.path("items").isEmpty()) {
        return events;
      }
      page.path("items").forEach(events::add);
      after = page.path("lastSequence").asLong();
    }
  }

  private ApiResponse get(ApiClient api, String path) {
    ApiResponse response = outcomes.record("GET " + path, api.get(path));
    assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
    return response;
  }

  static void deploy(ApiClient api) {
    expect(api.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expect(api.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)), 201);
    String scoreRisk = Fixtures.demo(Fixtures.SCORE_RISK);
    String waiting = scoreRisk.replace("\"duration\": \"PT0S\"", WAIT_FOR_GO);
    assertThat(waiting).as("Score_Risk's Wait").isNotEqualTo(scoreRisk);
    expect(api.post("/api/v1/flows?activate=true", waiting), 201);
    expect(api.post("/api/v1/orchestrations?activate=true", ORCHESTRATION), 201);
  }

  static String adminToken() {
    Vertx vertx = Vertx.vertx();
    try {
      return new JwtTokens(vertx, JwtKeys.hs256(JWT_SECRET))
          .mint(EngineActors.ADMIN, Instant.now(), Duration.ofHours(2));
    } finally {
      vertx.close();
    }
  }

  /**
   * Samples, until interrupted, which nodes hold job leases (the jobs are deleted when done, so
   * their owners are seen only while they run): the load is shared when every node shows up.
   */
  static void sampleLeaseOwners(TestDatabase database, Map<String, Long> owners) {
    while (!Thread.currentThread().isInterrupted()) {
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT lease_owner, COUNT(*) FROM jobs WHERE lease_owner IS NOT NULL"
                      + " GROUP BY lease_owner")) {
        while (rs.next()) {
          owners.merge(rs.getString(1), rs.getLong(2), Long::sum);
        }
        connection.rollback();
        Thread.sleep(10);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
