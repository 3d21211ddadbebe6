package io.orchestrion.engine.orchestration;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.DefinitionStatus;
import io.orchestrion.engine.api.DeployedOrchestration;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploy-time validation of orchestrations (SPEC §5.1, §10): all problems, each with its path. */
class OrchestrationValidationTest {
  private static TestDatabase database;
  private static EngineHarness harness;

  @BeforeAll
  static void setUp() {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database, EngineHarness.config(database, false));
    harness.defineExpense();
    harness.activateFlows("flow-mark-in-review.json", "flow-is-large.json");
  }

  @AfterAll
  static void tearDown() {
    harness.close();
    database.close();
  }

  private static List<Problem> problemsOf(String json, boolean activate) {
    try {
      harness.engine().orchestrations().deploy(orchestration(json), activate);
    } catch (OrchestrionException e) {
      assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.INVALID_DEFINITION.toErrorCode());
      return e.getProblems();
    }
    throw new AssertionError("deploy succeeded");
  }

  private static String withSteps(String steps) {
    return """
        {"apiName": "X", "objectType": "Expense",
         "stages": [{"name": "S1", "steps": [%s]},
                    {"name": "S2", "steps": [
                      {"name": "Other", "kind": "BACKGROUND", "flow": "Mark_In_Review"}]}]}
        """
        .formatted(steps);
  }

  private static String step(String name, String start) {
    return """
        {"name": "%s", "kind": "BACKGROUND", "flow": "Mark_In_Review",
         "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": %s}
        """
        .formatted(name, start);
  }

  private static String after(String step) {
    return "{\"type\": \"STEP_COMPLETED\", \"step\": \"" + step + "\"}";
  }

  @Test
  void stepCompletedMustNameAnotherStepOfTheSameStageWithoutCycles() {
    List<Problem> problems =
        problemsOf(
            withSteps(
                String.join(
                    ",",
                    step("Self", after("Self")),
                    step("Cross", after("Other")),
                    step("Unknown", after("Ghost")),
                    step("A", after("B")),
                    step("B", after("A")))),
            false);

    assertThat(problems)
        .extracting(Problem::path)
        .contains(
            "$.stages[0].steps[0].start.step",
            "$.stages[0].steps[1].start.step",
            "$.stages[0].steps[2].start.step",
            "$.stages[0].steps[3].start",
            "$.stages[0].steps[4].start");
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(message -> assertThat(message).contains("cannot wait for itself"))
        .anySatisfy(message -> assertThat(message).contains("unknown step 'Other'"))
        .anySatisfy(message -> assertThat(message).contains("A -> B -> A"));
  }

  @Test
  void unknownReferencesTypesAndFlowSignaturesAreReportedTogether() {
    String json =
        """
        {"apiName": "Y", "objectType": "Expense", "variables": [{"name": "v", "type": "TEXT"}],
         "stages": [{"name": "S1", "steps": [
           {"name": "One", "kind": "BACKGROUND", "flow": "Mark_In_Review",
            "inputs": {"recordId": {"ref": "$Record.Nope"}, "bogus": {"value": 1}},
            "outputs": {"category": "undeclared"},
            "start": {"type": "REQUIREMENTS_MEH"}},
           {"name": "Two", "kind": "BACKGROUND", "flow": "Is_Large_Expense"},
           {"name": "Three", "kind": "APPROVAL", "assignee": {"type": "QUEUE"}}
         ]}]}
        """;

    List<Problem> problems = problemsOf(json, true);

    assertThat(problems)
        .extracting(Problem::path)
        .contains(
            "$.stages[0].steps[0].inputs.recordId",
            "$.stages[0].steps[0].inputs.bogus",
            "$.stages[0].steps[0].outputs.category",
            "$.stages[0].steps[0].start.type",
            "$.stages[0].steps[1].flow",
            "$.stages[0].steps[2].assignee.queue");
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(message -> assertThat(message).contains("is EVALUATION"))
        .anySatisfy(
            message -> assertThat(message).contains("unknown condition type 'REQUIREMENTS_MEH'"));
  }

  @Test
  void aMissingFlowIsAWarningForADraftAndAnErrorForActivation() {
    String json =
        """
        {"apiName": "Z", "objectType": "Expense",
         "stages": [{"name": "S1", "steps": [
           {"name": "One", "kind": "BACKGROUND", "flow": "Not_Yet_Written"}]}]}
        """;

    DeployedOrchestration draft =
        harness.engine().orchestrations().deploy(orchestration(json), false);
    assertThat(draft.status()).isEqualTo(DefinitionStatus.DRAFT);
    assertThat(draft.warnings())
        .extracting(Problem::path)
        .contains("$.stages[0].steps[0].flow", "$.stages");

    assertThatThrownBy(() -> harness.engine().orchestrations().activate("Z", draft.version()))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .singleElement()
                    .satisfies(
                        problem -> {
                          assertThat(problem.path()).isEqualTo("$.stages[0].steps[0].flow");
                          assertThat(problem.message()).contains("unknown flow 'Not_Yet_Written'");
                        }));
    // Deploying the same document again is idempotent: same version.
    assertThat(harness.engine().orchestrations().deploy(orchestration(json), false).version())
        .isEqualTo(draft.version());
  }

  private static List<String> neverStartWarnings(String apiName, String steps) {
    String json =
        """
        {"apiName": "%s", "objectType": "Expense", "stages": [{"name": "S1", "steps": [%s]}]}
        """
            .formatted(apiName, steps);
    return harness.engine().orchestrations().deploy(orchestration(json), false).warnings().stream()
        .filter(problem -> problem.message().contains("may never start"))
        .map(Problem::path)
        .toList();
  }

  @Test
  void aPlainChainOfRequiredStepsDrawsNoMayNeverStartWarning() {
    String chain =
        String.join(
            ",",
            step("A", "{\"type\": \"STAGE_STARTS\"}"),
            step("B", after("A")),
            step("C", after("B")));

    assertThat(neverStartWarnings("Plain_Chain", chain)).isEmpty();
  }

  @Test
  void aRequiredStepThatCanReallyStayUnstartedStillDrawsTheWarning() {
    String gate =
        """
        {"type": "REQUIREMENTS_MET", "requirements": [
          {"left": {"ref": "$Record.Amount"}, "operator": "GREATER_THAN", "right": {"value": 100}}]}
        """;
    String optional =
        """
        {"name": "Optional", "kind": "BACKGROUND", "flow": "Mark_In_Review", "required": false,
         "inputs": {"recordId": {"ref": "$Record.Id"}}}
        """;
    String steps =
        String.join(
            ",",
            step("A", "{\"type\": \"STAGE_STARTS\"}"),
            step("Gated", gate),
            step("After_Gated", after("Gated")),
            optional,
            step("After_Optional", after("Optional")),
            step("After_A", after("A")));

    assertThat(neverStartWarnings("Gated_Chain", steps))
        .containsExactly(
            "$.stages[0].steps[1].start",
            "$.stages[0].steps[2].start",
            "$.stages[0].steps[4].start");
  }
}
