package io.orchestrion.engine.orchestration;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REQUIREMENTS_MET, EVALUATION_FLOW, approval steps and transitions at deploy (SPEC §5, §10): every
 * mistake is a problem with its JSON path, reported together.
 */
class RequirementValidationTest {
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

  private static List<Problem> problemsOf(String json) {
    try {
      harness.engine().orchestrations().deploy(orchestration(json), true);
    } catch (OrchestrionException e) {
      assertThat(e.getErrorCode()).isEqualTo(StandardErrorCode.INVALID_DEFINITION.toErrorCode());
      return e.getProblems();
    }
    throw new AssertionError("deploy succeeded");
  }

  private static String gated(String condition) {
    return """
        {"apiName": "R", "objectType": "Expense", "stages": [{"name": "S", "steps": [
          {"name": "A", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}},
          {"name": "B", "kind": "BACKGROUND", "flow": "Mark_In_Review",
           "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": %s}]}]}
        """
        .formatted(condition);
  }

  private static String requirement(String left, String operator, String right) {
    return """
        {"left": {"ref": "%s"}, "operator": "%s", "right": %s}"""
        .formatted(left, operator, right);
  }

  @Test
  void aWellFormedConditionDeploys() {
    String condition =
        """
        {"type": "REQUIREMENTS_MET", "logic": "1 AND (2 OR NOT 3)", "requirements": [%s, %s, %s]}
        """
            .formatted(
                requirement(
                    "$Step.A.outputs.approvalDecision", "EQUALS", "{\"value\": \"APPROVE\"}"),
                requirement("$Record.Amount", "GREATER_OR_EQUAL", "{\"value\": 100}"),
                requirement("$Record.Title", "STARTS_WITH", "{\"value\": \"Team\"}"));
    assertThat(
            harness
                .engine()
                .orchestrations()
                .deploy(orchestration(gated(condition)), true)
                .version())
        .isPositive();
  }

  @Test
  void elevenRequirementsAreTooMany() {
    String one = requirement("$Record.Amount", "GREATER_THAN", "{\"value\": 1}");
    String condition =
        "{\"type\": \"REQUIREMENTS_MET\", \"requirements\": [%s]}"
            .formatted(String.join(", ", Collections.nCopies(11, one)));
    assertThat(problemsOf(gated(condition)))
        .anySatisfy(
            problem -> {
              assertThat(problem.path()).isEqualTo("$.stages[0].steps[1].start.requirements");
              assertThat(problem.message()).contains("10");
            });
  }

  @Test
  void unknownReferencesAndOperatorsThatDoNotFitTheTypeAreReportedTogether() {
    String condition =
        """
        {"type": "REQUIREMENTS_MET", "requirements": [%s, %s, %s, %s]}
        """
            .formatted(
                requirement("$Step.Nope.status", "EQUALS", "{\"value\": \"COMPLETED\"}"),
                requirement("$Record.Amount", "STARTS_WITH", "{\"value\": \"1\"}"),
                requirement("$Record.Amount", "GREATER_THAN", "{\"value\": \"lots\"}"),
                requirement("$Record.Missing", "IS_NULL", "{\"value\": true}"));
    List<Problem> problems = problemsOf(gated(condition));
    assertThat(problems)
        .extracting(Problem::path)
        .contains(
            "$.stages[0].steps[1].start.requirements[0].left",
            "$.stages[0].steps[1].start.requirements[1].operator",
            "$.stages[0].steps[1].start.requirements[2].right.value",
            "$.stages[0].steps[1].start.requirements[3].left");
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(message -> assertThat(message).contains("Nope"))
        .anySatisfy(message -> assertThat(message).contains("STARTS_WITH"))
        .anySatisfy(message -> assertThat(message).contains("lots"))
        .anySatisfy(message -> assertThat(message).contains("Missing"));
  }

  @Test
  void customLogicMustParseAndMentionEveryRow() {
    String two =
        requirement("$Record.Amount", "GREATER_THAN", "{\"value\": 1}")
            + ", "
            + requirement("$Record.Amount", "LESS_THAN", "{\"value\": 9}");
    for (String logic : List.of("1 AND", "1 AND 3", "1", "(1 OR 2", "1 XOR 2", "x".repeat(1001))) {
      String condition =
          "{\"type\": \"REQUIREMENTS_MET\", \"logic\": \"%s\", \"requirements\": [%s]}"
              .formatted(logic, two);
      assertThat(problemsOf(gated(condition)))
          .as(logic)
          .anySatisfy(
              problem -> assertThat(problem.path()).isEqualTo("$.stages[0].steps[1].start.logic"));
    }
  }

  @Test
  void anEvaluationFlowConditionNeedsAnEvaluationFlowAndItsInputs() {
    List<Problem> problems =
        problemsOf(
            gated(
                """
                {"type": "EVALUATION_FLOW", "flow": "Mark_In_Review",
                 "inputs": {"amount": {"ref": "$Record.Amount"}}, "recheckEvery": "soon"}
                """));
    assertThat(problems)
        .extracting(Problem::path)
        .contains("$.stages[0].steps[1].start.flow", "$.stages[0].steps[1].start.recheckEvery");
  }

  @Test
  void anInputNameThatIsNotAnIdentifierIsBracketedInItsPath() {
    // Found by InputFuzzIT: "inputs.$amount['\\" did not parse back to the key.
    List<Problem> problems =
        problemsOf(
            gated(
                """
                {"type": "EVALUATION_FLOW", "flow": "Is_Large_Expense",
                 "inputs": {"$amount['\\\\": {"value": 1}, "no such": {"value": 2}}}
                """));
    assertThat(problems)
        .extracting(Problem::path)
        .contains(
            "$.stages[0].steps[1].start.inputs['$amount[\\'\\\\']",
            "$.stages[0].steps[1].start.inputs['no such']");
  }

  @Test
  void transitionsMustGoSomewhereThatExists() {
    String json =
        """
        {"apiName": "T", "objectType": "Expense", "stages": [{"name": "S", "steps": [
           {"name": "A", "kind": "APPROVAL", "assignee": {"type": "SUBMITTER_MANAGER"},
            "dueIn": "tomorrow"}],
          "transitions": [{"when": [], "goTo": "Nowhere"}]}]}
        """;
    List<Problem> problems = problemsOf(json);
    assertThat(problems)
        .extracting(Problem::path)
        .contains("$.stages[0].transitions[0].goTo", "$.stages[0].steps[0].dueIn");
  }
}
