package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps openapi.yaml true against a running server (H2): the routes the server serves are exactly
 * the documented operations, and real responses (successes and problem+json errors) match the
 * schema documented for their route and status.
 */
class OpenApiContractIT {
  private static OpenApiDocument document;

  /** The documented operations ({@code get /api/v1/runs/{id}}) a check has called. */
  private static final Set<String> exercised = new TreeSet<>();

  private static JsonNode openApi;
  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() throws Exception {
    document = OpenApiDocument.load();
    openApi = document.root();
    server = TestServer.start(TestDatabaseKind.H2);
    admin = server.client();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theServedRoutesAreTheDocumentedOperations() {
    // The console's page and its page-only helpers (docs/console.md) are not the public API.
    Set<String> served = new TreeSet<>(server.server().routes());
    served.removeIf(route -> route.substring(route.indexOf(' ') + 1).startsWith("/console"));
    Set<String> documented = documentedOperations();
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    Set<String> notServed = new TreeSet<>(documented);
    notServed.removeAll(served);
    assertThat(undocumented).as("served but not in openapi.yaml").isEmpty();
    assertThat(notServed).as("in openapi.yaml but not served").isEmpty();
    assertThat(served).hasSizeGreaterThan(50);
  }

  @Test
  void realResponsesMatchTheDocumentedSchemas() {
    List<String> failures = new ArrayList<>();
    check(failures, "put", "/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE));
    for (String flow : List.of(Fixtures.MARK_IN_REVIEW, Fixtures.SCORE_RISK, Fixtures.IS_LARGE)) {
      check(failures, "post", "/api/v1/flows?activate=true", Fixtures.demo(flow));
    }
    check(
        failures,
        "post",
        "/api/v1/orchestrations?activate=true",
        Fixtures.demo(Fixtures.ORCHESTRATION));
    // The directory: requests the server accepts must be what the document allows.
    check(failures, "put", "/api/v1/roles/ceo", "{\"name\": \"CEO\"}");
    check(failures, "put", "/api/v1/roles/cfo", "{\"name\": \"CFO\", \"parentRoleId\": \"ceo\"}");
    check(
        failures,
        "put",
        "/api/v1/users/maria",
        "{\"username\": \"maria\", \"displayName\": \"Maria\", \"roleId\": \"cfo\","
            + " \"email\": \"maria@example.com\"}");
    check(
        failures,
        "put",
        "/api/v1/users/sam",
        "{\"username\": \"sam\", \"displayName\": \"Sam\", \"managerId\": \"maria\"}");
    check(
        failures,
        "put",
        "/api/v1/groups/finance",
        "{\"name\": \"Finance\", \"members\": [{\"type\": \"USER\", \"id\": \"maria\"},"
            + " {\"type\": \"ROLE_AND_SUBORDINATES\", \"id\": \"cfo\"}]}");
    check(
        failures,
        "put",
        "/api/v1/queues/desk",
        "{\"name\": \"Expense desk\", \"members\": [{\"type\": \"USER\", \"id\": \"sam\"}],"
            + " \"objectTypes\": [\"Expense\"]}");
    // Business calendars: created with defaults, replaced in full, read, listed.
    check(
        failures,
        "put",
        "/api/v1/calendars/Office",
        "{\"name\": \"Office\", \"timeZone\": \"Europe/Berlin\", \"workStart\": \"09:00\","
            + " \"workEnd\": \"17:00\"}");
    check(
        failures,
        "put",
        "/api/v1/calendars/Office",
        "{\"name\": \"Office\", \"timeZone\": \"Europe/Berlin\", \"workingDays\": [\"MONDAY\"],"
            + " \"workStart\": \"08:30\", \"workEnd\": \"16:00\", \"holidays\": [\"2025-12-25\"]}");
    check(
        failures,
        "put",
        "/api/v1/calendars/Bad",
        "{\"name\": \"Bad\", \"timeZone\": \"Nowhere\","
            + " \"workStart\": \"09:00\", \"workEnd\": \"17:00\"}");
    for (String path :
        List.of(
            "/api/v1/calendars",
            "/api/v1/calendars/Office",
            "/api/v1/calendars/Nope",
            "/api/v1/object-types",
            "/api/v1/object-types/Expense",
            "/api/v1/flows",
            "/api/v1/flows/Score_Risk/versions",
            "/api/v1/flows/Score_Risk/versions/1",
            "/api/v1/orchestrations",
            "/api/v1/orchestrations/Expense_Approval/versions",
            "/api/v1/orchestrations/Expense_Approval/versions/1",
            "/api/v1/users",
            "/api/v1/users/admin",
            "/api/v1/roles",
            "/api/v1/groups",
            "/api/v1/queues",
            "/api/v1/permission-sets",
            "/api/v1/submissions",
            "/api/v1/work-items",
            "/api/v1/events",
            "/api/v1/health",
            "/health",
            "/health/ready")) {
      check(failures, "get", path, null);
    }
    // A delegation (issue #15): set, read, refused, ended.
    check(
        failures,
        "put",
        "/api/v1/users/dora",
        "{\"username\": \"dora\", \"displayName\": \"Dora\"}");
    check(
        failures,
        "put",
        "/api/v1/users/admin/delegation",
        "{\"delegateId\": \"dora\", \"until\": \"2999-01-01T00:00:00Z\"}");
    check(failures, "get", "/api/v1/users/admin/delegation", null);
    check(failures, "put", "/api/v1/users/admin/delegation", "{\"delegateId\": \"admin\"}");
    check(failures, "delete", "/api/v1/users/admin/delegation", null);
    check(failures, "get", "/api/v1/users/admin/delegation", null);
    lifecycle(failures);
    // Errors: problem+json as documented.
    check(failures, "get", "/api/v1/flows/Nope/versions/1", null);
    check(failures, "post", "/api/v1/flows", "{\"apiName\": \"X\", ");
    check(failures, "post", "/api/v1/flows", "{\"apiName\": \"X\", \"type\": \"NOPE\"}");
    check(
        failures,
        "post",
        "/api/v1/orchestrations",
        "{\"apiName\": \"O\", \"objectType\": \"Missing\", \"stages\": []}");
    assertThat(failures).isEmpty();
    // Every documented operation was called and its answer checked; the event stream is
    // text/event-stream, checked by EventStreamIT.
    Set<String> documented = documentedOperations();
    documented.remove("get /api/v1/events/stream");
    documented.removeAll(exercised);
    assertThat(documented).as("documented operations no check called").isEmpty();
  }

  /**
   * The rest of the API on real data: a record submitted, its run explained, suspended, resumed,
   * its work item read, reassigned and decided, a second submission recalled and a third canceled,
   * events and flow events, tokens, webhooks, shares, permission sets, deletions and definition
   * version changes.
   */
  private static void lifecycle(List<String> failures) {
    check(failures, "get", "/api/v1/me", null);
    check(failures, "get", "/health/live", null);
    check(failures, "get", "/metrics", null);
    check(failures, "get", "/openapi.yaml", null);
    for (String kind : List.of("object-type", "flow", "orchestration")) {
      check(failures, "get", "/schemas/" + kind + ".schema.json", null);
    }
    check(failures, "post", "/api/v1/tokens", "{\"username\": \"admin\", \"ttl\": \"PT1H\"}");
    check(failures, "post", "/api/v1/events/stream-tickets", null);
    check(
        failures,
        "put",
        "/api/v1/permission-sets/readers",
        "{\"name\": \"Expense readers\", \"objectPermissions\": {\"Expense\": [\"READ\"]}}");
    check(failures, "put", "/api/v1/users/sam/permission-sets/readers", null);
    check(failures, "delete", "/api/v1/users/sam/permission-sets/readers", null);
    check(failures, "delete", "/api/v1/groups/finance", null);
    check(
        failures,
        "put",
        "/api/v1/queues/Finance",
        "{\"name\": \"Finance\", \"members\":"
            + " [{\"type\": \"USER\", \"id\": \"admin\"}], \"objectTypes\": [\"Expense\"]}");

    // The admin submits; its manager maria gets the manager's approval.
    check(
        failures,
        "put",
        "/api/v1/users/admin",
        "{\"username\": \"admin\", \"displayName\": \"Administrator\", \"managerId\": \"maria\"}");
    String[] records = new String[3];
    for (int i = 0; i < records.length; i++) {
      records[i] =
          check(failures, "post", "/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD))
              .json()
              .path("id")
              .asText();
    }
    check(failures, "get", "/api/v1/records/Expense/" + records[0], null);
    check(
        failures, "patch", "/api/v1/records/Expense/" + records[0], "{\"Title\": \"Team lunch\"}");
    check(
        failures,
        "post",
        "/api/v1/records/Expense/" + records[0] + "/shares",
        "{\"granteeType\": \"USER\", \"granteeId\": \"sam\", \"access\": \"READ\"}");
    check(failures, "get", "/api/v1/records/Expense/" + records[0] + "/shares", null);
    check(failures, "delete", "/api/v1/records/Expense/" + records[0] + "/shares/USER/sam", null);

    String[] submissions = new String[3];
    String[] runs = new String[3];
    for (int i = 0; i < records.length; i++) {
      JsonNode submitted =
          check(
                  failures,
                  "post",
                  "/api/v1/submissions",
                  "{\"objectType\": \"Expense\", \"recordId\": \""
                      + records[i]
                      + "\", \"orchestration\": \"Expense_Approval\"}")
              .json();
      submissions[i] = submitted.path("id").asText();
      runs[i] = submitted.path("runId").asText();
    }
    check(failures, "get", "/api/v1/submissions/" + submissions[0], null);
    check(failures, "get", "/api/v1/runs/" + runs[0], null);
    check(failures, "get", "/api/v1/runs/" + runs[0] + "/explain", null);
    check(failures, "post", "/api/v1/runs/" + runs[0] + "/suspend", null);
    check(failures, "post", "/api/v1/runs/" + runs[0] + "/resume", null);
    check(failures, "post", "/api/v1/runs/" + runs[0] + "/retry", null);
    check(
        failures,
        "post",
        "/api/v1/runs/" + runs[0] + "/events",
        "{\"payload\": {\"reason\": \"budget approved elsewhere\"}}");
    check(
        failures,
        "post",
        "/api/v1/flow-events",
        "{\"name\": \"payment.received\", \"correlationKey\": \"O-7\", \"payload\": {}}");
    String item = awaitItem(runs[0]);
    check(failures, "get", "/api/v1/runs/" + runs[0] + "/work-items", null);
    check(failures, "get", "/api/v1/work-items/" + item, null);
    check(
        failures,
        "post",
        "/api/v1/work-items/" + item + "/reassign",
        "{\"assigneeType\": \"USER\", \"assigneeId\": \"sam\"}");
    check(
        failures,
        server.clientAs("sam"),
        "post",
        "/api/v1/work-items/" + item + "/decision",
        "{\"decision\": \"APPROVE\", \"comments\": \"Looks fine\"}");
    check(
        failures,
        "post",
        "/api/v1/submissions/" + submissions[1] + "/recall",
        "{\"comments\": \"wrong amount\"}");
    check(failures, "post", "/api/v1/submissions/" + submissions[2] + "/cancel", "{}");

    String webhook =
        check(
                failures,
                "post",
                "/api/v1/webhooks",
                "{\"url\": \"http://127.0.0.1:9/hook\", \"kinds\": [\"RUN_COMPLETED\"],"
                    + " \"secret\": \"0123456789abcdef0123\", \"enabled\": false}")
            .json()
            .path("id")
            .asText();
    check(failures, "get", "/api/v1/webhooks", null);
    check(failures, "get", "/api/v1/webhooks/" + webhook, null);
    check(
        failures,
        "put",
        "/api/v1/webhooks/" + webhook,
        "{\"url\": \"http://127.0.0.1:9/other\", \"enabled\": false}");
    check(failures, "get", "/api/v1/webhooks/" + webhook + "/deliveries", null);
    check(failures, "post", "/api/v1/webhooks/" + webhook + "/redrive", null);
    check(failures, "delete", "/api/v1/webhooks/" + webhook, null);

    check(failures, "post", "/api/v1/flows", Fixtures.demo(Fixtures.IS_LARGE));
    check(failures, "post", "/api/v1/flows/Is_Large_Expense/versions/2/activate", null);
    check(failures, "post", "/api/v1/flows/Is_Large_Expense/versions/2/deactivate", null);
    check(failures, "delete", "/api/v1/flows/Is_Large_Expense/versions/2", null);
    check(failures, "post", "/api/v1/orchestrations", Fixtures.demo(Fixtures.ORCHESTRATION));
    check(failures, "post", "/api/v1/orchestrations/Expense_Approval/versions/2/activate", null);
    check(failures, "post", "/api/v1/orchestrations/Expense_Approval/versions/2/deactivate", null);
    check(failures, "delete", "/api/v1/orchestrations/Expense_Approval/versions/2", null);
    check(failures, "delete", "/api/v1/calendars/Office", null);
    check(failures, "delete", "/api/v1/queues/desk", null);
  }

  private static String awaitItem(String runId) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonNode items = admin.get("/api/v1/runs/" + runId + "/work-items").json();
      for (JsonNode item : items.path("items").isMissingNode() ? items : items.path("items")) {
        if (item.path("status").asText().equals("ASSIGNED")) {
          return item.path("id").asText();
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no work item of run " + runId + " within 20 s");
  }

  /** Every operation of the document, as {@code "get /api/v1/runs/{id}"}. */
  private static Set<String> documentedOperations() {
    Set<String> documented = new TreeSet<>();
    openApi
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (Set.of("get", "put", "post", "patch", "delete").contains(method)) {
                            documented.add(method + " " + path.getKey());
                          }
                        }));
    return documented;
  }

  private static ApiResponse check(List<String> failures, String method, String path, String body) {
    return check(failures, admin, method, path, body);
  }

  private static ApiResponse check(
      List<String> failures, ApiClient client, String method, String path, String body) {
    ApiResponse response =
        client.send(
            method.toUpperCase(java.util.Locale.ROOT), path, Optional.ofNullable(body), Map.of());
    String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String what = method + " " + path + " -> " + response.status();
    Optional<String> template = document.template(rawPath);
    if (template.isEmpty()) {
      failures.add(what + ": no documented path");
      return response;
    }
    exercised.add(method + " " + template.get());
    JsonNode operation = openApi.path("paths").path(template.get()).path(method);
    if (body != null && response.status() / 100 == 2) {
      // What the server accepted is what the document says a client may send.
      JsonNode requestSchema =
          document
              .resolve(operation.path("requestBody"))
              .path("content")
              .path("application/json")
              .path("schema");
      if (requestSchema.isMissingNode()) {
        failures.add(what + ": accepted a body but documents no application/json request body");
      } else {
        document
            .validate(requestSchema, body)
            .forEach(error -> failures.add(what + ": request " + error));
      }
    }
    JsonNode responses = operation.path("responses");
    JsonNode documented = responses.path(Integer.toString(response.status()));
    if (documented.isMissingNode()) {
      documented = responses.path("default");
    }
    if (documented.isMissingNode()) {
      failures.add(what + ": status not documented (" + response.body() + ")");
      return response;
    }
    documented = document.resolve(documented);
    JsonNode content = documented.path("content");
    if (content.isMissingNode() || content.isEmpty() || response.body().isEmpty()) {
      return response;
    }
    String type = response.contentType().split(";")[0].trim();
    JsonNode media = content.path(type);
    if (media.isMissingNode()) {
      failures.add(what + ": content type " + type + " not documented, only " + names(content));
      return response;
    }
    if (!type.endsWith("json") || media.path("schema").isMissingNode()) {
      return response;
    }
    List<String> errors = document.validate(media.path("schema"), response.body());
    if (!errors.isEmpty()) {
      failures.add(what + ": " + errors + " in " + abbreviate(response.body()));
    }
    return response;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String abbreviate(String body) {
    return body.length() > 400 ? body.substring(0, 400) + "..." : body;
  }
}
