package io.orchestrion.server.api;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.ApiResponse;
import io.orchestrion.server.testing.Fixtures;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The business calendar endpoints over a real socket (H2): create, replace, read, list, delete; bad
 * input is 400/422 naming the JSON path; a calendar an active orchestration uses cannot be deleted
 * (409); changes need MANAGE_DEFINITIONS, reading does not.
 */
class CalendarApiIT {
  private static final String OFFICE =
      """
      {"name": "Office", "timeZone": "Europe/Berlin",
       "workingDays": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
       "workStart": "09:00", "workEnd": "17:00", "holidays": ["2025-12-25", "2025-12-26"]}
      """;

  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabaseKind.H2);
    admin = server.client();
    expect(admin.put("/api/v1/object-types/Expense", Fixtures.demo(Fixtures.EXPENSE_TYPE)), 201);
    server.createUser(User.of("nora", "Nora (no permissions)"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCalendarIsCreatedReplacedReadListedAndDeleted() {
    JsonNode created = expect(admin.put("/api/v1/calendars/Office", OFFICE), 201).json();
    assertThat(created.path("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(created.path("workStart").asText()).isEqualTo("09:00");
    assertThat(created.path("holidays").get(1).asText()).isEqualTo("2025-12-26");

    // Defaults: Monday to Friday, no holidays.
    JsonNode replaced =
        expect(
                admin.put(
                    "/api/v1/calendars/Office",
                    """
                    {"name": "Office", "timeZone": "UTC", "workStart": "08:00",
                     "workEnd": "16:30"}
                    """),
                200)
            .json();
    assertThat(replaced.path("workingDays")).hasSize(5);
    assertThat(replaced.path("holidays")).isEmpty();

    JsonNode read = expect(server.clientAs("nora").get("/api/v1/calendars/Office"), 200).json();
    assertThat(read.path("workEnd").asText()).isEqualTo("16:30");
    expect(admin.put("/api/v1/calendars/Plant-2", OFFICE.replace("Office", "Plant-2")), 201);
    JsonNode list = expect(admin.get("/api/v1/calendars"), 200).json().path("items");
    // By name; other tests of this class may have added calendars of their own.
    assertThat(list.findValuesAsText("name")).containsSubsequence("Office", "Plant-2").isSorted();

    expect(delete(admin, "/api/v1/calendars/Plant-2"), 204);
    expect(admin.get("/api/v1/calendars/Plant-2"), 404);
    expect(delete(admin, "/api/v1/calendars/Plant-2"), 404);
  }

  @Test
  void badCalendarsNameTheirJsonPaths() {
    ApiResponse semantic =
        expect(
            admin.put(
                "/api/v1/calendars/Bad",
                """
                {"name": "Other", "timeZone": "Mars/Base", "workingDays": [],
                 "workStart": "17:00", "workEnd": "09:00"}
                """),
            422);
    assertThat(problemPaths(semantic))
        .containsExactly("$.name", "$.timeZone", "$.workingDays", "$.workEnd");

    ApiResponse shape =
        admin.put(
            "/api/v1/calendars/Bad",
            """
            {"name": "Bad", "timeZone": "UTC", "workingDays": ["FUNDAY"],
             "workStart": "09:00", "workEnd": "17:00"}
            """);
    assertThat(shape.status()).as(shape.toString()).isIn(400, 422);
    assertThat(problemPaths(shape)).containsExactly("$.workingDays[0]");

    ApiResponse time =
        admin.put(
            "/api/v1/calendars/Bad",
            """
            {"name": "Bad", "timeZone": "UTC", "workStart": "9 o'clock", "workEnd": "17:00"}
            """);
    assertThat(time.status()).as(time.toString()).isIn(400, 422);
    assertThat(problemPaths(time)).containsExactly("$.workStart");

    ApiResponse missing = admin.put("/api/v1/calendars/Bad", "{\"name\": \"Bad\"}");
    assertThat(missing.status()).as(missing.toString()).isIn(400, 422);
    assertThat(problemPaths(missing)).isNotEmpty().allMatch(path -> path.startsWith("$"));

    expect(admin.put("/api/v1/calendars/Bad", "{\"name\": "), 400);
    expect(admin.get("/api/v1/calendars/Bad"), 404);
  }

  @Test
  void aCalendarInUseCannotBeDeletedAndAnUnknownOneCannotBeUsed() {
    expect(admin.put("/api/v1/calendars/Used", OFFICE.replace("Office", "Used")), 201);
    String orchestration =
        """
        {"apiName": "Calendar_Use", "objectType": "Expense", "stages": [{"name": "S", "steps": [
          {"name": "Review", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "admin"},
           "calendar": "%s", "dueIn": "P2D",
           "escalation": [{"after": "P1D", "action": "REMIND"}]}]}]}
        """;
    ApiResponse unknown =
        expect(
            admin.post("/api/v1/orchestrations?activate=true", orchestration.formatted("Nope")),
            422);
    assertThat(problemPaths(unknown)).containsExactly("$.stages[0].steps[0].calendar");

    expect(
        admin.post("/api/v1/orchestrations?activate=true", orchestration.formatted("Used")), 201);
    ApiResponse conflict = expect(delete(admin, "/api/v1/calendars/Used"), 409);
    assertThat(conflict.json().path("detail").asText())
        .contains("Calendar_Use")
        .contains("$.stages[0].steps[0].calendar");
    expect(admin.get("/api/v1/calendars/Used"), 200);
  }

  @Test
  void changingCalendarsNeedsManageDefinitions() {
    ApiClient nora = server.clientAs("nora");
    for (ApiResponse response :
        List.of(
            nora.put("/api/v1/calendars/Office", OFFICE),
            delete(nora, "/api/v1/calendars/Office"))) {
      assertThat(response.status()).as(response.body()).isEqualTo(403);
      assertThat(response.json().path("detail").asText()).contains("MANAGE_DEFINITIONS");
    }
    expect(nora.get("/api/v1/calendars"), 200);
  }

  private static ApiResponse delete(ApiClient client, String path) {
    return client.send("DELETE", path, Optional.empty(), Map.of());
  }

  private static List<String> problemPaths(ApiResponse response) {
    List<String> paths = new ArrayList<>();
    for (JsonNode problem : response.json().path("problems")) {
      paths.add(problem.path("path").asText());
    }
    return paths;
  }
}
