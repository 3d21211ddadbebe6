package io.orchestrion.engine;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static io.orchestrion.engine.testing.EngineHarness.flow;
import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static io.orchestrion.engine.testing.EngineHarness.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.api.DefinitionStatus;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.directory.SystemPermission;
import io.orchestrion.spi.directory.User;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may change definitions and business calendars is the engine's decision (issue #9): every
 * change an embedder makes on a caller's behalf is refused without MANAGE_DEFINITIONS, with the
 * message the HTTP API shows (HttpAuthMatrixIT), before anything else is checked, and changes
 * nothing. pat holds MANAGE_DEFINITIONS; nora holds nothing; old holds it but is inactive.
 */
class DefinitionAccessH2Test {
  private static final String DEPLOY = "deploy or activate definitions";
  private static final String RETIRE = "deactivate or delete definition versions";
  private static final String CALENDARS = "manage business calendars";
  private static final String REVIEW =
      """
      {"apiName": "Access_Review", "objectType": "Expense", "stages": [{"name": "Review",
        "steps": [{"name": "Approve", "kind": "APPROVAL",
                   "assignee": {"type": "USER", "userId": "pat"}}]}]}
      """;
  private static final BusinessCalendar OFFICE =
      new BusinessCalendar("Office", "UTC", null, LocalTime.of(9, 0), LocalTime.of(17, 0), null);

  private final SecurityContext pat = SecurityContext.of("pat", RunMode.USER);
  private final SecurityContext nora = SecurityContext.of("nora", RunMode.USER);
  private final SecurityContext old = SecurityContext.of("old", RunMode.USER);
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    DirectoryService directory = engine.directory();
    directory.savePermissionSet(
        EngineHarness.systemPermissionSet("definers", SystemPermission.MANAGE_DEFINITIONS));
    directory.saveUser(User.of("pat", "Pat Permitted"));
    directory.assign("pat", "definers");
    directory.saveUser(User.of("nora", "Nora Nothing"));
    directory.saveUser(User.of("old", "Old Definer").withActive(false));
    directory.assign("old", "definers");
    // pat defines what the refused calls would change, through the same checked methods.
    engine.objectTypes().define(pat, expense());
    engine.flows().deploy(pat, flow("flow-mark-in-review.json"), true);
    engine.orchestrations().deploy(pat, orchestration(REVIEW), true);
    engine.calendars().put(pat, "Office", OFFICE);
  }

  @AfterEach
  void tearDown() {
    harness.close();
    database.close();
  }

  @Test
  void everyChangeWithoutManageDefinitionsIsRefusedWithTheApisMessageAndChangesNothing() {
    for (SecurityContext caller : List.of(nora, old)) {
      Map<ThrowingCallable, String> refused = refusedCalls(caller);
      refused.forEach(
          (call, action) ->
              assertThatThrownBy(call)
                  .isInstanceOfSatisfying(
                      OrchestrionException.class,
                      e -> assertThat(e.getErrorCode().name()).isEqualTo("PERMISSION_DENIED"))
                  .hasMessage(
                      "user '%s' may not %s: that needs the system permission MANAGE_DEFINITIONS",
                      caller.userId(), action));
      assertThat(refused).hasSize(11);
    }

    assertThat(engine.objectTypes().find("Expense").orElseThrow().fields())
        .hasSameSizeAs(expense().fields());
    assertThat(engine.flows().versions("Mark_In_Review"))
        .singleElement()
        .satisfies(v -> assertThat(v.status()).isEqualTo(DefinitionStatus.ACTIVE));
    assertThat(engine.orchestrations().versions("Access_Review"))
        .singleElement()
        .satisfies(v -> assertThat(v.status()).isEqualTo(DefinitionStatus.ACTIVE));
    assertThat(engine.calendars().list()).containsExactly(OFFICE);
  }

  @Test
  void theRefusalComesBeforeAnyValidation() {
    // Each of these is invalid or unknown; the caller without the right learns nothing of it.
    List<ThrowingCallable> calls =
        List.of(
            () ->
                engine
                    .orchestrations()
                    .deploy(nora, orchestration(REVIEW.replace("\"Expense\"", "\"Nope\"")), true),
            () -> engine.flows().activate(nora, "No_Such_Flow", 7),
            () -> engine.orchestrations().delete(nora, "No_Such_Orchestration", 1),
            () -> engine.calendars().put(nora, "Other", OFFICE),
            () -> engine.calendars().delete(nora, "No_Such_Calendar"));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOfSatisfying(
              OrchestrionException.class,
              e -> assertThat(e.getErrorCode().name()).isEqualTo("PERMISSION_DENIED"));
    }
  }

  @Test
  void aHolderOfManageDefinitionsMakesEveryChange() {
    engine.orchestrations().deactivate(pat, "Access_Review", 1);
    engine.orchestrations().delete(pat, "Access_Review", 1);
    assertNotFound(() -> engine.orchestrations().version("Access_Review", 1));
    engine.flows().deactivate(pat, "Mark_In_Review", 1);
    engine.flows().activate(pat, "Mark_In_Review", 1);
    assertThat(engine.flows().version("Mark_In_Review", 1).status())
        .isEqualTo(DefinitionStatus.ACTIVE);
    engine.flows().deactivate(pat, "Mark_In_Review", 1);
    engine.flows().delete(pat, "Mark_In_Review", 1);
    assertNotFound(() -> engine.flows().version("Mark_In_Review", 1));
    engine.objectTypes().define(pat, expense());
    engine.calendars().delete(pat, "Office");
    assertThat(engine.calendars().list()).isEmpty();
  }

  /** Each change on {@code caller}'s behalf, with the action its refusal names. */
  private Map<ThrowingCallable, String> refusedCalls(SecurityContext caller) {
    return Map.ofEntries(
        Map.entry(() -> engine.objectTypes().define(caller, expense()), DEPLOY),
        Map.entry(
            () -> engine.flows().deploy(caller, flow("flow-mark-in-review.json"), false), DEPLOY),
        Map.entry(() -> engine.flows().activate(caller, "Mark_In_Review", 1), DEPLOY),
        Map.entry(() -> engine.flows().deactivate(caller, "Mark_In_Review", 1), RETIRE),
        Map.entry(() -> engine.flows().delete(caller, "Mark_In_Review", 1), RETIRE),
        Map.entry(
            () -> engine.orchestrations().deploy(caller, orchestration(REVIEW), false), DEPLOY),
        Map.entry(() -> engine.orchestrations().activate(caller, "Access_Review", 1), DEPLOY),
        Map.entry(() -> engine.orchestrations().deactivate(caller, "Access_Review", 1), RETIRE),
        Map.entry(() -> engine.orchestrations().delete(caller, "Access_Review", 1), RETIRE),
        Map.entry(() -> engine.calendars().put(caller, "Office", OFFICE), CALENDARS),
        Map.entry(() -> engine.calendars().delete(caller, "Office"), CALENDARS));
  }

  private static void assertNotFound(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().name()).isEqualTo("NOT_FOUND"));
  }

  private static ObjectTypeDefinition expense() {
    return read(fixture("expense.object.json"), ObjectTypeDefinition.class);
  }
}
