package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.run.ExecutionMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowAnalyzerTest {
  private final ActionRegistry actions =
      SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "log");
  private final FlowAnalyzer analyzer = new FlowAnalyzer();

  private FlowAnalysis analyze(String json) {
    return analyzer.analyze(Fixtures.PARSER.parse(json), environment);
  }

  private static String flow(String variables, String start, String elements) {
    return """
        {"apiName": "Test_Flow", "type": "AUTOLAUNCHED",
         "variables": [%s], "start": "%s", "elements": [%s]}"""
        .formatted(variables, start, elements);
  }

  @Test
  void markInReviewIsSynchronous() {
    FlowAnalysis analysis =
        analyzer.analyze(Fixtures.flow("flow-mark-in-review.json"), environment);

    assertThat(analysis.errors()).isEmpty();
    assertThat(analysis.valid()).isTrue();
    assertThat(analysis.mode()).isEqualTo(ExecutionMode.SYNC);
    assertThat(analysis.asyncReasons()).isEmpty();
  }

  @Test
  void scoreRiskIsAsynchronousBecauseOfItsActionAndWait() {
    FlowAnalysis analysis = analyzer.analyze(Fixtures.flow("flow-score-risk.json"), environment);

    assertThat(analysis.errors()).isEmpty();
    assertThat(analysis.mode()).isEqualTo(ExecutionMode.ASYNC);
    assertThat(analysis.asyncReasons())
        .containsExactly(new AsyncReason("Notify", "Action"), new AsyncReason("Cool_Off", "Wait"));
  }

  @Test
  void isLargeExpenseIsAValidEvaluationFlowWithAWarningForItsMissingDefaultPath() {
    FlowAnalysis analysis = analyzer.analyze(Fixtures.flow("flow-is-large.json"), environment);

    assertThat(analysis.errors()).isEmpty();
    assertThat(analysis.mode()).isEqualTo(ExecutionMode.SYNC);
    assertThat(analysis.warnings()).extracting(Problem::path).containsExactly("$.elements[0]");
    assertThat(analysis.warnings().getFirst().message()).contains("'Check'", "no default path");
  }

  @Test
  void reportsEveryBrokenConnectorAndTheUnreachableElementAtOnce() {
    FlowAnalysis analysis =
        analyze(
            flow(
                "{\"name\": \"n\", \"type\": \"NUMBER\"}",
                "A",
                """
                {"type": "Assignment", "name": "A", "next": "Nowhere",
                 "assignments": [{"target": "n", "value": {"value": 1}}]},
                {"type": "Decision", "name": "D", "defaultNext": "Elsewhere",
                 "outcomes": [{"name": "o", "next": "Missing",
                   "requirements": [{"left": {"ref": "n"}, "operator": "EQUALS", "right": {"value": 1}}]}]}
                """));

    assertThat(analysis.errors())
        .containsExactly(
            new Problem("$.elements[0].next", "unknown element 'Nowhere'"),
            new Problem("$.elements[1].outcomes[0].next", "unknown element 'Missing'"),
            new Problem("$.elements[1].defaultNext", "unknown element 'Elsewhere'"),
            new Problem("$.elements[1]", "element 'D' is unreachable from the start element 'A'"));
  }

  @Test
  void reportsUnknownStartAndDuplicateNames() {
    FlowAnalysis analysis =
        analyze(
            flow(
                "{\"name\": \"n\", \"type\": \"NUMBER\"}, {\"name\": \"n\", \"type\": \"TEXT\"}",
                "Begin",
                """
                {"type": "Assignment", "name": "A", "assignments": [{"target": "n", "value": {"value": 1}}]},
                {"type": "Assignment", "name": "A", "assignments": [{"target": "n", "value": {"value": 2}}]}
                """));

    assertThat(analysis.errors())
        .contains(
            new Problem("$.variables[1].name", "duplicate variable 'n'"),
            new Problem("$.elements[1].name", "duplicate element 'A'"),
            new Problem("$.start", "unknown start element 'Begin'"));
  }

  @Test
  void checksReferencesFieldsAndTypes() {
    FlowAnalysis analysis =
        analyze(
            flow(
                """
                {"name": "amount", "type": "CURRENCY"},
                {"name": "flag", "type": "BOOLEAN"},
                {"name": "expense", "type": "RECORD", "objectType": "Expense"}""",
                "A",
                """
                {"type": "Assignment", "name": "A", "next": "D", "assignments": [
                  {"target": "amount", "value": {"value": "lots"}},
                  {"target": "flag", "value": {"ref": "amount"}},
                  {"target": "expense.Colour", "value": {"value": "red"}},
                  {"target": "ghost", "value": {"value": 1}},
                  {"target": "expense.Status", "value": {"value": "Lost"}},
                  {"target": "expense.Id", "value": {"value": "x"}}]},
                {"type": "Decision", "name": "D", "defaultNext": "G", "outcomes": [{"name": "o",
                   "requirements": [{"left": {"ref": "flag"}, "operator": "GREATER_THAN", "right": {"value": true}}]}]},
                {"type": "GetRecords", "name": "G", "objectType": "Invoice", "into": "expense", "firstOnly": true}
                """));

    assertThat(analysis.errors())
        .containsExactly(
            new Problem("$.elements[0].assignments[0].value", "expected CURRENCY, got 'lots'"),
            new Problem(
                "$.elements[0].assignments[1].value", "'amount' is CURRENCY, expected BOOLEAN"),
            new Problem(
                "$.elements[0].assignments[2].target",
                "object type 'Expense' has no field 'Colour'"),
            new Problem("$.elements[0].assignments[3].target", "unknown variable 'ghost'"),
            new Problem(
                "$.elements[0].assignments[4].value",
                "'Lost' is not a value of picklist field 'Status' "
                    + "[Draft, In Review, Checked, Approved, Rejected]"),
            new Problem(
                "$.elements[0].assignments[5].target", "'Id' is a system field and cannot be set"),
            new Problem(
                "$.elements[1].outcomes[0].requirements[0].operator",
                "GREATER_THAN needs a number, currency, date or date-time, 'flag' is BOOLEAN"),
            new Problem("$.elements[2].objectType", "unknown object type 'Invoice'"),
            new Problem(
                "$.elements[2].into",
                "variable 'expense' is RECORD(Expense), expected RECORD(Invoice) (firstOnly)"));
  }

  @Test
  void checksActionsAndTheirInputs() {
    FlowAnalysis analysis =
        analyze(
            flow(
                "{\"name\": \"n\", \"type\": \"NUMBER\"}",
                "A",
                """
                {"type": "Action", "name": "A", "action": "log", "next": "B",
                 "inputs": {"text": {"value": "hello"}}},
                {"type": "Action", "name": "B", "action": "mail.send", "next": "C"},
                {"type": "Action", "name": "C", "action": "log", "inputs": {"message": {"ref": "n"}}}
                """));

    assertThat(analysis.errors())
        .containsExactly(
            new Problem(
                "$.elements[0].inputs.text",
                "action 'log' has no input 'text' (inputs: [message])"),
            new Problem("$.elements[0].inputs", "missing required input 'message' of action 'log'"),
            new Problem("$.elements[1].action", "unknown action 'mail.send'"),
            new Problem("$.elements[2].inputs.message", "'n' is NUMBER, expected TEXT"));
    assertThat(analysis.mode()).isEqualTo(ExecutionMode.ASYNC);
  }

  @Test
  void evaluationFlowsMustBePureAndAnswerOneBooleanQuestion() {
    FlowAnalysis analysis =
        analyze(
            """
            {"apiName": "Bad_Gate", "type": "EVALUATION",
             "variables": [{"name": "answer", "type": "BOOLEAN", "output": true}],
             "start": "W",
             "elements": [{"type": "Wait", "name": "W", "duration": "PT1M"}]}""");

    assertThat(analysis.errors())
        .containsExactly(
            new Problem(
                "$.variables",
                "an EVALUATION flow has exactly one output, the BOOLEAN variable"
                    + " 'isOrchestrationConditionMet'; found [answer]"),
            new Problem(
                "$.elements[0].type",
                "an EVALUATION flow must be free of side effects: Wait element 'W' is not allowed"));
  }

  @Test
  void customLogicMustParseAndMentionEveryRow() {
    String requirement =
        "{\"left\": {\"ref\": \"n\"}, \"operator\": \"GREATER_THAN\", \"right\": {\"value\": 1}}";
    FlowAnalysis analysis =
        analyze(
            flow(
                "{\"name\": \"n\", \"type\": \"NUMBER\"}",
                "D",
                """
                {"type": "Decision", "name": "D", "outcomes": [
                  {"name": "a", "logic": "1 AND (2", "requirements": [%1$s, %1$s]},
                  {"name": "b", "logic": "1 OR 2", "requirements": [%1$s, %1$s, %1$s]}]}
                """
                    .formatted(requirement)));

    assertThat(analysis.errors())
        .containsExactly(
            new Problem("$.elements[0].outcomes[0].logic", "missing ')' in logic"),
            new Problem(
                "$.elements[0].outcomes[1].logic",
                "logic '1 OR 2' does not mention requirement(s) [3]"));
  }

  @Test
  void subflowsAreCheckedAgainstTheActiveSignature() {
    environment.withActiveFlow(
        Fixtures.PARSER.parse(
            """
            {"apiName": "Child", "type": "AUTOLAUNCHED",
             "variables": [{"name": "x", "type": "NUMBER", "input": true},
                           {"name": "y", "type": "TEXT", "output": true}],
             "start": "S", "elements": [{"type": "Subflow", "name": "S", "flow": "Parent"}]}"""));
    FlowAnalysis analysis =
        analyze(
            """
            {"apiName": "Parent", "type": "AUTOLAUNCHED",
             "variables": [{"name": "n", "type": "NUMBER"}],
             "start": "Call",
             "elements": [{"type": "Subflow", "name": "Call", "flow": "Child",
               "inputs": {"x": {"value": 1}, "z": {"value": 2}}, "outputs": {"y": "n"}}]}""");

    assertThat(analysis.errors())
        .containsExactly(
            new Problem("$.elements[0].flow", "subflow recursion: Parent -> Child -> Parent"),
            new Problem("$.elements[0].inputs.z", "subflow 'Child' has no input 'z' (inputs: [x])"),
            new Problem(
                "$.elements[0].outputs.y",
                "output 'y' of subflow 'Child' is TEXT, variable 'n' is NUMBER"));
    assertThat(analysis.asyncReasons()).containsExactly(new AsyncReason("Call", "Subflow"));
  }

  @Test
  void compilerRefusesAnInvalidFlowWithAllItsErrors() {
    FlowDefinition definition =
        Fixtures.PARSER.parse(
            flow(
                "",
                "Nowhere",
                "{\"type\": \"Wait\", \"name\": \"W\", \"duration\": \"10 minutes\"}"));

    assertThatThrownBy(() -> new FlowCompiler().compile(definition, 1, environment))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode())
                  .isEqualTo(StandardErrorCode.INVALID_DEFINITION.toErrorCode());
              assertThat(e.getProblems())
                  .extracting(Problem::path)
                  .containsExactly("$.start", "$.elements[0].duration");
              assertThat(e.getMessage()).startsWith("Flow Test_Flow v1: 2 problem(s)");
            });
  }

  @Test
  void aRecordVariableWithoutObjectTypeIsOneProblemWhereverItsFieldsAreUsed() {
    // Issue 8 §7: assigning e.Title used to fail with NoSuchElementException (an HTTP 500).
    FlowAnalysis analysis =
        analyze(
            flow(
                """
                {"name": "e", "type": "RECORD"},
                {"name": "all", "type": "RECORD", "collection": true},
                {"name": "kept", "type": "RECORD", "collection": true},
                {"name": "title", "type": "TEXT"}""",
                "Set",
                """
                {"type": "Assignment", "name": "Set", "next": "Filter", "assignments": [
                  {"target": "e.Title", "value": {"value": "Taxi"}},
                  {"target": "title", "value": {"ref": "e.Title"}}]},
                {"type": "CollectionFilter", "name": "Filter", "collection": "all", "into": "kept",
                 "requirements": [{"left": {"ref": "$Item.Title"}, "operator": "EQUALS",
                                   "right": {"value": "Taxi"}}], "next": "Sort"},
                {"type": "CollectionSort", "name": "Sort", "collection": "all",
                 "sort": [{"field": "Title"}], "next": "Update"},
                {"type": "UpdateRecords", "name": "Update", "record": "e"}"""));

    assertThat(analysis.errors())
        .containsExactly(
            new Problem("$.variables[0].objectType", "RECORD variable 'e' needs an objectType"),
            new Problem("$.variables[1].objectType", "RECORD variable 'all' needs an objectType"),
            new Problem("$.variables[2].objectType", "RECORD variable 'kept' needs an objectType"));
  }
}
