package io.orchestrion.engine.definitions;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static io.orchestrion.engine.testing.EngineHarness.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DefinitionStatus;
import io.orchestrion.engine.api.DeployedFlow;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deactivating and deleting versions, and activating flow versions against the active
 * orchestrations that use them (SPEC §2, issue 8 §8), through a real engine on a real database. One
 * engine for the class; each test deploys its own flow and orchestration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DefinitionLifecycleContract {
  /** Marks the record (flow Mark_In_Review, whose output it keeps), then waits for bob. */
  private static final String LIFE =
      """
      {"apiName": "%s", "objectType": "Expense",
       "variables": [{"name": "category", "type": "TEXT"}],
       "stages": [{"name": "Only", "steps": [
         {"name": "Mark", "kind": "BACKGROUND", "flow": "%s",
          "inputs": {"recordId": {"ref": "$Record.Id"}}, "outputs": {"category": "category"}},
         {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"},
          "start": {"type": "STEP_COMPLETED", "step": "Mark"}}]}]}
      """;

  private final AtomicInteger worlds = new AtomicInteger();
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;
  // Each test has its own flow and orchestration ("Mark_3" used by "Life_3") in the shared engine.
  private String mark;
  private String life;

  protected abstract TestDatabaseKind kind();

  @BeforeAll
  void setUp() {
    database = TestDatabases.create(kind());
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    engine = harness.engine();
    harness.defineExpense();
    engine.directory().saveUser(User.of("bob", "Bob"));
    engine.directory().saveUser(User.of("alice", "Alice").withManager("bob"));
  }

  @BeforeEach
  void deployWorld() {
    int world = worlds.incrementAndGet();
    mark = "Mark_" + world;
    life = "Life_" + world;
    engine.flows().deploy(read(markFixture(), FlowDefinition.class), true);
    engine.orchestrations().deploy(orchestration(lifeDefinition(life)), true);
  }

  @AfterAll
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  private String markFixture() {
    return fixture("flow-mark-in-review.json").replace("Mark_In_Review", mark);
  }

  private String lifeDefinition(String apiName) {
    return LIFE.formatted(apiName, mark);
  }

  @Test
  void deactivatingAFlowThatActiveOrchestrationsUseIsRefusedNamingEveryUser() {
    engine.orchestrations().deploy(orchestration(lifeDefinition(life + "_Two")), true);

    OrchestrionException refused =
        catchThrowableOfType(OrchestrionException.class, () -> engine.flows().deactivate(mark, 1));

    assertThat(refused.getErrorCode().name()).isEqualTo("CONFLICT");
    assertThat(refused)
        .hasMessageContaining("Flow '" + mark + "' version 1 is used by")
        .hasMessageContaining("orchestration '" + life + "' version 1, step 'Mark'")
        .hasMessageContaining("orchestration '" + life + "_Two' version 1, step 'Mark'");
    assertThat(engine.flows().version(mark, 1).status()).isEqualTo(DefinitionStatus.ACTIVE);

    engine.orchestrations().deactivate(life, 1);
    engine.orchestrations().deactivate(life + "_Two", 1);
    DeployedFlow deactivated = engine.flows().deactivate(mark, 1);

    assertThat(deactivated.status()).isEqualTo(DefinitionStatus.INACTIVE);
    assertThat(engine.orchestrations().version(life, 1).status())
        .isEqualTo(DefinitionStatus.INACTIVE);
    // Without an active version, submissions are refused.
    OrchestrionException noActive =
        catchThrowableOfType(OrchestrionException.class, () -> submit(expense("10")));
    assertThat(noActive).hasMessageContaining("An active version of orchestration '" + life + "'");
  }

  @Test
  void anEvaluationFlowCannotReplaceTheAutolaunchedFlowAnOrchestrationLaunches() {
    // The repro of issue 8: same api name, EVALUATION, no recordId input, ?activate=true.
    FlowDefinition evaluation =
        read(fixture("flow-is-large.json").replace("Is_Large_Expense", mark), FlowDefinition.class);

    OrchestrionException refused =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.flows().deploy(evaluation, true));

    assertThat(refused.getErrorCode().name()).isEqualTo("INVALID_DEFINITION");
    assertThat(refused.getProblems())
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "$.stages[0].steps[0].flow",
                "orchestration '"
                    + life
                    + "' version 1, step 'Mark': flow '"
                    + mark
                    + "' is EVALUATION;"
                    + " background steps launch AUTOLAUNCHED flows"));
    assertThat(engine.flows().versions(mark))
        .extracting(DeployedFlow::version, DeployedFlow::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, DefinitionStatus.ACTIVE));

    // Deployed as a draft it is kept, and activating it later is refused the same way.
    DeployedFlow draft = engine.flows().deploy(evaluation, false);
    OrchestrionException activation =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.flows().activate(mark, draft.version()));
    assertThat(activation.getProblems()).hasSize(1);
    assertThat(engine.flows().version(mark, 1).status()).isEqualTo(DefinitionStatus.ACTIVE);
  }

  @Test
  void aFlowVersionWithoutAMappedInputOrWithAnOutputOfAnotherTypeIsRefused() {
    String markInReview = markFixture();
    FlowDefinition noRecordId =
        read(
            markInReview
                .replace(
                    "\"name\": \"recordId\", \"type\": \"TEXT\", \"input\": true",
                    "\"name\":" + " \"recordId\", \"type\": \"TEXT\"")
                .replace(
                    "{\"name\": \"category\", \"type\": \"TEXT\", \"output\": true}",
                    "{\"name\":"
                        + " \"category\", \"type\": \"TEXT\", \"output\": true}, {\"name\": \"id\","
                        + " \"type\": \"TEXT\", \"input\": true}"),
            FlowDefinition.class);
    OrchestrionException missingInput =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.flows().deploy(noRecordId, true));
    assertThat(missingInput.getProblems())
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "$.stages[0].steps[0].inputs.recordId",
                "orchestration '"
                    + life
                    + "' version 1, step 'Mark': flow '"
                    + mark
                    + "' has no input"
                    + " variable 'recordId'"));

    FlowDefinition numericCategory =
        read(
            markInReview.replace(
                "{\"name\": \"category\", \"type\": \"TEXT\", \"output\": true}",
                "{\"name\": \"category\", \"type\": \"TEXT\"}, {\"name\": \"score\","
                    + " \"type\": \"NUMBER\", \"output\": true}"),
            FlowDefinition.class);
    OrchestrionException missingOutput =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.flows().deploy(numericCategory, true));
    assertThat(missingOutput.getProblems())
        .extracting(Problem::message)
        .containsExactly(
            "orchestration '"
                + life
                + "' version 1, step 'Mark': flow '"
                + mark
                + "' has no output"
                + " variable 'category'");

    FlowDefinition numericOutput =
        read(
            markInReview
                .replace(
                    "{\"name\": \"category\", \"type\": \"TEXT\", \"output\": true}",
                    "{\"name\": \"category\", \"type\": \"NUMBER\", \"output\": true},"
                        + " {\"name\": \"label\", \"type\": \"TEXT\"}")
                .replace("\"target\": \"category\"", "\"target\": \"label\"")
                .replace("\"value\": {\"ref\": \"category\"}", "\"value\": {\"ref\": \"label\"}"),
            FlowDefinition.class);
    OrchestrionException wrongType =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.flows().deploy(numericOutput, true));
    assertThat(wrongType.getProblems())
        .extracting(Problem::path, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "$.stages[0].steps[0].outputs.category",
                "orchestration '"
                    + life
                    + "' version 1, step 'Mark': output variable 'category' of flow"
                    + " '"
                    + mark
                    + "' is NUMBER but orchestration variable 'category' is"
                    + " TEXT"));

    // A compatible version (an extra optional input) activates.
    FlowDefinition compatible =
        read(
            markInReview.replace(
                "{\"name\": \"category\", \"type\": \"TEXT\", \"output\": true}",
                "{\"name\": \"category\", \"type\": \"TEXT\", \"output\": true},"
                    + " {\"name\": \"note\", \"type\": \"TEXT\", \"input\": true}"),
            FlowDefinition.class);
    assertThat(engine.flows().deploy(compatible, true).status()).isEqualTo(DefinitionStatus.ACTIVE);
  }

  @Test
  void activeAndUsedVersionsCannotBeDeletedOthersCan() {
    OrchestrionException active =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.orchestrations().delete(life, 1));
    assertThat(active).hasMessageContaining("Orchestration '" + life + "' version 1 is active");

    SubmissionView submission = submit(expense("10"));
    engine.orchestrations().deactivate(life, 1);
    OrchestrionException used =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.orchestrations().delete(life, 1));
    assertThat(used.getErrorCode().name()).isEqualTo("CONFLICT");
    assertThat(used)
        .hasMessageContaining("is still used by run " + submission.runId() + " (IN_PROGRESS)");

    engine.submissions().recall(submission.id(), Optional.empty(), "alice");
    engine.orchestrations().delete(life, 1);

    OrchestrionException gone =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.orchestrations().version(life, 1));
    assertThat(gone.getErrorCode().name()).isEqualTo("NOT_FOUND");
    // The flow is no longer used by an active orchestration: deactivate, then delete it.
    engine.flows().deactivate(mark, 1);
    engine.flows().delete(mark, 1);
    assertThat(
            catchThrowableOfType(OrchestrionException.class, () -> engine.flows().versions(mark)))
        .hasMessageContaining("Flow '" + mark + "' not found");
  }

  @Test
  void aFlowVersionAPausedInterviewRunsCannotBeDeleted() {
    harness.activateFlows("flow-await-audit.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Audit", "objectType": "Expense", "stages": [{"name": "Only",
                  "steps": [{"name": "Await", "kind": "BACKGROUND", "flow": "Await_Audit",
                             "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                """),
            true);
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    "Expense", expense("10").id().orElseThrow(), "Audit", Optional.empty()),
                "alice");
    RunView run = engine.runs().get(submission.runId());
    assertThat(run.stages().get(0).steps())
        .extracting(RunView.Step::status)
        .containsExactly(StepStatus.IN_PROGRESS);
    FlowDefinition second =
        read(fixture("flow-await-audit.json").replace("PT3S", "PT4S"), FlowDefinition.class);
    engine.flows().deploy(second, true);

    OrchestrionException used =
        catchThrowableOfType(
            OrchestrionException.class, () -> engine.flows().delete("Await_Audit", 1));

    assertThat(used.getErrorCode().name()).isEqualTo("CONFLICT");
    assertThat(used)
        .hasMessageContaining(
            "Flow 'Await_Audit' version 1 is still used by the interview of step 'Await' of run "
                + submission.runId());
  }

  @Test
  void fiftyVersionsAreKeptDeletingOneMakesRoomForTheNext() {
    String template = fixture("flow-is-large.json").replace("Is_Large_Expense", "Threshold");
    for (int i = 1; i <= 50; i++) {
      engine.flows().deploy(threshold(template, i), false);
    }
    OrchestrionException full =
        catchThrowableOfType(
            OrchestrionException.class,
            () -> engine.flows().deploy(threshold(template, 51), false));
    assertThat(full.getErrorCode().name()).isEqualTo("LIMIT_EXCEEDED");
    assertThat(full).hasMessageContaining("delete an old inactive version");

    engine.flows().delete("Threshold", 7);
    DeployedFlow next = engine.flows().deploy(threshold(template, 51), false);

    assertThat(next.version()).isEqualTo(51);
    assertThat(engine.flows().versions("Threshold")).hasSize(50);
  }

  @Test
  void aRunTimeInputMismatchBlamesTheStepsInputMappingNotAnElement() {
    harness.activateFlows("flow-is-large.json");
    engine
        .flows()
        .deploy(
            read(
                """
                {"apiName": "Takes_Number", "type": "AUTOLAUNCHED",
                 "variables": [{"name": "amount", "type": "NUMBER", "input": true},
                               {"name": "twice", "type": "NUMBER", "output": true}],
                 "start": "Double",
                 "elements": [{"type": "Assignment", "name": "Double", "assignments": [
                   {"target": "twice", "operator": "SET", "value": {"ref": "amount"}}]}]}
                """,
                FlowDefinition.class),
            true);
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Mismatch", "objectType": "Expense", "stages": [{"name": "Only",
                  "steps": [{"name": "Calc", "kind": "BACKGROUND", "flow": "Takes_Number",
                             "inputs": {"amount": {"value": "not a number"}}}]}]}
                """),
            true);

    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    "Expense", expense("10").id().orElseThrow(), "Mismatch", Optional.empty()),
                "alice");

    RunView.Step calc = engine.runs().get(submission.runId()).stages().get(0).steps().get(0);
    assertThat(calc.status()).isEqualTo(StepStatus.ERROR);
    assertThat(calc.error().orElseThrow())
        .startsWith("step 'Calc' input mapping does not fit flow Takes_Number v1: $.amount:")
        .doesNotContain("element");
  }

  private static FlowDefinition threshold(String template, int amount) {
    return read(template.replace("5000", Integer.toString(amount * 100)), FlowDefinition.class);
  }

  private RecordData expense(String amount) {
    return engine
        .records()
        .create(
            "Expense",
            Map.of("Title", "Conference", "Amount", new BigDecimal(amount), "Status", "Draft"),
            "alice");
  }

  private SubmissionView submit(RecordData record) {
    return engine
        .submissions()
        .submit(
            new SubmitRequest("Expense", record.id().orElseThrow(), life, Optional.empty()),
            "alice");
  }
}
