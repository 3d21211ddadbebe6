package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.RecordData;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Formulas: deploy-time type checks with JSON paths, exact decimals, and evaluation in flows. */
class FormulasTest {
  private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

  private final ActionRegistry actions =
      SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "log");
  private final TestingRecordStore store = new TestingRecordStore(NOW, Fixtures.expenseType());
  private final TestingInterviewContext context = new TestingInterviewContext(store, NOW);
  private final FlowInterpreter interpreter = new FlowInterpreter(actions, FlowLimits.defaults());

  private static final String VARIABLES =
      """
      {"name": "amount", "type": "CURRENCY", "input": true},
      {"name": "quantity", "type": "NUMBER", "input": true},
      {"name": "rate", "type": "NUMBER", "input": true},
      {"name": "title", "type": "TEXT", "input": true},
      {"name": "approved", "type": "BOOLEAN", "input": true},
      {"name": "due", "type": "DATE", "input": true},
      {"name": "start", "type": "DATE", "input": true},
      {"name": "at", "type": "DATETIME", "input": true},
      {"name": "lines", "type": "NUMBER", "collection": true, "input": true},
      {"name": "expense", "type": "RECORD", "objectType": "Expense", "input": true}""";

  /** A flow whose only element stores the formula {@code f} into the output {@code out}. */
  private static String flow(String type, String expression) {
    return """
        {"apiName": "Formula_Flow", "type": "AUTOLAUNCHED",
         "variables": [%s, {"name": "out", "type": "%s", "output": true}],
         "formulas": [{"name": "f", "type": "%s", "expression": %s}],
         "start": "A",
         "elements": [{"type": "Assignment", "name": "A",
           "assignments": [{"target": "out", "value": {"formula": "f"}}]}]}"""
        .formatted(VARIABLES, type, type, Fixtures.quote(expression));
  }

  private FlowAnalysis analyze(String json) {
    return new FlowAnalyzer().analyze(Fixtures.PARSER.parse(json), environment);
  }

  private List<Problem> errors(String type, String expression) {
    return analyze(flow(type, expression)).errors();
  }

  private SegmentResult run(String type, String expression, Map<String, Object> inputs) {
    CompiledFlow compiled =
        new FlowCompiler().compile(Fixtures.PARSER.parse(flow(type, expression)), 1, environment);
    context.withFlow(compiled);
    return interpreter.start(compiled, inputs, context);
  }

  private Object evaluate(String type, String expression, Map<String, Object> inputs) {
    SegmentResult result = run(type, expression, inputs);
    assertThat(result).isInstanceOf(SegmentResult.Completed.class);
    return ((SegmentResult.Completed) result).outputs().get("out");
  }

  private Object evaluate(String type, String expression) {
    return evaluate(type, expression, Map.of());
  }

  private static Map<String, Object> inputs(Object... pairs) {
    Map<String, Object> inputs = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      inputs.put((String) pairs[i], pairs[i + 1]);
    }
    return inputs;
  }

  // ---- deploy-time checks ----

  @Test
  void anUnknownVariableIsADeployErrorAtTheFormulaExpression() {
    assertThat(errors("NUMBER", "amount + nope"))
        .containsExactly(
            new Problem(
                "$.formulas[0].expression",
                "formula 'f': undeclared reference to 'nope' (at column 10)"));
  }

  @Test
  void wrongOperandTypesAreADeployError() {
    List<Problem> errors = errors("NUMBER", "amount + title");

    assertThat(errors).extracting(Problem::path).containsExactly("$.formulas[0].expression");
    assertThat(errors.getFirst().message())
        .startsWith(
            "formula 'f': found no matching overload for '_+_' applied to '(decimal, string)'");
  }

  @Test
  void aResultThatDoesNotMatchTheDeclaredTypeIsADeployError() {
    assertThat(errors("TEXT", "amount * 2"))
        .containsExactly(
            new Problem(
                "$.formulas[0].type",
                "formula 'f': declared TEXT but the expression is of type decimal (expected"
                    + " string)"));
    assertThat(errors("CURRENCY", "amount > 100"))
        .containsExactly(
            new Problem(
                "$.formulas[0].type",
                "formula 'f': declared CURRENCY but the expression is of type bool (expected"
                    + " decimal or int)"));
  }

  @Test
  void aTypeErrorWithADoubleLiteralHintsAtDecimal() {
    assertThat(errors("NUMBER", "quantity * 1.2"))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.path()).isEqualTo("$.formulas[0].expression");
              assertThat(problem.message())
                  .startsWith("formula 'f': ")
                  .contains("no matching overload for '_*_' applied to '(decimal, double)'")
                  .endsWith("write decimal('1.2') (or an int) instead");
            });
    // Other type errors get no such hint.
    assertThat(errors("NUMBER", "quantity * 'x'"))
        .singleElement()
        .satisfies(
            problem ->
                assertThat(problem.message())
                    .contains("no matching overload")
                    .doesNotContain("decimal('1.2')"));
  }

  @Test
  void binaryFloatingPointIsRejectedEvenWhereTheResultIsNotANumber() {
    assertThat(errors("NUMBER", "amount * 1.2"))
        .singleElement()
        .satisfies(
            problem ->
                assertThat(problem.message())
                    .contains("no matching overload for '_*_' applied to '(decimal, double)'"));
    assertThat(errors("BOOLEAN", "1.5 > 1.0"))
        .containsExactly(
            new Problem(
                "$.formulas[0].expression",
                "formula 'f': binary floating point (double) is not allowed: NUMBER and CURRENCY"
                    + " are exact decimals, write decimal('1.5') (or an int) instead of 1.5"));
  }

  @Test
  void recordFieldsAreTypedFromTheObjectType() {
    assertThat(errors("NUMBER", "expense.Nope + 1"))
        .containsExactly(
            new Problem(
                "$.formulas[0].expression", "formula 'f': undefined field 'Nope' (at column 8)"));
    assertThat(errors("TEXT", "expense.Title + ' ' + expense.Status + ' ' + expense.Id")).isEmpty();
    assertThat(errors("NUMBER", "expense.Title * 2")).hasSize(1);
  }

  @Test
  void formulaUsesAreCheckedAgainstTheirTargets() {
    FlowAnalysis analysis =
        analyze(
            """
            {"apiName": "F", "type": "AUTOLAUNCHED",
             "variables": [{"name": "n", "type": "NUMBER"}, {"name": "t", "type": "TEXT"}],
             "formulas": [{"name": "isBig", "type": "BOOLEAN", "expression": "n > 100"},
                          {"name": "twice", "type": "NUMBER", "expression": "n * 2"},
                          {"name": "twice", "type": "NUMBER", "expression": "n + n"},
                          {"name": "whole", "type": "RECORD", "expression": "n"}],
             "start": "A",
             "elements": [{"type": "Assignment", "name": "A", "next": "D",
               "assignments": [{"target": "n", "value": {"formula": "isBig"}},
                               {"target": "t", "value": {"formula": "missing"}},
                               {"target": "n", "value": {"formula": "twice"}}]},
               {"type": "Decision", "name": "D", "defaultNext": "A",
                "outcomes": [{"name": "big", "requirements": [
                  {"left": {"formula": "isBig"}, "operator": "EQUALS", "right": {"value": true}},
                  {"left": {"formula": "twice"}, "operator": "STARTS_WITH", "right": {"value": "1"}}]}]}]}""");

    assertThat(analysis.errors())
        .contains(
            new Problem("$.formulas[2].name", "duplicate formula 'twice'"),
            new Problem(
                "$.formulas[3].type",
                "formula 'whole': a formula has a single value of type TEXT, NUMBER, CURRENCY,"
                    + " BOOLEAN, DATE, DATETIME, PICKLIST, USER or LOOKUP, not RECORD"),
            new Problem(
                "$.elements[0].assignments[0].value",
                "formula 'isBig' is BOOLEAN, expected NUMBER"),
            new Problem("$.elements[0].assignments[1].value", "unknown formula 'missing'"),
            new Problem(
                "$.elements[1].outcomes[0].requirements[1].operator",
                "STARTS_WITH needs a text, formula 'twice' is NUMBER"));
    assertThat(analysis.errors())
        .extracting(Problem::path)
        .doesNotContain("$.elements[0].assignments[2].value");
  }

  @Test
  void formulasSeeOnlyTheDeclaredVariables() {
    // No globals, no Java, no environment: anything but the flow's variables is undeclared.
    assertThat(errors("TEXT", "System.getenv('HOME')"))
        .isNotEmpty()
        .allSatisfy(problem -> assertThat(problem.message()).contains("undeclared reference"));
    assertThat(errors("TEXT", "$Flow.FaultMessage")).hasSize(1);
    assertThat(errors("NUMBER", "out * 2")).isEmpty();
    assertThat(errors("NUMBER", "f * 2"))
        .singleElement()
        .satisfies(
            problem -> assertThat(problem.message()).contains("undeclared reference to 'f'"));
  }

  @Test
  void aFormulaThatDoesNotParseIsADeployErrorWithItsPosition() {
    assertThat(errors("NUMBER", "amount +"))
        .extracting(Problem::path)
        .containsOnly("$.formulas[0].expression");
  }

  // ---- exact decimals ----

  @Test
  void decimalsAreExact() {
    assertThat(evaluate("BOOLEAN", "decimal('0.1') + decimal('0.2') == decimal('0.3')"))
        .isEqualTo(true);
    assertThat(
            evaluate(
                "NUMBER",
                "quantity + rate",
                inputs("quantity", new BigDecimal("0.1"), "rate", new BigDecimal("0.2"))))
        .isEqualTo(new BigDecimal("0.3"));
    assertThat(evaluate("BOOLEAN", "decimal('1.0') == decimal('1.00')")).isEqualTo(true);
    assertThat(evaluate("NUMBER", "decimal('1.10') - 1")).isEqualTo(new BigDecimal("0.10"));
  }

  @Test
  void currencyArithmeticRoundsHalfUpToTwoDecimals() {
    assertThat(
            evaluate(
                "CURRENCY",
                "amount * quantity",
                inputs("amount", new BigDecimal("19.99"), "quantity", BigDecimal.valueOf(3))))
        .isEqualTo(new BigDecimal("59.97"));
    assertThat(
            evaluate(
                "CURRENCY", "amount * decimal('1.2')", inputs("amount", new BigDecimal("10.05"))))
        .isEqualTo(new BigDecimal("12.06"));
    assertThat(evaluate("CURRENCY", "decimal('0.125')")).isEqualTo(new BigDecimal("0.13"));
    assertThat(evaluate("CURRENCY", "decimal('-0.125')")).isEqualTo(new BigDecimal("-0.13"));
    assertThat(evaluate("CURRENCY", "decimal(10) / 3")).isEqualTo(new BigDecimal("3.33"));
  }

  @Test
  void divisionKeeps34SignificantDigitsAndRoundingFunctionsAreHalfUp() {
    assertThat(evaluate("NUMBER", "decimal(10) / 3"))
        .isEqualTo(new BigDecimal("3.333333333333333333333333333333333"));
    assertThat(evaluate("NUMBER", "decimal(2) / 3"))
        .isEqualTo(new BigDecimal("0.6666666666666666666666666666666667"));
    assertThat(evaluate("NUMBER", "round(decimal('2.345'), 2)")).isEqualTo(new BigDecimal("2.35"));
    assertThat(evaluate("NUMBER", "round(decimal('-2.345'), 2)"))
        .isEqualTo(new BigDecimal("-2.35"));
    assertThat(evaluate("NUMBER", "floor(decimal('2.7')) + ceil(decimal('2.1'))"))
        .isEqualTo(new BigDecimal("5"));
    assertThat(evaluate("NUMBER", "abs(-decimal('4.5')) % 2")).isEqualTo(new BigDecimal("0.5"));
    assertThat(evaluate("NUMBER", "7 / 2")).isEqualTo(new BigDecimal("3"));
  }

  @Test
  void intsArePromotedToDecimalOnEitherSide() {
    Map<String, Object> inputs = inputs("amount", new BigDecimal("150.00"));

    assertThat(evaluate("BOOLEAN", "amount > 100 && 200 >= amount", inputs)).isEqualTo(true);
    assertThat(evaluate("NUMBER", "2 * amount - 50", inputs)).isEqualTo(new BigDecimal("250.00"));
    assertThat(evaluate("BOOLEAN", "amount == decimal(150)", inputs)).isEqualTo(true);
  }

  @Test
  void divisionByZeroFaultsTheElement() {
    SegmentResult result = run("NUMBER", "quantity / 0", inputs("quantity", BigDecimal.ONE));

    assertThat(result)
        .isEqualTo(
            new SegmentResult.Failed(
                new FlowFailure("Formula_Flow", 1, "A", "formula 'f' failed: division by zero")));
  }

  // ---- text, boolean, dates, records, collections ----

  @Test
  void textOperations() {
    Map<String, Object> inputs = inputs("title", "Taxi", "amount", new BigDecimal("12.5"));

    assertThat(evaluate("TEXT", "title + ' (' + string(amount) + ')'", inputs))
        .isEqualTo("Taxi (12.50)");
    assertThat(evaluate("BOOLEAN", "title.startsWith('Ta') && title.contains('x')", inputs))
        .isEqualTo(true);
    assertThat(evaluate("NUMBER", "title.size()", inputs)).isEqualTo(new BigDecimal("4"));
    assertThat(evaluate("BOOLEAN", "title.matches('^[A-Z][a-z]+$')", inputs)).isEqualTo(true);
  }

  @Test
  void booleanOperationsAndTheConditionalOperator() {
    Map<String, Object> inputs = inputs("approved", true, "amount", BigDecimal.valueOf(5));

    assertThat(evaluate("TEXT", "approved && amount < 10 ? 'auto' : 'manual'", inputs))
        .isEqualTo("auto");
    assertThat(evaluate("BOOLEAN", "!approved || amount > 10", inputs)).isEqualTo(false);
  }

  @Test
  void dateOperations() {
    Map<String, Object> inputs =
        inputs(
            "due",
            "2025-03-31",
            "start",
            LocalDate.parse("2025-03-01"),
            "at",
            "2025-03-01T10:00:00Z");

    assertThat(evaluate("DATE", "addDays(due, 30)", inputs))
        .isEqualTo(LocalDate.parse("2025-04-30"));
    assertThat(evaluate("NUMBER", "daysBetween(start, due)", inputs))
        .isEqualTo(new BigDecimal("30"));
    assertThat(evaluate("BOOLEAN", "start < due && due <= date('2025-03-31')", inputs))
        .isEqualTo(true);
    assertThat(evaluate("BOOLEAN", "at > datetime('2025-03-01T09:00:00Z')", inputs))
        .isEqualTo(true);
    assertThat(evaluate("TEXT", "string(due)", inputs)).isEqualTo("2025-03-31");
  }

  @Test
  void recordFieldsAndCollections() {
    RecordData expense =
        store.insert(
            "Expense",
            Map.of("Title", "Hotel", "Amount", new BigDecimal("250.00"), "Status", "Draft"),
            "alice");
    Map<String, Object> inputs =
        inputs(
            "expense",
            expense,
            "lines",
            List.of(new BigDecimal("10"), new BigDecimal("120.5"), new BigDecimal("3")));

    assertThat(evaluate("CURRENCY", "expense.Amount * decimal('1.19')", inputs))
        .isEqualTo(new BigDecimal("297.50"));
    assertThat(evaluate("TEXT", "expense.Title + ' by ' + expense.CreatedById", inputs))
        .isEqualTo("Hotel by alice");
    assertThat(evaluate("BOOLEAN", "expense.Risk == null", inputs)).isEqualTo(true);
    assertThat(evaluate("NUMBER", "lines.size()", inputs)).isEqualTo(new BigDecimal("3"));
    assertThat(evaluate("BOOLEAN", "lines.exists(line, line > 100)", inputs)).isEqualTo(true);
    assertThat(evaluate("NUMBER", "lines.filter(line, line < 100).size()", inputs))
        .isEqualTo(new BigDecimal("2"));
  }

  // ---- nulls ----

  @Test
  void nullsAreTestedWithIsNullAndFaultWhenUsedInAnOperation() {
    assertThat(evaluate("CURRENCY", "isNull(amount) ? decimal(0) : amount"))
        .isEqualTo(new BigDecimal("0.00"));
    assertThat(evaluate("TEXT", "isNull(title) ? 'untitled' : title")).isEqualTo("untitled");
    assertThat(evaluate("BOOLEAN", "amount == null")).isEqualTo(true);
    assertThat(evaluate("NUMBER", "amount")).isNull();

    SegmentResult result = run("NUMBER", "amount + 1", Map.of());
    FlowFailure failure = ((SegmentResult.Failed) result).failure();
    assertThat(failure.element()).isEqualTo("A");
    assertThat(failure.message()).startsWith("formula 'f' failed: No matching overload");
  }

  @Test
  void aFaultInAFormulaTakesTheElementsFaultConnector() {
    String json =
        """
        {"apiName": "Fault_Flow", "type": "AUTOLAUNCHED",
         "variables": [{"name": "n", "type": "NUMBER", "input": true},
                       {"name": "message", "type": "TEXT", "output": true}],
         "formulas": [{"name": "inverse", "type": "TEXT", "expression": "string(1 / n)"}],
         "start": "Log",
         "elements": [{"type": "Action", "name": "Log", "action": "log",
           "inputs": {"message": {"formula": "inverse"}}, "faultNext": "Caught"},
           {"type": "Assignment", "name": "Caught",
            "assignments": [{"target": "message", "value": {"ref": "$Flow.FaultMessage"}}]}]}""";
    CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(json), 1, environment);
    context.withFlow(flow);

    SegmentResult result = interpreter.start(flow, Map.of("n", BigDecimal.ZERO), context);

    assertThat(result)
        .isEqualTo(
            new SegmentResult.Completed(
                Map.of("message", "formula 'inverse' failed: division by zero")));
  }

  // ---- the shared example and speed ----

  @Test
  void scoreRiskComputesItsRiskWithTheRiskScoreFormula() {
    CompiledFlow flow =
        new FlowCompiler().compile(Fixtures.flow("flow-score-risk.json"), 3, environment);
    context.withFlow(flow);
    String id =
        store
            .insert(
                "Expense",
                Map.of("Title", "Taxi", "Amount", new BigDecimal("1234.56"), "Status", "Draft"),
                "alice")
            .id()
            .orElseThrow();

    SegmentResult paused = interpreter.start(flow, Map.of("recordId", id), context);
    SegmentResult done =
        interpreter.resume(((SegmentResult.Paused) paused).state(), context.at(NOW.plusSeconds(5)));

    assertThat(done)
        .isEqualTo(new SegmentResult.Completed(Map.of("risk", new BigDecimal("34.56"))));
    assertThat(store.get(id).fields()).containsEntry("Risk", new BigDecimal("34.56"));
  }

  @Test
  void aCompiledFormulaEvaluatesFastWithoutReparsing() {
    FlowDefinition definition =
        Fixtures.PARSER.parse(
            flow("CURRENCY", "amount * quantity + (approved ? decimal('1.5') : decimal(0))"));
    List<Problem> problems = new ArrayList<>();
    CompiledFormula formula =
        new FormulaCompiler(environment::objectType)
            .compile(
                definition.formulas(),
                definition.variables(),
                definition.variables().stream().map(ValueType::of).toList(),
                problems)
            .get("f");
    assertThat(problems).isEmpty();
    Object[] slots = new Object[definition.variables().size()];
    slots[0] = new BigDecimal("19.99");
    slots[1] = new BigDecimal("3");
    slots[4] = Boolean.TRUE;

    int evaluations = 200_000;
    BigDecimal sum = BigDecimal.ZERO;
    long started = System.nanoTime();
    for (int i = 0; i < evaluations; i++) {
      sum = sum.add((BigDecimal) formula.get(slots));
    }
    long nanos = System.nanoTime() - started;

    assertThat(sum)
        .isEqualByComparingTo(new BigDecimal("61.47").multiply(BigDecimal.valueOf(evaluations)));
    // A generous bound for shared CI cores; parsing and checking per evaluation costs far more.
    assertThat(nanos / evaluations).isLessThan(50_000);
    System.out.printf(
        "formula evaluations: %,d in %d ms (%,d ns each)%n",
        evaluations, nanos / 1_000_000, nanos / evaluations);
  }
}
