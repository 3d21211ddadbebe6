package io.orchestrion.server.crash;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.server.crash.SubmissionBurst.Acknowledgement;
import io.orchestrion.server.http.JwtKeys;
import io.orchestrion.server.http.JwtTokens;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.ChildServer;
import io.orchestrion.server.testing.Fixtures;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash test (issue 8 §10): the packaged server in a child process, a few hundred submissions over
 * HTTP from several client threads, and SIGKILL at three moments — mid-burst, right after a batch
 * of acknowledgements, and while the restarted server drains the async work queued before the kill
 * — each followed by a restart on the same database. Afterwards every acknowledged submission
 * exists, every run has finished, each async step attempt has exactly one STEP_RESULT event
 * (COMPLETED or ERROR), the event feed counts 1, 2, 3... without holes, the clients never received
 * a 5xx nor waited into a timeout, and the child's logs show no pool timeout and no 500.
 *
 * <p>The orchestration is the background-only expense orchestration whose Score step runs
 * Score_Risk (an Action and a Wait: asynchronous) with its Wait changed to wait for a flow event
 * ({@link #WAIT_FOR_RELEASE}). The interviews pile up there until the test publishes the event
 * right before the second kill: all of them are then due, unclaimed, when the next server starts,
 * which drains them at once (the queue of issue 8 §1) — and is killed again while doing so.
 *
 * <p>Size: {@code -Dcrash.submissions} (default 200) from {@code -Dcrash.clients} threads (default
 * 6); {@code -Dcrash.runDeadlineSeconds} (default 150) bounds the wait for the runs to finish. The
 * children's logs are kept in {@code server/target/crash/<database>-<time>/child-N.log}.
 */
abstract class CrashContract {
  static final String JWT_SECRET = "a-crash-test-secret-of-32-characters!";

  /** Score_Risk's Wait (Cool_Off), instead of its zero duration: it waits for {@link #release}. */
  static final String WAIT_FOR_RELEASE =
      "\"events\": [{\"name\": \"Released\", \"event\": \"crash.release\","
          + " \"correlationKey\": {\"value\": \"all\"}, \"next\": \"Score\"}]";

  static final String POOL_TIMEOUT = "Connection is not available";

  /** What the server logs for each 500 it answers (also those that came after a timeout). */
  static final String INTERNAL_ERROR = "Internal error";

  private static final int SUBMISSIONS = Integer.getInteger("crash.submissions", 200);
  private static final int CLIENTS = Integer.getInteger("crash.clients", 6);
  private static final Duration RUN_DEADLINE =
      Duration.ofSeconds(Long.getLong("crash.runDeadlineSeconds", 150));
  private static final Duration BURST_TIMEOUT = Duration.ofSeconds(120 + SUBMISSIONS / 10);

  /**
   * The lease of the child's jobs (the server's {@code leaseDuration} setting): a killed child's
   * claimed jobs wait this long for the restarted one. Short, so that the test drains quickly.
   */
  static final Duration LEASE = Duration.ofSeconds(5);

  /** Well past the lease that a killed node's claimed jobs keep. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, Long> timings = new LinkedHashMap<>();

  /** A short name for the log directory. */
  abstract String databaseName();

  /** What follows {@code serve --port 0}: the data directory and the database to use. */
  abstract List<String> serverArguments(Path dataDirectory);

  /** Drops the database (when the test owns one besides the data directory). */
  abstract void dropDatabase();

  @AfterEach
  void drop() {
    dropDatabase();
  }

  @Test
  void acknowledgedWorkSurvivesThreeKills() throws Exception {
    long started = System.nanoTime();
    Path work =
        Files.createDirectories(
            ChildServer.targetDirectory()
                .resolve("crash")
                .resolve(databaseName() + "-" + System.currentTimeMillis()));
    String token = adminToken();
    HttpOutcomes outcomes = new HttpOutcomes();
    try (ChildServer child =
        new ChildServer(
            ChildServer.packagedJar(),
            serverArguments(work.resolve("data")),
            Map.of(
                "ORCHESTRION_JWT_SECRET",
                JWT_SECRET,
                "ORCHESTRION_LEASE_DURATION",
                LEASE.toString()),
            work)) {
      ApiClient api = client(child.start(), token);
      deploy(api);
      lap("start and deploy", started);

      SubmissionBurst burst = new SubmissionBurst(SUBMISSIONS, CLIENTS, outcomes);
      burst.openGate(api);

      // 1. Mid-burst: requests are in flight when the process dies.
      burst.awaitAcknowledged(SUBMISSIONS / 3, BURST_TIMEOUT);
      burst.closeGate();
      child.kill();
      lap("kill 1 (mid-burst)", started);
      api = client(child.start(), token);
      burst.openGate(api);

      // 2. Right after a batch of acknowledgements: the clients finish their requests, then the
      // process dies before it could do anything more for them (their async steps are queued).
      burst.awaitAcknowledged(2 * SUBMISSIONS / 3, BURST_TIMEOUT);
      burst.closeGateAndAwaitQuiet(BURST_TIMEOUT);
      int released = release(api, outcomes);
      child.kill();
      lap("kill 2 (after acknowledgements)", started);
      Set<String> runsBeforeSecondKill = runIds(burst.acknowledged());
      Instant secondStart = Instant.now();
      api = client(child.start(), token);
      burst.openGate(api);

      // 3. During the restart's drain: the first result of a run queued before kill 2 shows that
      // the new server is working through the queue; the clients keep submitting meanwhile.
      boolean drainSeen =
          awaitDrainStart(api, runsBeforeSecondKill, secondStart, outcomes, started);
      burst.closeGate();
      child.kill();
      Instant thirdKill = Instant.now();
      lap("kill 3 (during the drain)", started);
      api = client(child.start(), token);
      burst.openGate(api);
      burst.awaitDone(BURST_TIMEOUT);
      lap("burst done", started);

      List<JsonNode> submissions = awaitRunsFinished(api, outcomes);
      lap("runs finished (or deadline)", started);
      List<JsonNode> events = readFeed(api, outcomes);
      Map<String, JsonNode> runs = new HashMap<>();
      for (JsonNode submission : submissions) {
        String runId = submission.path("runId").asText();
        runs.put(runId, get(api, "/api/v1/runs/" + runId, outcomes).json());
      }
      child.stop();
      lap("verified over HTTP", started);

      List<Acknowledgement> acknowledged = burst.acknowledged();
      long drainedAfterThirdKill =
          events.stream()
              .filter(event -> runsBeforeSecondKill.contains(event.path("runId").asText()))
              .filter(event -> Instant.parse(event.path("publishedAt").asText()).isAfter(thirdKill))
              .count();
      String summary =
          "%s crash test: %d submissions tried by %d clients, %d acknowledged, %d in the database"
                  .formatted(
                      databaseName(), SUBMISSIONS, CLIENTS, acknowledged.size(), submissions.size())
              + "; statuses "
              + countBy(submissions, "status")
              + "; %d events; %d interviews released just before kill 2; drain seen before kill 3: %s; results of runs queued before kill 2 written after kill 3: %d; %s; timings (s): %s; logs in %s"
                  .formatted(
                      events.size(),
                      released,
                      drainSeen,
                      drainedAfterThirdKill,
                      outcomes,
                      timings,
                      work);
      System.out.println(summary);

      SoftAssertions softly = new SoftAssertions();
      checkAcknowledgementsKept(softly, acknowledged, submissions);
      checkRunsFinished(softly, submissions);
      checkFeed(softly, events);
      checkOneResultPerAsyncAttempt(softly, runs.values(), events);
      checkAnswersAndLogs(softly, outcomes, child, work);
      softly.assertAll();
    }
  }

  /** No 5xx, no timeout, no other error reached the clients; no pool timeout, no 500 logged. */
  private static void checkAnswersAndLogs(
      SoftAssertions softly, HttpOutcomes outcomes, ChildServer child, Path work) {
    softly
        .assertThat(outcomes.serverErrors())
        .as("5xx answers received by the clients; " + outcomes)
        .isZero();
    softly
        .assertThat(outcomes.timeouts())
        .as("requests that got no answer in 30 s; " + outcomes)
        .isZero();
    softly.assertThat(outcomes.unexpected()).as("other non-2xx answers; " + outcomes).isZero();
    List<String> poolTimeouts = child.logEntriesContaining(POOL_TIMEOUT);
    softly
        .assertThat(poolTimeouts.size())
        .as(
            "pool timeouts logged in %s; the first ones: %s",
            work, poolTimeouts.subList(0, Math.min(5, poolTimeouts.size())))
        .isZero();
    List<String> internalErrors = child.logEntriesContaining(INTERNAL_ERROR);
    softly
        .assertThat(internalErrors.size())
        .as(
            "500 answers logged in %s; the first ones: %s",
            work, internalErrors.subList(0, Math.min(5, internalErrors.size())))
        .isZero();
  }

  private void lap(String name, long started) {
    timings.put(name, Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  private static String adminToken() {
    Vertx vertx = Vertx.vertx();
    try {
      return new JwtTokens(vertx, JwtKeys.hs256(JWT_SECRET))
          .mint(EngineActors.ADMIN, Instant.now(), Duration.ofHours(2));
    } finally {
      vertx.close();
    }
  }

  private static ApiClient client(URI baseUri, String token) {
    return new ApiClient(baseUri, Optional.of(token));
  }

  private static void deploy(ApiClient api) {
    expect(api.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expect(api.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)), 201);
    String scoreRisk = Fixtures.demo(Fixtures.SCORE_RISK);
    String heldScoreRisk = scoreRisk.replace("\"duration\": \"PT0S\"", WAIT_FOR_RELEASE);
    assertThat(heldScoreRisk).as("Score_Risk's Wait").isNotEqualTo(scoreRisk);
    ApiResponse flow = expect(api.post("/api/v1/flows?activate=true", heldScoreRisk), 201);
    assertThat(flow.json().at("/analysis/mode").asText()).isEqualTo("ASYNC");
    expect(
        api.post(
            "/api/v1/orchestrations?activate=true",
            Fixtures.test(Fixtures.BACKGROUND_ORCHESTRATION)),
        201);
  }

  /**
   * Follows the event feed until a STEP_RESULT of one of {@code queuedRuns} is published by the
   * server started at {@code restartedAt}; false if none comes within {@link #DRAIN_TIMEOUT}.
   */
  private boolean awaitDrainStart(
      ApiClient api, Set<String> queuedRuns, Instant restartedAt, HttpOutcomes outcomes, long t0)
      throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    long after = 0;
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> read = tryGet(api, "/api/v1/events?limit=1000&after=" + after, outcomes);
      if (read.isEmpty()) {
        Thread.sleep(100);
        continue;
      }
      JsonNode page = read.get();
      for (JsonNode event : page.path("items")) {
        if (event.path("kind").asText().equals("STEP_RESULT")
            && queuedRuns.contains(event.path("runId").asText())
            && !Instant.parse(event.path("publishedAt").asText()).isBefore(restartedAt)) {
          lap("drain seen", t0);
          return true;
        }
      }
      after = page.path("lastSequence").asLong();
      if (page.path("items").isEmpty()) {
        Thread.sleep(20);
      }
    }
    return false;
  }

  /**
   * Releases the waiting interviews and lists every submission until none is IN_PROGRESS or {@link
   * #RUN_DEADLINE} passes.
   */
  private static List<JsonNode> awaitRunsFinished(ApiClient api, HttpOutcomes outcomes)
      throws InterruptedException {
    long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
    while (true) {
      try {
        release(api, outcomes);
        List<JsonNode> submissions = listSubmissions(api, outcomes);
        boolean open =
            submissions.stream()
                .anyMatch(submission -> submission.path("status").asText().equals("IN_PROGRESS"));
        if (!open || System.nanoTime() > deadline) {
          return submissions;
        }
      } catch (AssertionError | UncheckedIOException e) {
        // Counted in the outcomes; the server may recover before the deadline.
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(500);
    }
  }

  /**
   * Publishes the flow event that the interviews wait for: they become due at once, to be picked up
   * by the workers' next poll. Returns how many it resumed.
   */
  private static int release(ApiClient api, HttpOutcomes outcomes) {
    ApiResponse response =
        outcomes.record(
            "POST /api/v1/flow-events",
            api.post(
                "/api/v1/flow-events",
                "{\"name\": \"crash.release\", \"correlationKey\": \"all\", \"payload\": {}}"));
    assertThat(response.status()).as("POST /api/v1/flow-events: %s", response).isEqualTo(202);
    return response.json().path("resumed").asInt();
  }

  private static List<JsonNode> listSubmissions(ApiClient api, HttpOutcomes outcomes) {
    List<JsonNode> submissions = new ArrayList<>();
    String path = "/api/v1/submissions?limit=500";
    while (true) {
      JsonNode page = get(api, path, outcomes).json();
      page.path("items").forEach(submissions::add);
      if (!page.hasNonNull("nextCursor")) {
        return submissions;
      }
      path =
          "/api/v1/submissions?limit=500&cursor="
              + URLEncoder.encode(page.path("nextCursor").asText(), StandardCharsets.UTF_8);
    }
  }

  private static List<JsonNode> readFeed(ApiClient api, HttpOutcomes outcomes) {
    List<JsonNode> events = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = get(api, "/api/v1/events?limit=1000&after=" + after, outcomes).json();
      if (page.path("items").isEmpty()) {
        return events;
      }
      page.path("items").forEach(events::add);
      after = page.path("lastSequence").asLong();
    }
  }

  private static void checkAcknowledgementsKept(
      SoftAssertions softly, List<Acknowledgement> acknowledged, List<JsonNode> submissions) {
    Map<String, String> runOfSubmission = new HashMap<>();
    for (JsonNode submission : submissions) {
      runOfSubmission.put(submission.path("id").asText(), submission.path("runId").asText());
    }
    List<Acknowledgement> lost =
        acknowledged.stream()
            .filter(
                acknowledgement ->
                    !acknowledgement
                        .runId()
                        .equals(runOfSubmission.get(acknowledgement.submissionId())))
            .toList();
    softly
        .assertThat(lost)
        .as("acknowledged submissions missing (or with another run) after the restarts")
        .isEmpty();
    softly
        .assertThat(acknowledged.size())
        .as("acknowledged submissions")
        .isGreaterThanOrEqualTo(2 * SUBMISSIONS / 3);
  }

  private static void checkRunsFinished(SoftAssertions softly, List<JsonNode> submissions) {
    List<String> open =
        submissions.stream()
            .filter(submission -> submission.path("status").asText().equals("IN_PROGRESS"))
            .map(submission -> submission.path("id").asText())
            .toList();
    softly
        .assertThat(open)
        .as("submissions still IN_PROGRESS after %s (of %d)", RUN_DEADLINE, submissions.size())
        .isEmpty();
  }

  /** The feed numbers events 1, 2, 3... in order: strictly increasing, no holes. */
  static void checkFeed(SoftAssertions softly, List<JsonNode> events) {
    List<String> breaks = new ArrayList<>();
    long expected = 1;
    for (JsonNode event : events) {
      long sequence = event.path("sequence").asLong();
      if (sequence != expected) {
        breaks.add("expected " + expected + " but got " + sequence);
      }
      expected = sequence + 1;
    }
    softly.assertThat(breaks).as("breaks in the event feed's sequence").isEmpty();
  }

  /**
   * Each async step of every run ended COMPLETED or ERROR at attempt 1 (nothing retries it here)
   * and has exactly one STEP_RESULT event, with that status; no step has two.
   */
  static void checkOneResultPerAsyncAttempt(
      SoftAssertions softly, Iterable<JsonNode> runs, List<JsonNode> events) {
    Map<String, List<JsonNode>> resultsByStep = new HashMap<>();
    for (JsonNode event : events) {
      if (event.path("kind").asText().equals("STEP_RESULT")) {
        resultsByStep
            .computeIfAbsent(event.path("stepInstanceId").asText(), id -> new ArrayList<>())
            .add(event);
      }
    }
    List<String> problems = new ArrayList<>();
    int asyncSteps = 0;
    for (JsonNode run : runs) {
      for (JsonNode stage : run.path("stages")) {
        for (JsonNode step : stage.path("steps")) {
          if (!step.path("executionMode").asText().equals("ASYNC")) {
            continue;
          }
          asyncSteps++;
          String where = "run " + run.path("id").asText() + " step " + step.path("id").asText();
          String status = step.path("status").asText();
          if (!status.equals("COMPLETED") && !status.equals("ERROR")) {
            problems.add(where + " is " + status);
          }
          if (step.path("attempt").asInt() != 1) {
            problems.add(where + " is at attempt " + step.path("attempt").asInt());
          }
          List<JsonNode> results = resultsByStep.getOrDefault(step.path("id").asText(), List.of());
          if (results.size() != 1) {
            problems.add(where + " has " + results.size() + " STEP_RESULT events: " + results);
          } else if (!results.get(0).path("stepStatus").asText().equals(status)) {
            problems.add(where + " is " + status + " but its STEP_RESULT says " + results.get(0));
          }
        }
      }
    }
    softly.assertThat(asyncSteps).as("async steps").isGreaterThan(0);
    softly.assertThat(problems).as("async steps without exactly one result").isEmpty();
    List<String> duplicated =
        resultsByStep.entrySet().stream()
            .filter(entry -> entry.getValue().size() > 1)
            .map(Map.Entry::getKey)
            .toList();
    softly.assertThat(duplicated).as("steps with more than one STEP_RESULT").isEmpty();
  }

  private static Map<String, Long> countBy(List<JsonNode> nodes, String field) {
    return nodes.stream()
        .collect(
            Collectors.groupingBy(
                node -> node.path(field).asText(), TreeMap::new, Collectors.counting()));
  }

  private static Set<String> runIds(List<Acknowledgement> acknowledged) {
    return acknowledged.stream().map(Acknowledgement::runId).collect(Collectors.toSet());
  }

  private static ApiResponse get(ApiClient api, String path, HttpOutcomes outcomes) {
    try {
      ApiResponse response = outcomes.record("GET " + path, api.get(path));
      assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
      return response;
    } catch (UncheckedIOException e) {
      outcomes.timedOut("GET " + path + ": " + e.getCause());
      throw e;
    }
  }

  /** The 200 answer to GET {@code path}, or empty after counting what came instead. */
  private static Optional<JsonNode> tryGet(ApiClient api, String path, HttpOutcomes outcomes) {
    try {
      return Optional.of(get(api, path, outcomes).json());
    } catch (AssertionError | UncheckedIOException e) {
      return Optional.empty();
    }
  }
}
