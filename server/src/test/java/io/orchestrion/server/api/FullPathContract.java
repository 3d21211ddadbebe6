package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton over HTTP: define the Expense type, deploy the sync and async flows and the
 * orchestration, create a record, submit it and follow the run to the approved submission.
 * Subclasses choose the database.
 */
abstract class FullPathContract {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private TestServer server;
  private ApiClient client;

  abstract TestDatabaseKind databaseKind();

  @BeforeEach
  void start() {
    server = TestServer.start(databaseKind());
    client = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void submittedExpenseRunsThroughSyncAndAsyncStepsToApproval() throws Exception {
    assertStatus(
        client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);

    ApiResponse mark =
        assertStatus(
            client.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)),
            201);
    assertThat(mark.json().path("status").asText()).isEqualTo("ACTIVE");
    assertThat(mark.json().at("/analysis/mode").asText()).isEqualTo("SYNC");
    ApiResponse score =
        assertStatus(
            client.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.SCORE_RISK)), 201);
    assertThat(score.json().at("/analysis/mode").asText()).isEqualTo("ASYNC");
    assertThat(score.json().at("/analysis/asyncReasons").findValuesAsText("element"))
        .containsExactly("Notify", "Cool_Off");
    // Deploying the same definition again returns the existing version.
    ApiResponse again =
        assertStatus(
            client.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.SCORE_RISK)), 200);
    assertThat(again.json().path("version").asInt())
        .isEqualTo(score.json().path("version").asInt());
    assertThat(client.get("/api/v1/flows/Score_Risk/versions").json().path("items")).hasSize(1);
    assertThat(
            client.get("/api/v1/flows/Score_Risk/versions/1").json().at("/analysis/mode").asText())
        .isEqualTo("ASYNC");

    ApiResponse orchestration =
        assertStatus(
            client.post("/api/v1/orchestrations", Fixtures.test(Fixtures.BACKGROUND_ORCHESTRATION)),
            201);
    assertThat(orchestration.json().path("status").asText()).isEqualTo("DRAFT");
    assertThat(
            assertStatus(
                    client.post("/api/v1/orchestrations/Expense_Approval/versions/1/activate", ""),
                    200)
                .json()
                .path("status")
                .asText())
        .isEqualTo("ACTIVE");

    ApiResponse record =
        assertStatus(
            client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201);
    String recordId = record.json().path("id").asText();

    String submitBody =
        "{\"objectType\": \"Expense\", \"recordId\": \""
            + recordId
            + "\", \"orchestration\": \"Expense_Approval\", \"comments\": \"please\"}";
    ApiResponse submitted =
        assertStatus(
            client.send(
                "POST",
                "/api/v1/submissions",
                Optional.of(submitBody),
                Map.of("Idempotency-Key", "submit-" + recordId)),
            201);
    String submissionId = submitted.json().path("id").asText();
    String runId = submitted.json().path("runId").asText();
    // The same key returns the first result instead of a conflict.
    ApiResponse replayed =
        client.send(
            "POST",
            "/api/v1/submissions",
            Optional.of(submitBody),
            Map.of("Idempotency-Key", "submit-" + recordId));
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.json().path("id").asText()).isEqualTo(submissionId);
    // Without a key, a second submit while the first is open is a conflict naming the open one.
    // The async step may already have finished (the record is then free again): both are fine.
    ApiResponse conflict = client.post("/api/v1/submissions", submitBody);
    if (conflict.status() != 201) {
      assertThat(conflict.status()).isEqualTo(409);
      assertThat(conflict.json().path("detail").asText()).contains(submissionId);
    }

    JsonNode run = awaitRunEnd(runId);
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("COMPLETED");

    JsonNode submission = client.get("/api/v1/submissions/" + submissionId).json();
    assertThat(submission.path("status").asText()).isEqualTo("APPROVED");
    JsonNode fields = client.get("/api/v1/records/Expense/" + recordId).json().path("fields");
    assertThat(fields.path("Status").asText()).isEqualTo("In Review");
    assertThat(fields.path("Category").asText()).isEqualTo("large");
    // Score_Risk's formula: riskScore = expense.Amount % 100, exact decimals (1250.00 % 100).
    assertThat(fields.path("Risk").decimalValue()).isEqualByComparingTo("50");

    JsonNode intake = run.path("stages").get(0);
    assertThat(intake.path("name").asText()).isEqualTo("Intake");
    JsonNode markStep = step(intake, "Mark");
    JsonNode scoreStep = step(intake, "Score");
    assertThat(markStep.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(markStep.path("executionMode").asText()).isEqualTo("SYNC");
    assertThat(scoreStep.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(scoreStep.path("executionMode").asText()).isEqualTo("ASYNC");
    assertThat(scoreStep.path("executionReason").asText()).contains("Notify").contains("Cool_Off");
    assertThat(run.path("stages").get(1).path("name").asText()).isEqualTo("Wrap_Up");
    assertThat(step(run.path("stages").get(1), "Confirm").path("executionMode").asText())
        .isEqualTo("SYNC");

    // The whole lifecycle is in the feed, in order; notifications carry the submission and record.
    JsonNode feed = awaitFeedKind(runId, "RUN_COMPLETED");
    List<String> kinds = feed.path("items").findValuesAsText("kind");
    assertThat(kinds)
        .as(feed.toString())
        .startsWith("SUBMITTED", "STAGE_STARTED", "STEP_STARTED")
        .containsSubsequence(
            "SUBMITTED",
            "STAGE_STARTED",
            "STEP_STARTED",
            "STEP_RESULT",
            "STAGE_COMPLETED",
            "STAGE_STARTED",
            "STEP_STARTED",
            "STAGE_COMPLETED",
            "RUN_COMPLETED")
        .endsWith("RUN_COMPLETED");
    for (JsonNode event : feed.path("items")) {
      assertThat(event.path("submissionId").asText()).isEqualTo(submissionId);
      assertThat(event.path("recordId").asText()).isEqualTo(recordId);
      assertThat(event.path("objectType").asText()).isEqualTo("Expense");
    }
    JsonNode submittedEvent = feed.path("items").get(0);
    assertThat(submittedEvent.path("actorId").asText()).isNotBlank();
    assertThat(submittedEvent.path("payload").path("orchestration").asText())
        .isEqualTo("Expense_Approval");
    JsonNode stepsStarted =
        client.get("/api/v1/events?after=0&kind=STEP_STARTED&submissionId=" + submissionId).json();
    assertThat(stepsStarted.path("items").findValuesAsText("kind")).containsOnly("STEP_STARTED");
    assertThat(stepsStarted.path("items").findValuesAsText("step")).contains("Mark", "Score");
    assertThat(
            client
                .get("/api/v1/events?after=0&kind=RUN_COMPLETED,SUBMITTED&runId=" + runId)
                .json()
                .path("items")
                .findValuesAsText("kind"))
        .containsExactly("SUBMITTED", "RUN_COMPLETED");
    ApiResponse badKind = client.get("/api/v1/events?kind=FINISHED");
    assertThat(badKind.status()).isEqualTo(400);
    assertThat(badKind.body()).contains("query.kind").contains("FINISHED");

    JsonNode events = client.get("/api/v1/events?after=0&runId=" + runId).json();
    List<Long> sequences = new ArrayList<>();
    boolean scoreResult = false;
    for (JsonNode event : events.path("items")) {
      sequences.add(event.path("sequence").asLong());
      assertThat(event.path("runId").asText()).isEqualTo(runId);
      if (event.path("kind").asText().equals("STEP_RESULT")
          && event.path("stepInstanceId").asText().equals(scoreStep.path("id").asText())) {
        scoreResult = true;
        assertThat(event.path("stepStatus").asText()).isEqualTo("COMPLETED");
      }
    }
    assertThat(scoreResult).as(events.toString()).isTrue();
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
    // Not a full page: the feed was read to its end, which may lie past the run's last event.
    assertThat(events.path("lastSequence").asLong())
        .isGreaterThanOrEqualTo(sequences.get(sequences.size() - 1));
    assertThat(events.path("atEnd").asBoolean()).as(events.toString()).isTrue();

    ApiResponse manual =
        assertStatus(
            client.post(
                "/api/v1/runs/" + runId + "/events", "{\"payload\": {\"note\": \"hello\"}}"),
            202);
    assertThat(manual.json().path("kind").asText()).isEqualTo("MANUAL");
    assertThat(manual.json().path("sequence").asLong())
        .isGreaterThan(sequences.get(sequences.size() - 1));

    JsonNode listed =
        client
            .get("/api/v1/submissions?objectType=Expense&recordId=" + recordId + "&limit=1")
            .json();
    assertThat(listed.path("items").findValuesAsText("id")).containsExactly(submissionId);
    assertThat(
            client
                .get("/api/v1/submissions?status=APPROVED")
                .json()
                .path("items")
                .findValuesAsText("id"))
        .contains(submissionId);
  }

  @Test
  void paginationFollowsTheCursor() {
    assertStatus(
        client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    assertStatus(
        client.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)), 201);
    assertStatus(
        client.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.SCORE_RISK)), 201);
    assertStatus(
        client.post(
            "/api/v1/orchestrations?activate=true",
            Fixtures.test(Fixtures.BACKGROUND_ORCHESTRATION)),
        201);
    List<String> submitted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String recordId =
          assertStatus(
                  client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)),
                  201)
              .json()
              .path("id")
              .asText();
      submitted.add(
          assertStatus(
                  client.post(
                      "/api/v1/submissions",
                      "{\"objectType\": \"Expense\", \"recordId\": \""
                          + recordId
                          + "\", \"orchestration\": \"Expense_Approval\"}"),
                  201)
              .json()
              .path("id")
              .asText());
    }
    List<String> seen = new ArrayList<>();
    String path = "/api/v1/submissions?limit=2";
    for (int page = 0; page < 5; page++) {
      JsonNode body = assertStatus(client.get(path), 200).json();
      seen.addAll(body.path("items").findValuesAsText("id"));
      if (!body.hasNonNull("nextCursor")) {
        break;
      }
      path =
          "/api/v1/submissions?limit=2&cursor="
              + java.net.URLEncoder.encode(
                  body.path("nextCursor").asText(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(seen).containsExactlyElementsOf(submitted);
  }

  /** The run's feed once an event of {@code kind} is numbered (numbering follows the commit). */
  private JsonNode awaitFeedKind(String runId, String kind) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      JsonNode feed = client.get("/api/v1/events?after=0&limit=1000&runId=" + runId).json();
      if (feed.path("items").findValuesAsText("kind").contains(kind)) {
        return feed;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + kind + " event in " + feed);
      }
      Thread.sleep(25);
    }
  }

  private JsonNode awaitRunEnd(String runId) throws InterruptedException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    JsonNode run = assertStatus(client.get("/api/v1/runs/" + runId), 200).json();
    while (run.path("status").asText().equals("IN_PROGRESS") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      run = assertStatus(client.get("/api/v1/runs/" + runId), 200).json();
    }
    return run;
  }

  private static JsonNode step(JsonNode stage, String name) {
    for (JsonNode step : stage.path("steps")) {
      if (step.path("name").asText().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("No step " + name + " in " + stage);
  }

  private static ApiResponse assertStatus(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response;
  }
}
