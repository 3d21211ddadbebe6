package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.Problem;
import io.orchestrion.api.run.ExecutionMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deploy-time analysis of a flow's shape: cycles, loops, placement of async elements, outputs. */
class FlowShapeAnalysisTest {
  private final ActionRegistry actions =
      SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "log")
          .withActiveFlow(
              Fixtures.PARSER.parse(
                  """
                  {"apiName": "Child", "type": "AUTOLAUNCHED", "start": "Log", "elements": [
                    {"type": "Action", "name": "Log", "action": "log",
                     "inputs": {"message": {"value": "hi"}}}]}"""));
  private final FlowAnalyzer analyzer = new FlowAnalyzer();

  private FlowAnalysis analyze(String variables, String start, String elements) {
    return analyzer.analyze(
        Fixtures.PARSER.parse(
            """
            {"apiName": "Test_Flow", "type": "AUTOLAUNCHED",
             "variables": [%s], "start": "%s", "elements": [%s]}"""
                .formatted(variables, start, elements)),
        environment);
  }

  private static final String LIST =
      """
      {"name": "items", "type": "TEXT", "collection": true, "input": true},
      {"name": "item", "type": "TEXT"}""";

  private static final String LOG =
      """
      "action": "log", "inputs": {"message": {"value": "x"}}""";

  @Test
  void aCycleWithoutALoopIsAnErrorAndEveryProblemIsReportedAtOnce() {
    FlowAnalysis analysis =
        analyze(
            LIST,
            "A",
            """
            {"type": "Assignment", "name": "A", "next": "B",
             "assignments": [{"target": "item", "value": {"value": "a"}}]},
            {"type": "Decision", "name": "B", "defaultNext": "A", "outcomes": [{"name": "out",
              "next": "C", "requirements": [
                {"left": {"ref": "$Item"}, "operator": "IS_NULL", "right": {"value": true}}]}]},
            {"type": "Assignment", "name": "C", "next": "Nowhere",
             "assignments": [{"target": "items", "operator": "ADD", "value": {"value": "z"}}]},
            {"type": "Assignment", "name": "Lost",
             "assignments": [{"target": "item", "value": {"value": "a"}}]}""");

    assertThat(analysis.errors())
        .containsExactly(
            new Problem(
                "$.elements[1].outcomes[0].requirements[0].left",
                "'$Item' is only defined in the requirements of a CollectionFilter"),
            new Problem(
                "$.elements[2].assignments[0].operator",
                "ADD needs a NUMBER or CURRENCY target (ADD also TEXT), 'items' is collection of"
                    + " TEXT"),
            new Problem("$.elements[2].next", "unknown element 'Nowhere'"),
            new Problem(
                "$.elements[3]", "element 'Lost' is unreachable from the start element 'A'"),
            new Problem(
                "$.elements[0]",
                "elements ['A', 'B'] form a cycle that does not go through a Loop element"));
  }

  @Test
  void aLoopIsAValidCycleAndItsBodyMustLeadBackOrEnd() {
    FlowAnalysis analysis =
        analyze(
            LIST,
            "Each",
            """
            {"type": "Loop", "name": "Each", "collection": "items", "item": "item",
             "each": "Call", "after": "Done"},
            {"type": "Subflow", "name": "Call", "flow": "Child", "next": "Each"},
            {"type": "Action", "name": "Done", %s}"""
                .formatted(LOG));

    assertThat(analysis.errors()).isEmpty();
    assertThat(analysis.warnings()).isEmpty();
    assertThat(analysis.mode()).isEqualTo(ExecutionMode.ASYNC);
    assertThat(analysis.asyncReasons())
        .containsExactly(
            new AsyncReason("Call", "Subflow", Optional.of("inside Loop 'Each'")),
            new AsyncReason("Done", "Action"));
    assertThat(analysis.asyncReasons().getFirst())
        .hasToString("Subflow element 'Call' (inside Loop 'Each')");
  }

  @Test
  void nestedLoopsNameTheInnermostLoop() {
    FlowAnalysis analysis =
        analyze(
            LIST + ", {\"name\": \"other\", \"type\": \"TEXT\"}",
            "Outer",
            """
            {"type": "Loop", "name": "Outer", "collection": "items", "item": "item",
             "each": "Inner"},
            {"type": "Loop", "name": "Inner", "collection": "items", "item": "other",
             "each": "Log", "after": "Outer"},
            {"type": "Action", "name": "Log", "next": "Inner", %s}"""
                .formatted(LOG));

    assertThat(analysis.errors()).isEmpty();
    assertThat(analysis.asyncReasons())
        .containsExactly(new AsyncReason("Log", "Action", Optional.of("inside Loop 'Inner'")));
  }

  @Test
  void aWaitReachedOnlyOnAFaultPathIsNamedSo() {
    FlowAnalysis analysis =
        analyze(
            "",
            "Get",
            """
            {"type": "GetRecords", "name": "Get", "objectType": "Expense", "into": "e",
             "firstOnly": true, "faultNext": "Back_Off"},
            {"type": "Wait", "name": "Back_Off", "duration": "PT5M"}""");

    // 'e' is undeclared: the analysis still classifies.
    assertThat(analysis.errors())
        .extracting(Problem::message)
        .containsExactly("unknown variable 'e'");
    assertThat(analysis.asyncReasons())
        .containsExactly(
            new AsyncReason("Back_Off", "Wait", Optional.of("reached only on a fault path")));
  }

  @Test
  void noAsyncElementMeansSynchronous() {
    FlowAnalysis analysis =
        analyze(
            LIST,
            "Each",
            """
            {"type": "Loop", "name": "Each", "collection": "items", "item": "item",
             "each": "Each"}""");

    assertThat(analysis.mode()).isEqualTo(ExecutionMode.SYNC);
    assertThat(analysis.asyncReasons()).isEmpty();
  }

  @Test
  void outputsNeverAssignedAndLoopsWithoutExitAreWarnings() {
    FlowAnalysis analysis =
        analyze(
            LIST
                + """
                , {"name": "result", "type": "TEXT", "output": true},
                {"name": "given", "type": "TEXT", "output": true, "default": "x"}""",
            "Each",
            """
            {"type": "Loop", "name": "Each", "collection": "items", "item": "item",
             "each": "Each", "after": "Again"},
            {"type": "Assignment", "name": "Again", "next": "Each",
             "assignments": [{"target": "items", "operator": "ADD_ITEM", "value": {"value": "z"}}]}""");

    assertThat(analysis.errors()).isEmpty();
    assertThat(analysis.warnings())
        .containsExactly(
            new Problem(
                "$.elements[0]",
                "elements ['Each', 'Again'] loop without a way out: the interview can only end"
                    + " through the executed-element limit"),
            new Problem(
                "$.variables[2]",
                "output 'result' is never assigned and has no default: it is always absent"));
  }

  @Test
  void loopAndCollectionElementsAreTypeChecked() {
    FlowAnalysis analysis =
        analyze(
            LIST
                + """
                , {"name": "n", "type": "NUMBER"},
                {"name": "numbers", "type": "NUMBER", "collection": true},
                {"name": "records", "type": "RECORD", "objectType": "Expense", "collection": true}""",
            "Each",
            """
            {"type": "Loop", "name": "Each", "collection": "items", "item": "n", "each": "Each",
             "after": "Scalar"},
            {"type": "Loop", "name": "Scalar", "collection": "item", "item": "n", "each": "Scalar",
             "after": "Sort"},
            {"type": "CollectionSort", "name": "Sort", "collection": "records", "next": "Sort_By",
             "sort": [{"field": "Colour"}]},
            {"type": "CollectionSort", "name": "Sort_By", "collection": "numbers", "next": "Filter",
             "sort": [{"field": "Amount"}]},
            {"type": "CollectionFilter", "name": "Filter", "collection": "records", "into": "numbers",
             "requirements": [
               {"left": {"ref": "$Item.Amount"}, "operator": "STARTS_WITH", "right": {"value": "1"}},
               {"left": {"ref": "$Item.Title"}, "operator": "IS_CHANGED", "right": {"value": true}}]}""");

    assertThat(analysis.errors())
        .containsExactly(
            new Problem(
                "$.elements[0].item", "variable 'n' is NUMBER, the items of 'items' are TEXT"),
            new Problem(
                "$.elements[1].collection", "variable 'item' is TEXT, expected a collection"),
            new Problem(
                "$.elements[2].sort[0].field", "object type 'Expense' has no field 'Colour'"),
            new Problem(
                "$.elements[3].sort",
                "'sort' lists record fields; for collection of NUMBER use 'descending'"),
            new Problem(
                "$.elements[4].into",
                "variable 'numbers' is collection of NUMBER, expected collection of"
                    + " RECORD(Expense) like 'records'"),
            new Problem(
                "$.elements[4].requirements[0].operator",
                "STARTS_WITH needs a text, '$Item.Amount' is CURRENCY"),
            new Problem(
                "$.elements[4].requirements[1].left",
                "IS_CHANGED needs a variable or a field of a record variable, got '$Item.Title'"));
  }
}
