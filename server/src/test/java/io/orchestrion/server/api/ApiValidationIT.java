package io.orchestrion.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input over a real socket: every case is a 4xx problem with paths, never a 500. */
class ApiValidationIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static TestServer server;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    client = server.client();
    ApiResponse defined =
        client.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE));
    assertThat(defined.status()).as(defined.toString()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthNeedsNoTokenButTheApiDoes() {
    assertThat(server.anonymousClient().get("/health").status()).isEqualTo(200);
    assertThat(server.anonymousClient().get("/openapi.yaml").body()).contains("openapi: 3.1");
    ApiResponse anonymous = server.anonymousClient().get("/api/v1/object-types");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
    ApiResponse wrong =
        client.withToken(Optional.of("not-the-token-at-all")).get("/api/v1/object-types");
    assertThat(wrong.status()).isEqualTo(401);
  }

  @Test
  void flowEventsResumeWhoeverWaitsAndAreValidated() {
    ApiResponse nobody =
        client.post(
            "/api/v1/flow-events",
            "{\"name\": \"payment.received\", \"correlationKey\": \"O-7\","
                + " \"payload\": {\"amount\": 10.00}}");
    assertThat(nobody.status()).isEqualTo(202);
    assertThat(nobody.json().path("resumed").asInt(-1)).isZero();

    ApiResponse invalid = client.post("/api/v1/flow-events", "{\"name\": \" \", \"extra\": 1}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("$.extra");
    ApiResponse blank = client.post("/api/v1/flow-events", "{\"name\": \" \"}");
    assertThat(blank.status()).isEqualTo(400);
    assertThat(blank.body()).contains("$.name").contains("$.correlationKey");
  }

  @Test
  void objectTypesCanBeReadBackAndRedefined() {
    ApiResponse type = client.get("/api/v1/object-types/Expense");
    assertThat(type.status()).isEqualTo(200);
    assertThat(type.json().path("apiName").asText()).isEqualTo("Expense");
    assertThat(type.json().path("fields")).hasSize(6);
    assertThat(
            client
                .put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE))
                .status())
        .isEqualTo(200);
    assertThat(client.get("/api/v1/object-types").json().path("items").findValuesAsText("apiName"))
        .contains("Expense");
  }

  @Test
  void objectTypeNameMustMatchThePath() {
    ApiResponse response =
        client.put("/api/v1/object-types/Invoice", Fixtures.demo(Fixtures.EXPENSE_TYPE));
    assertThat(response.status()).isEqualTo(400);
    assertThat(problemPaths(response)).containsExactly("$.apiName");
    assertThat(response.json().path("detail").asText()).contains("'Expense'").contains("'Invoice'");
  }

  @Test
  void malformedJsonIs400WithItsPath() {
    ApiResponse response =
        client.put("/api/v1/object-types/Expense", "{\"apiName\": \"Expense\", \"fields\": [}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(problemPaths(response)).containsExactly("$.fields[0]");
  }

  @Test
  void unknownPropertyInAFlowIs422WithItsPath() throws Exception {
    ObjectNode flow = flow("Unknown_Property_Flow");
    ((ObjectNode) flow.path("elements").get(0)).put("bogus", true);
    ApiResponse response = client.post("/api/v1/flows", flow.toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.json().path("code").asText()).isEqualTo("INVALID_DEFINITION");
    assertThat(problemPaths(response)).contains("$.elements[0].bogus");
    assertThat(client.get("/api/v1/flows/Unknown_Property_Flow/versions").status()).isEqualTo(404);
  }

  @Test
  void unknownElementReferenceIs422() throws Exception {
    ObjectNode flow = flow("Dangling_Flow");
    ((ObjectNode) flow.path("elements").get(0)).put("next", "Nowhere");
    ApiResponse response = client.post("/api/v1/flows", flow.toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(problemMessages(response)).anyMatch(message -> message.contains("Nowhere"));
    assertThat(problemPaths(response)).allMatch(path -> path.startsWith("$"));
  }

  @Test
  void orchestrationWithAMissingFlowIs422NamingIt() throws Exception {
    ObjectNode orchestration = orchestration("Missing_Flow_Orchestration");
    ((ObjectNode) orchestration.at("/stages/0/steps/0")).put("flow", "No_Such_Flow");
    ApiResponse response =
        client.post("/api/v1/orchestrations?activate=true", orchestration.toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.body()).contains("No_Such_Flow");
  }

  @Test
  void orchestrationWithAnInactiveFlowIs422NamingIt() throws Exception {
    ApiResponse draft = client.post("/api/v1/flows", flow("Draft_Only_Flow").toString());
    assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
    assertThat(draft.json().path("status").asText()).isEqualTo("DRAFT");
    ObjectNode orchestration = orchestration("Inactive_Flow_Orchestration");
    ((ObjectNode) orchestration.at("/stages/0/steps/0")).put("flow", "Draft_Only_Flow");
    ApiResponse response =
        client.post("/api/v1/orchestrations?activate=true", orchestration.toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.body()).contains("Draft_Only_Flow");
  }

  @Test
  void unknownConditionTypeIs422() throws Exception {
    ObjectNode orchestration = orchestration("Unknown_Condition_Orchestration");
    ((ObjectNode) orchestration.at("/stages/0/steps/0/start")).put("type", "NO_SUCH_CONDITION");
    ApiResponse response =
        client.post("/api/v1/orchestrations?activate=true", orchestration.toString());
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.body()).contains("NO_SUCH_CONDITION");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"Title\": \"" + "x".repeat(1_100_000) + "\"}";
    ApiResponse response = client.post("/api/v1/records/Expense", big);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().path("code").asText()).isEqualTo("REQUEST_TOO_LARGE");
  }

  @Test
  void unknownThingsAre404Problems() {
    for (String path :
        List.of(
            "/api/v1/object-types/Nothing",
            "/api/v1/records/Expense/no-such-id",
            "/api/v1/flows/Nothing/versions/1",
            "/api/v1/orchestrations/Nothing/versions/1",
            "/api/v1/submissions/no-such-submission",
            "/api/v1/runs/no-such-run",
            "/api/v1/no-such-endpoint")) {
      ApiResponse response = client.get(path);
      assertThat(response.status()).as(path + " -> " + response).isEqualTo(404);
      assertThat(response.contentType()).isEqualTo("application/problem+json");
    }
  }

  @Test
  void badQueryParametersAre400() {
    assertThat(client.get("/api/v1/submissions?limit=0").status()).isEqualTo(400);
    assertThat(client.get("/api/v1/submissions?status=MAYBE").status()).isEqualTo(400);
    assertThat(client.get("/api/v1/events?after=-1").status()).isEqualTo(400);
    assertThat(client.get("/api/v1/flows/X/versions/one").status()).isEqualTo(400);
    assertThat(client.post("/api/v1/flows?activate=yes", "{}").status()).isEqualTo(400);
  }

  @Test
  void recordsAreValidatedAndVersioned() {
    ApiResponse unknownField =
        client.post(
            "/api/v1/records/Expense", "{\"Title\": \"t\", \"Amount\": 1, \"Colour\": \"red\"}");
    assertThat(unknownField.status()).as(unknownField.toString()).isBetween(400, 422);
    assertThat(unknownField.body()).contains("Colour");

    ApiResponse created =
        client.post("/api/v1/records/Expense", "{\"Title\": \"Taxi\", \"Amount\": 12.50}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asText();
    long version = created.json().path("version").asLong();
    assertThat(created.headers().firstValue("location")).contains("/api/v1/records/Expense/" + id);

    ApiResponse stale =
        client.send(
            "PATCH",
            "/api/v1/records/Expense/" + id,
            Optional.of("{\"Title\": \"Cab\"}"),
            Map.of("If-Match", "\"" + (version + 7) + "\""));
    assertThat(stale.status()).as(stale.toString()).isEqualTo(409);

    ApiResponse updated =
        client.send(
            "PATCH",
            "/api/v1/records/Expense/" + id,
            Optional.of("{\"Title\": \"Cab\"}"),
            Map.of("If-Match", "\"" + version + "\""));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().path("fields").path("Title").asText()).isEqualTo("Cab");
    assertThat(updated.json().path("version").asLong()).isGreaterThan(version);
  }

  @Test
  void submissionBodyIsStrict() {
    ApiResponse response =
        client.post(
            "/api/v1/submissions",
            "{\"objectType\": \"Expense\", \"recordId\": \"x\", \"orchestration\": \"O\", \"colour\": 1}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(problemPaths(response)).contains("$.colour");
  }

  @Test
  void aRecordVariableWithoutObjectTypeWhoseFieldIsAssignedIs422() {
    // Issue 8 §7: this was a 500 (NoSuchElementException in the flow compiler).
    ApiResponse response =
        client.post(
            "/api/v1/flows",
            """
            {"apiName": "Untyped_Record_Flow", "type": "AUTOLAUNCHED",
             "variables": [{"name": "e", "type": "RECORD"}],
             "start": "Set",
             "elements": [{"type": "Assignment", "name": "Set",
               "assignments": [{"target": "e.Title", "value": {"value": "Taxi"}}]}]}""");

    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.json().path("code").asText()).isEqualTo("INVALID_DEFINITION");
    assertThat(problemPaths(response)).containsExactly("$.variables[0].objectType");
    assertThat(problemMessages(response))
        .containsExactly("RECORD variable 'e' needs an objectType");
  }

  private static ObjectNode flow(String apiName) throws Exception {
    ObjectNode flow = (ObjectNode) MAPPER.readTree(Fixtures.demo(Fixtures.MARK_IN_REVIEW));
    flow.put("apiName", apiName);
    return flow;
  }

  private static ObjectNode orchestration(String apiName) throws Exception {
    ObjectNode orchestration =
        (ObjectNode) MAPPER.readTree(Fixtures.test(Fixtures.BACKGROUND_ORCHESTRATION));
    orchestration.put("apiName", apiName);
    return orchestration;
  }

  private static List<String> problemPaths(ApiResponse response) {
    List<String> paths = new ArrayList<>();
    for (JsonNode problem : response.json().path("problems")) {
      paths.add(problem.path("path").asText());
    }
    return paths;
  }

  private static List<String> problemMessages(ApiResponse response) {
    List<String> messages = new ArrayList<>();
    for (JsonNode problem : response.json().path("problems")) {
      messages.add(problem.path("message").asText());
    }
    return messages;
  }
}
