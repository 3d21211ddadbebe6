package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.Problem;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every operator of SPEC §5.2 on every type it accepts, and the combinations it rejects. */
class RequirementOperatorsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");
  private final ActionRegistry actions = new SimpleActionRegistry(List.of());
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment().withObjectType(Fixtures.expenseType());
  private final TestingInterviewContext context =
      new TestingInterviewContext(new TestingRecordStore(NOW, Fixtures.expenseType()), NOW);
  private final FlowInterpreter interpreter = new FlowInterpreter(actions, FlowLimits.defaults());

  private FlowAnalysis analyzeOrRun(
      String type, String operator, String right, Map<String, Object> inputs, boolean[] out) {
    boolean collection = type.endsWith("[]");
    String base = collection ? type.substring(0, type.length() - 2) : type;
    String objectType = base.equals("RECORD") ? ", \"objectType\": \"Expense\"" : "";
    String json =
        """
        {"apiName": "Ops", "type": "AUTOLAUNCHED",
         "variables": [{"name": "v", "type": "%s", "collection": %s, "input": true%s},
                       {"name": "out", "type": "BOOLEAN", "output": true, "default": false}],
         "start": "D",
         "elements": [
           {"type": "Decision", "name": "D", "outcomes": [{"name": "yes", "next": "Yes",
             "requirements": [{"left": {"ref": "v"}, "operator": "%s", "right": {"value": %s}}]}]},
           {"type": "Assignment", "name": "Yes",
            "assignments": [{"target": "out", "value": {"value": true}}]}]}"""
            .formatted(base, collection, objectType, operator, right);
    FlowAnalysis analysis = new FlowAnalyzer().analyze(Fixtures.PARSER.parse(json), environment);
    if (analysis.valid()) {
      CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(json), 1, environment);
      SegmentResult.Completed result =
          (SegmentResult.Completed) interpreter.start(flow, inputs, context);
      out[0] = (Boolean) result.outputs().get("out");
    }
    return analysis;
  }

  private Map<String, Object> input(String left) throws Exception {
    Map<String, Object> inputs = new HashMap<>();
    Object value = Fixtures.MAPPER.readValue(left, Object.class);
    if (value != null) {
      inputs.put("v", value);
    }
    return inputs;
  }

  @ParameterizedTest(name = "{0} {2} {1} {3} is {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          TEXT       | '"a"'            | EQUALS           | '"a"'            | true
          TEXT       | '"a"'            | EQUALS           | '"A"'            | false
          TEXT       | '"a"'            | NOT_EQUALS       | '"b"'            | true
          TEXT       | null             | EQUALS           | null             | true
          TEXT       | '"abc"'          | CONTAINS         | '"b"'            | true
          TEXT       | '"abc"'          | CONTAINS         | '"d"'            | false
          TEXT       | '"abc"'          | STARTS_WITH      | '"ab"'           | true
          TEXT       | '"abc"'          | ENDS_WITH        | '"bc"'           | true
          TEXT       | '"abc"'          | ENDS_WITH        | '"ab"'           | false
          TEXT       | '" "'            | IS_BLANK         | true             | true
          TEXT       | '"x"'            | IS_BLANK         | false            | true
          TEXT       | null             | IS_NULL          | true             | true
          TEXT       | '"x"'            | IS_NULL          | false            | true
          TEXT       | '"x"'            | WAS_SET          | true             | true
          TEXT       | null             | WAS_SET          | false            | true
          TEXT       | '"x"'            | IS_CHANGED       | false            | true
          TEXT       | '"x"'            | IS_CHANGED       | true             | false
          PICKLIST   | '"In Review"'    | EQUALS           | '"In Review"'    | true
          PICKLIST   | '"In Review"'    | CONTAINS         | '"Rev"'          | true
          USER       | '"u-1"'          | NOT_EQUALS       | '"u-2"'          | true
          LOOKUP     | '"r-1"'          | STARTS_WITH      | '"r-"'           | true
          NUMBER     | 1000             | EQUALS           | 1000.00          | true
          NUMBER     | 2                | GREATER_THAN     | 1                | true
          NUMBER     | 1                | GREATER_THAN     | 1                | false
          NUMBER     | 1                | GREATER_OR_EQUAL | 1                | true
          NUMBER     | 1                | LESS_THAN        | 2                | true
          NUMBER     | 2                | LESS_OR_EQUAL    | 2                | true
          NUMBER     | 0.1              | LESS_THAN        | 0.10000000001    | true
          NUMBER     | null             | LESS_THAN        | 1                | false
          NUMBER     | null             | WAS_SET          | false            | true
          NUMBER     | 5                | IS_NULL          | false            | true
          CURRENCY   | 1.005            | EQUALS           | 1.01             | true
          CURRENCY   | 1.004            | LESS_THAN        | 1.01             | true
          CURRENCY   | 10               | GREATER_OR_EQUAL | 9.995            | true
          BOOLEAN    | true             | EQUALS           | true             | true
          BOOLEAN    | true             | NOT_EQUALS       | false            | true
          BOOLEAN    | null             | IS_NULL          | true             | true
          DATE       | '"2025-02-01"'   | GREATER_THAN     | '"2025-01-31"'   | true
          DATE       | '"2025-02-01"'   | EQUALS           | '"2025-02-01"'   | true
          DATE       | '"2025-02-01"'   | LESS_OR_EQUAL    | '"2025-01-31"'   | false
          DATETIME   | '"2025-01-31T10:00:00Z"' | LESS_THAN | '"2025-01-31T10:00:01Z"' | true
          DATETIME   | '"2025-01-31T10:00:00Z"' | NOT_EQUALS | '"2025-01-31T10:00:00Z"' | false
          TEXT[]     | '["a", "b"]'     | CONTAINS         | '"b"'            | true
          TEXT[]     | '["a", "b"]'     | CONTAINS         | '"c"'            | false
          NUMBER[]   | '[1, 2]'         | CONTAINS         | 2.0              | true
          TEXT[]     | '[]'             | IS_BLANK         | true             | true
          TEXT[]     | '["a"]'          | IS_BLANK         | true             | false
          TEXT[]     | null             | IS_NULL          | true             | true
          TEXT[]     | '["a"]'          | WAS_SET          | true             | true
          TEXT[]     | '["a"]'          | IS_CHANGED       | false            | true
          """)
  void operatorsEvaluate(String type, String left, String operator, String right, boolean expected)
      throws Exception {
    boolean[] out = new boolean[1];

    FlowAnalysis analysis =
        analyzeOrRun(type, operator, right == null ? "null" : right, input(left), out);

    assertThat(analysis.errors()).isEmpty();
    assertThat(out[0]).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} {2} is rejected")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          BOOLEAN  | GREATER_THAN | true       | $.elements[0].outcomes[0].requirements[0].operator | GREATER_THAN needs a number, currency, date or date-time, 'v' is BOOLEAN
          TEXT     | LESS_THAN    | '"a"'      | $.elements[0].outcomes[0].requirements[0].operator | LESS_THAN needs a number, currency, date or date-time, 'v' is TEXT
          NUMBER   | CONTAINS     | 1          | $.elements[0].outcomes[0].requirements[0].operator | CONTAINS needs a text or collection, 'v' is NUMBER
          DATE     | STARTS_WITH  | '"2025"'   | $.elements[0].outcomes[0].requirements[0].operator | STARTS_WITH needs a text, 'v' is DATE
          NUMBER   | IS_BLANK     | true       | $.elements[0].outcomes[0].requirements[0].operator | IS_BLANK needs a text or collection, 'v' is NUMBER
          TEXT[]   | EQUALS       | '"a"'      | $.elements[0].outcomes[0].requirements[0].operator | EQUALS cannot compare a collection of TEXT, 'v' is collection of TEXT
          RECORD   | EQUALS       | null       | $.elements[0].outcomes[0].requirements[0].operator | EQUALS cannot compare a RECORD(Expense), 'v' is RECORD(Expense)
          NUMBER   | EQUALS       | '"ten"'    | $.elements[0].outcomes[0].requirements[0].right    | expected NUMBER, got 'ten'
          DATE     | EQUALS       | 5          | $.elements[0].outcomes[0].requirements[0].right    | expected DATE, got 5 (Integer)
          TEXT     | IS_NULL      | '"yes"'    | $.elements[0].outcomes[0].requirements[0].right    | expected BOOLEAN, got 'yes'
          NUMBER[] | CONTAINS     | '"x"'      | $.elements[0].outcomes[0].requirements[0].right    | expected NUMBER, got 'x'
          """)
  void mismatchedOperatorsAndTypesAreDeployErrors(
      String type, String operator, String right, String path, String message) {
    FlowAnalysis analysis = analyzeOrRun(type, operator, right, Map.of(), new boolean[1]);

    assertThat(analysis.errors()).containsExactly(new Problem(path, message));
  }
}
