package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.api.EngineActors;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.OrchestrionServer;
import io.orchestrion.server.ServerConfig;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deactivating and deleting versions over HTTP (SPEC §2, issue 8 §8) and idempotency keys that
 * survive a restart (SPEC §12, issue 8 §9), on the real server.
 */
class DefinitionLifecycleHttpIT {
  private static final String NOBODY = "nora";
  private static final String ORCHESTRATION =
      """
      {"apiName": "Http_Life", "objectType": "Expense",
       "stages": [{"name": "Only", "steps": [
         {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
          "inputs": {"recordId": {"ref": "$Record.Id"}}},
         {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "carl"},
          "start": {"type": "STEP_COMPLETED", "step": "Mark"}}]}]}
      """;

  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    admin = server.client();
    server.createUser(User.of(NOBODY, "Nora Nothing"));
    server.createUser(User.of("carl", "Carl Approver"));
    expect(admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    expect(admin.post("/api/v1/flows?activate=true", Fixtures.demo(Fixtures.MARK_IN_REVIEW)), 201);
    expect(admin.post("/api/v1/orchestrations?activate=true", ORCHESTRATION), 201);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void changingVersionsNeedsManageDefinitions() {
    ApiClient nora = server.clientAs(NOBODY);
    for (ApiResponse response :
        new ApiResponse[] {
          nora.post("/api/v1/flows/Mark_In_Review/versions/1/deactivate", "{}"),
          nora.send(
              "DELETE", "/api/v1/flows/Mark_In_Review/versions/1", Optional.empty(), Map.of()),
          nora.post("/api/v1/orchestrations/Http_Life/versions/1/deactivate", "{}"),
          nora.send(
              "DELETE", "/api/v1/orchestrations/Http_Life/versions/1", Optional.empty(), Map.of())
        }) {
      assertThat(response.status()).as(response.body()).isEqualTo(403);
      assertThat(response.json().path("detail").asText()).contains("MANAGE_DEFINITIONS");
    }
    assertThat(expect(admin.get("/api/v1/flows/Mark_In_Review/versions/1"), 200).path("status"))
        .hasToString("\"ACTIVE\"");
  }

  @Test
  void anIncompatibleFlowVersionIsRefusedWith422NamingOrchestrationStepAndVariable() {
    // Issue 8: the same api name, EVALUATION, without the recordId input, ?activate=true.
    String evaluation =
        Fixtures.demo(Fixtures.IS_LARGE).replace("Is_Large_Expense", "Mark_In_Review");
    ApiResponse refused = admin.post("/api/v1/flows?activate=true", evaluation);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    JsonNode problem = refused.json().path("problems").get(0);
    assertThat(problem.path("path").asText()).isEqualTo("$.stages[0].steps[0].flow");
    assertThat(problem.path("message").asText())
        .startsWith("orchestration 'Http_Life' version 1, step 'Mark': flow 'Mark_In_Review' is");
    assertThat(expect(admin.get("/api/v1/flows/Mark_In_Review/versions"), 200).path("items"))
        .extracting(item -> item.path("status").asText())
        .containsExactly("ACTIVE");
  }

  @Test
  void deactivateAndDeleteOverHttp() {
    String flow = Fixtures.demo(Fixtures.MARK_IN_REVIEW).replace("Mark_In_Review", "Http_Mark");
    expect(admin.post("/api/v1/flows?activate=true", flow), 201);
    expect(
        admin.post(
            "/api/v1/orchestrations?activate=true",
            ORCHESTRATION
                .replace("Http_Life", "Http_Other")
                .replace("Mark_In_Review", "Http_Mark")),
        201);

    ApiResponse used = admin.post("/api/v1/flows/Http_Mark/versions/1/deactivate", "");
    assertThat(used.status()).as(used.body()).isEqualTo(409);
    assertThat(used.json().path("detail").asText())
        .contains("orchestration 'Http_Other' version 1, step 'Mark'");
    ApiResponse active =
        admin.send("DELETE", "/api/v1/flows/Http_Mark/versions/1", Optional.empty(), Map.of());
    assertThat(active.status()).as(active.body()).isEqualTo(409);

    assertThat(
            expect(admin.post("/api/v1/orchestrations/Http_Other/versions/1/deactivate", ""), 200)
                .path("status")
                .asText())
        .isEqualTo("INACTIVE");
    assertThat(
            expect(admin.post("/api/v1/flows/Http_Mark/versions/1/deactivate", ""), 200)
                .path("status")
                .asText())
        .isEqualTo("INACTIVE");
    ApiResponse deleted =
        admin.send("DELETE", "/api/v1/flows/Http_Mark/versions/1", Optional.empty(), Map.of());
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    assertThat(admin.get("/api/v1/flows/Http_Mark/versions/1").status()).isEqualTo(404);
    assertThat(
            admin
                .send(
                    "DELETE",
                    "/api/v1/orchestrations/Http_Other/versions/1",
                    Optional.empty(),
                    Map.of())
                .status())
        .isEqualTo(204);
  }

  @Test
  void anIdempotencyKeySurvivesARestart() throws IOException {
    Path dataDirectory = Files.createTempDirectory("orchestrion-idempotency-restart");
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDirectory(dataDirectory)
            .withJwtSecret(TestServer.JWT_SECRET);
    try {
      String recordId;
      String submissionId;
      String body;
      try (OrchestrionServer first = OrchestrionServer.start(config)) {
        ApiClient client = adminOf(first);
        expect(
            client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
        first.engine().directory().saveUser(User.of("carl", "Carl Approver"));
        expect(
            client.post(
                "/api/v1/orchestrations?activate=true",
                """
                {"apiName": "Keyed", "objectType": "Expense", "stages": [{"name": "Only",
                  "steps": [{"name": "Approve", "kind": "APPROVAL",
                             "assignee": {"type": "USER", "userId": "carl"}}]}]}
                """),
            201);
        recordId =
            expect(
                    client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)),
                    201)
                .path("id")
                .asText();
        body =
            "{\"objectType\": \"Expense\", \"recordId\": \""
                + recordId
                + "\", \"orchestration\": \"Keyed\"}";
        submissionId = expect(submitWithKey(client, body), 201).path("id").asText();
      }
      try (OrchestrionServer second = OrchestrionServer.start(config)) {
        ApiClient client = adminOf(second);
        JsonNode replayed = expect(submitWithKey(client, body), 201);
        assertThat(replayed.path("id").asText()).isEqualTo(submissionId);

        ApiResponse other =
            submitWithKey(client, body.replace("}", ", \"comments\": \"another request\"}"));
        assertThat(other.status()).as(other.body()).isEqualTo(409);
        assertThat(other.json().path("detail").asText()).contains("Idempotency-Key 'restart-1'");
        assertThat(
                expect(client.get("/api/v1/submissions?recordId=" + recordId), 200).path("items"))
            .hasSize(1);
      }
    } finally {
      deleteRecursively(dataDirectory);
    }
  }

  private static ApiResponse submitWithKey(ApiClient client, String body) {
    return client.send(
        "POST", "/api/v1/submissions", Optional.of(body), Map.of("Idempotency-Key", "restart-1"));
  }

  private static ApiClient adminOf(OrchestrionServer running) {
    return new ApiClient(
        running.baseUri(),
        Optional.of(
            running.tokens().mint(EngineActors.ADMIN, Instant.now(), TestServer.TOKEN_LIFETIME)));
  }

  private static JsonNode expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    return response.json();
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
