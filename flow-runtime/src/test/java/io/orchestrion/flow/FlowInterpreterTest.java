package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.flow.json.StoredJsonReader;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionInvocation;
import io.orchestrion.spi.ActionParameter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowInterpreterTest {
  private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

  private final List<ActionInvocation> echoCalls = new ArrayList<>();
  private final ActionRegistry actions =
      new SimpleActionRegistry(
          List.of(
              builtIn(),
              new RegisteredAction(
                  "testing-plugin",
                  new ActionDescriptor(
                      "echo",
                      "Returns its input doubled",
                      List.of(ActionParameter.required("amount", DataType.NUMBER)),
                      List.of(ActionParameter.required("doubled", DataType.NUMBER)),
                      false),
                  invocation -> {
                    echoCalls.add(invocation);
                    BigDecimal amount = (BigDecimal) invocation.inputs().get("amount");
                    if (amount.signum() < 0) {
                      throw new IllegalStateException("negative amount " + amount);
                    }
                    return Map.of("doubled", amount.multiply(BigDecimal.TWO));
                  },
                  FlowInterpreterTest.class.getClassLoader())));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "log", "echo");
  private final TestingRecordStore store = new TestingRecordStore(NOW, Fixtures.expenseType());
  private final TestingInterviewContext context = new TestingInterviewContext(store, NOW);
  private final FlowCompiler compiler = new FlowCompiler();
  private final FlowInterpreter interpreter = new FlowInterpreter(actions, FlowLimits.defaults());

  private static RegisteredAction builtIn() {
    return SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()))
        .find("log")
        .orElseThrow();
  }

  private CompiledFlow compile(String json, int version) {
    CompiledFlow flow = compiler.compile(Fixtures.PARSER.parse(json), version, environment);
    context.withFlow(flow);
    environment.withActiveFlow(flow.definition());
    return flow;
  }

  private CompiledFlow fixture(String name, int version) {
    return compile(Fixtures.text(name), version);
  }

  private RecordData expense(String amount) {
    return store.insert(
        "Expense",
        Map.of("Title", "Taxi", "Amount", new BigDecimal(amount), "Status", "Draft"),
        "alice");
  }

  @Test
  void markInReviewUpdatesALargeExpense() {
    CompiledFlow flow = fixture("flow-mark-in-review.json", 1);
    String id = expense("1500.00").id().orElseThrow();

    SegmentResult result = interpreter.start(flow, Map.of("recordId", id), context);

    assertThat(result).isEqualTo(new SegmentResult.Completed(Map.of("category", "large")));
    RecordData updated = store.get(id);
    assertThat(updated.fields())
        .containsEntry("Status", "In Review")
        .containsEntry("Category", "large")
        .containsEntry(SystemFields.LAST_MODIFIED_BY_ID, "automated-process")
        .containsEntry(SystemFields.CREATED_BY_ID, "alice");
    assertThat(updated.version()).isEqualTo(2);
  }

  @Test
  void markInReviewUpdatesASmallExpense() {
    CompiledFlow flow = fixture("flow-mark-in-review.json", 1);
    String id = expense("1000.00").id().orElseThrow();

    SegmentResult result = interpreter.start(flow, Map.of("recordId", id), context);

    assertThat(result).isEqualTo(new SegmentResult.Completed(Map.of("category", "small")));
    assertThat(store.get(id).fields())
        .containsEntry("Status", "In Review")
        .containsEntry("Category", "small");
  }

  @Test
  void scoreRiskPausesAtTheWaitAndResumesFromItsStoredState() {
    CompiledFlow flow = fixture("flow-score-risk.json", 3);
    String id = expense("12.50").id().orElseThrow();

    SegmentResult first = interpreter.start(flow, Map.of("recordId", id), context);

    assertThat(first).isInstanceOf(SegmentResult.Paused.class);
    SegmentResult.Paused paused = (SegmentResult.Paused) first;
    assertThat(paused.resumeAt()).isEqualTo(NOW);
    assertThat(paused.state().frames()).hasSize(1);
    assertThat(paused.state().frames().getFirst().element()).isEqualTo("Cool_Off");
    assertThat(paused.state().executedElements()).isEqualTo(4);
    assertThat(store.get(id).fields()).doesNotContainKey("Risk");

    String json = write(paused.state());
    InterviewState restored =
        new StoredJsonReader(Fixtures.MAPPER).read(json, InterviewState.class, "interview state");
    assertThat(restored).isEqualTo(paused.state());

    SegmentResult second = interpreter.resume(restored, context.at(NOW.plusSeconds(5)));

    assertThat(second)
        .isEqualTo(new SegmentResult.Completed(Map.of("risk", new BigDecimal("12.50"))));
    assertThat(store.get(id).fields()).containsEntry("Risk", new BigDecimal("12.50"));
  }

  @Test
  void scoreRiskFailsWithTheCustomErrorWhenTheExpenseIsMissing() {
    CompiledFlow flow = fixture("flow-score-risk.json", 3);

    SegmentResult result = interpreter.start(flow, Map.of("recordId", "EXP-404"), context);

    FlowFailure failure = ((SegmentResult.Failed) result).failure();
    assertThat(failure).isEqualTo(new FlowFailure("Score_Risk", 3, "Give_Up", "expense not found"));
    assertThat(failure.describe())
        .isEqualTo("Flow Score_Risk v3, element Give_Up: expense not found");
  }

  @Test
  void waitUntilADateTimeInput() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Wait_Until", "type": "AUTOLAUNCHED",
             "variables": [{"name": "when", "type": "DATETIME", "input": true}],
             "start": "W", "elements": [{"type": "Wait", "name": "W", "until": {"ref": "when"}}]}""",
            1);

    SegmentResult result = interpreter.start(flow, Map.of("when", "2025-03-02T00:00:00Z"), context);

    assertThat(((SegmentResult.Paused) result).resumeAt())
        .isEqualTo(Instant.parse("2025-03-02T00:00:00Z"));
    assertThat(interpreter.resume(((SegmentResult.Paused) result).state(), context))
        .isEqualTo(new SegmentResult.Completed(Map.of()));
  }

  @Test
  void aSubflowRunsInlineAndReturnsItsOutputs() {
    compile(
        """
        {"apiName": "Double_It", "type": "AUTOLAUNCHED", "runMode": "USER",
         "variables": [{"name": "amount", "type": "NUMBER", "input": true},
                       {"name": "result", "type": "NUMBER", "output": true}],
         "start": "Call_Echo",
         "elements": [{"type": "Action", "name": "Call_Echo", "action": "echo",
           "inputs": {"amount": {"ref": "amount"}}, "outputs": {"doubled": "result"}}]}""",
        1);
    CompiledFlow parent =
        compile(
            """
            {"apiName": "Parent", "type": "AUTOLAUNCHED",
             "variables": [{"name": "price", "type": "CURRENCY", "input": true},
                           {"name": "total", "type": "CURRENCY", "output": true}],
             "start": "Call",
             "elements": [{"type": "Subflow", "name": "Call", "flow": "Double_It",
               "inputs": {"amount": {"ref": "price"}}, "outputs": {"result": "total"}}]}""",
            2);

    SegmentResult result = interpreter.start(parent, Map.of("price", 10.125), context);

    assertThat(result)
        .isEqualTo(new SegmentResult.Completed(Map.of("total", new BigDecimal("20.26"))));
    ActionInvocation call = echoCalls.getFirst();
    assertThat(call.inputs()).containsEntry("amount", new BigDecimal("10.13"));
    assertThat(call.idempotencyKey()).isEqualTo("run-1:step-1:1/Call/Call_Echo#2");
    assertThat(call.runningUserId()).isEqualTo("automated-process");
    assertThat(call.runMode()).isEqualTo(RunMode.USER);
  }

  @Test
  void aFaultTakesTheFaultConnectorWithTheFaultMessage() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Careful", "type": "AUTOLAUNCHED",
             "variables": [{"name": "amount", "type": "NUMBER", "input": true},
                           {"name": "doubled", "type": "NUMBER", "output": true},
                           {"name": "problem", "type": "TEXT", "output": true}],
             "start": "Call_Echo",
             "elements": [
               {"type": "Action", "name": "Call_Echo", "action": "echo", "faultNext": "Note",
                "inputs": {"amount": {"ref": "amount"}}, "outputs": {"doubled": "doubled"}},
               {"type": "Assignment", "name": "Note",
                "assignments": [{"target": "problem", "value": {"ref": "$Flow.FaultMessage"}}]}]}""",
            1);

    assertThat(interpreter.start(flow, Map.of("amount", 4), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("doubled", new BigDecimal("8"))));
    assertThat(interpreter.start(flow, Map.of("amount", -1), context))
        .isEqualTo(
            new SegmentResult.Completed(
                Map.of(
                    "problem",
                    "action 'echo' of plugin 'testing-plugin' failed: negative amount -1")));
  }

  @Test
  void anUnhandledFaultInASubflowFailsWithTheSubflowsElementAndItsCaller() {
    compile(
        """
        {"apiName": "Child", "type": "AUTOLAUNCHED",
         "variables": [{"name": "amount", "type": "NUMBER", "input": true}],
         "start": "Call_Echo",
         "elements": [{"type": "Action", "name": "Call_Echo", "action": "echo",
           "inputs": {"amount": {"ref": "amount"}}}]}""",
        4);
    CompiledFlow parent =
        compile(
            """
            {"apiName": "Parent", "type": "AUTOLAUNCHED",
             "variables": [{"name": "amount", "type": "NUMBER", "input": true}],
             "start": "Call",
             "elements": [{"type": "Subflow", "name": "Call", "flow": "Child",
               "inputs": {"amount": {"ref": "amount"}}}]}""",
            7);

    SegmentResult result = interpreter.start(parent, Map.of("amount", -2), context);

    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Child v4, element Call_Echo: action 'echo' of plugin 'testing-plugin' failed:"
                + " negative amount -2 (in a subflow called from Parent v7 element Call)");
  }

  @Test
  void aRecordStoreFailureIsAFault() {
    CompiledFlow flow = fixture("flow-mark-in-review.json", 1);
    String id = expense("5.00").id().orElseThrow();
    store.failNextWrite(
        new OrchestrionException(StandardErrorCode.STALE_VERSION, "Expense 'EXP-1' changed"));

    SegmentResult result = interpreter.start(flow, Map.of("recordId", id), context);

    assertThat(result)
        .isEqualTo(
            new SegmentResult.Failed(
                new FlowFailure("Mark_In_Review", 1, "Save", "Expense 'EXP-1' changed")));
  }

  @Test
  void createsAndDeletesRecords() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Churn", "type": "AUTOLAUNCHED",
             "variables": [{"name": "newId", "type": "TEXT", "output": true},
                           {"name": "found", "type": "RECORD", "objectType": "Expense", "collection": true,
                            "output": true}],
             "start": "Create",
             "elements": [
               {"type": "CreateRecords", "name": "Create", "objectType": "Expense", "idInto": "newId",
                "fieldValues": {"Title": {"value": "Hotel"}, "Amount": {"value": 99.999}}, "next": "Find"},
               {"type": "GetRecords", "name": "Find", "objectType": "Expense", "into": "found",
                "filters": [{"field": "Amount", "operator": "GREATER_THAN", "value": {"value": 50}}],
                "next": "Remove"},
               {"type": "DeleteRecords", "name": "Remove", "objectType": "Expense",
                "filters": [{"field": "Title", "operator": "EQUALS", "value": {"value": "Taxi"}}]}]}""",
            1);
    expense("10.00");

    SegmentResult.Completed result =
        (SegmentResult.Completed) interpreter.start(flow, Map.of(), context);

    String newId = (String) result.outputs().get("newId");
    assertThat(store.get(newId).fields())
        .containsEntry("Amount", new BigDecimal("100.00"))
        .containsEntry(SystemFields.OWNER_ID, "automated-process");
    assertThat((List<?>) result.outputs().get("found")).hasSize(1);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void theElementLimitFailsTheInterviewNamingTheLimitAndTheElement() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Spin", "type": "AUTOLAUNCHED",
             "variables": [{"name": "n", "type": "NUMBER", "default": 0},
               {"name": "items", "type": "NUMBER", "collection": true, "default": [1, 2]},
               {"name": "item", "type": "NUMBER"}],
             "start": "Each",
             "elements": [
               {"type": "Loop", "name": "Each", "collection": "items", "item": "item",
                "each": "Count", "after": "Each"},
               {"type": "Assignment", "name": "Count", "next": "Each",
               "assignments": [{"target": "n", "operator": "ADD", "value": {"value": 1}}]}]}""",
            1);

    SegmentResult result =
        new FlowInterpreter(actions, new FlowLimits(50, 10, 1000)).start(flow, Map.of(), context);

    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Spin v1, element Each: executed-element limit of 50 reached (maxExecutedElements)");
    assertThat(flow.analysis().warnings())
        .extracting(Problem::message)
        .containsExactly(
            "elements ['Each', 'Count'] loop without a way out: the interview can only end"
                + " through the executed-element limit");
  }

  @Test
  void theSubflowDepthLimitFailsTheInterview() {
    compile(
        """
        {"apiName": "Leaf", "type": "AUTOLAUNCHED",
         "variables": [{"name": "n", "type": "NUMBER"}], "start": "Set",
         "elements": [{"type": "Assignment", "name": "Set",
           "assignments": [{"target": "n", "value": {"value": 1}}]}]}""",
        1);
    compile(
        """
        {"apiName": "Middle", "type": "AUTOLAUNCHED", "start": "Call_Leaf",
         "elements": [{"type": "Subflow", "name": "Call_Leaf", "flow": "Leaf"}]}""",
        1);
    CompiledFlow top =
        compile(
            """
            {"apiName": "Top", "type": "AUTOLAUNCHED", "start": "Call_Middle",
             "elements": [{"type": "Subflow", "name": "Call_Middle", "flow": "Middle",
               "faultNext": "Never_Taken"},
               {"type": "Subflow", "name": "Never_Taken", "flow": "Leaf"}]}""",
            1);

    assertThat(interpreter.start(top, Map.of(), context))
        .isEqualTo(new SegmentResult.Completed(Map.of()));
    SegmentResult limited =
        new FlowInterpreter(actions, new FlowLimits(100, 2, 1000)).start(top, Map.of(), context);

    assertThat(((SegmentResult.Failed) limited).failure().describe())
        .isEqualTo(
            "Flow Middle v1, element Call_Leaf: subflow depth limit of 2 reached"
                + " (maxSubflowDepth) calling 'Leaf' (in a subflow called from Top v1 element"
                + " Call_Middle)");
  }

  @Test
  void inputsAreConvertedToTheDeclaredTypesAndBadInputsAreAllReported() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Typed", "type": "AUTOLAUNCHED",
             "variables": [{"name": "day", "type": "DATE", "input": true, "output": true},
                           {"name": "price", "type": "CURRENCY", "input": true, "output": true},
                           {"name": "ok", "type": "BOOLEAN", "input": true, "output": true}],
             "start": "Same",
             "elements": [{"type": "Assignment", "name": "Same",
               "assignments": [{"target": "ok", "value": {"ref": "ok"}}]}]}""",
            1);

    assertThat(
            interpreter.start(flow, Map.of("day", "2025-02-28", "price", 3, "ok", true), context))
        .isEqualTo(
            new SegmentResult.Completed(
                Map.of(
                    "day",
                    LocalDate.of(2025, 2, 28),
                    "price",
                    new BigDecimal("3.00"),
                    "ok",
                    true)));
    assertThatThrownBy(
            () ->
                interpreter.start(
                    flow, Map.of("day", "yesterday", "price", "cheap", "colour", "red"), context))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> {
              assertThat(e.getErrorCode())
                  .isEqualTo(StandardErrorCode.INVALID_REQUEST.toErrorCode());
              assertThat(e.getProblems())
                  .extracting(Problem::path)
                  .containsExactlyInAnyOrder("$.day", "$.price", "$.colour");
            });
  }

  @Test
  void outputsComeInDeclarationOrderWithoutNullsAndCannotBeChanged() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Outputs", "type": "AUTOLAUNCHED",
             "variables": [{"name": "z", "type": "TEXT", "input": true, "output": true},
                           {"name": "gone", "type": "TEXT", "input": true, "output": true,
                            "default": "set"},
                           {"name": "a", "type": "NUMBER", "output": true, "default": 1}],
             "start": "Same",
             "elements": [{"type": "Assignment", "name": "Same",
               "assignments": [{"target": "z", "value": {"ref": "z"}}]}]}""",
            1);
    Map<String, Object> inputs = new java.util.HashMap<>();
    inputs.put("z", "last");
    // An input given as null replaces the default.
    inputs.put("gone", null);

    Map<String, Object> outputs =
        ((SegmentResult.Completed) interpreter.start(flow, inputs, context)).outputs();

    Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("z", "last");
    expected.put("a", BigDecimal.ONE);
    assertThat(outputs).containsExactly(Map.entry("z", "last"), Map.entry("a", BigDecimal.ONE));
    assertThat(outputs).isEqualTo(expected).hasSameHashCodeAs(expected);
    assertThat(outputs).hasToString(expected.toString());
    assertThat(outputs.get("gone")).isNull();
    assertThat(outputs.containsKey("gone")).isFalse();
    assertThatThrownBy(() -> outputs.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> outputs.remove("z")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(interpreter.start(flow, Map.of("z", "only"), context))
        .isEqualTo(
            new SegmentResult.Completed(Map.of("z", "only", "gone", "set", "a", BigDecimal.ONE)));
    assertThatThrownBy(() -> interpreter.start(flow, Map.of("colour", "red"), context))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .containsExactly(
                        new Problem(
                            "$.colour",
                            "flow Outputs v1 has no input variable 'colour' (inputs: [z, gone])")));
  }

  @Test
  void listInputsAreConvertedOrKeptAndBadItemsReported() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Prices", "type": "AUTOLAUNCHED",
             "variables": [{"name": "prices", "type": "CURRENCY", "collection": true,
                            "input": true, "output": true}],
             "start": "Same",
             "elements": [{"type": "Assignment", "name": "Same",
               "assignments": [{"target": "prices", "value": {"ref": "prices"}}]}]}""",
            1);
    List<BigDecimal> exact = List.of(new BigDecimal("1.00"), new BigDecimal("2.50"));
    List<Object> mutable = new ArrayList<>(exact);

    assertThat(run(flow, "prices", List.of(1, new BigDecimal("2.499"))))
        .isEqualTo(List.of(new BigDecimal("1.00"), new BigDecimal("2.50")));
    // An immutable list whose items have the type already is used as it is.
    assertThat(run(flow, "prices", exact)).isSameAs(exact);
    Object copied = run(flow, "prices", mutable);
    assertThat(copied).isNotSameAs(mutable).isEqualTo(exact);
    assertThatThrownBy(() -> ((List<?>) copied).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () ->
                interpreter.start(
                    flow, Map.of("prices", List.of(new BigDecimal("1.00"), "two")), context))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .containsExactly(new Problem("$.prices", "expected CURRENCY, got 'two'")));
  }

  private Object run(CompiledFlow flow, String name, Object value) {
    return ((SegmentResult.Completed) interpreter.start(flow, Map.of(name, value), context))
        .outputs()
        .get(name);
  }

  @Test
  void decisionsSupportCustomLogicAndOneSidedOperators() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Logic", "type": "AUTOLAUNCHED",
             "variables": [{"name": "a", "type": "NUMBER", "input": true},
                           {"name": "t", "type": "TEXT", "input": true},
                           {"name": "out", "type": "TEXT", "output": true}],
             "start": "D",
             "elements": [
               {"type": "Decision", "name": "D", "defaultNext": "No", "outcomes": [{"name": "yes",
                 "logic": "1 AND (2 OR NOT 3)", "next": "Yes", "requirements": [
                   {"left": {"ref": "a"}, "operator": "GREATER_OR_EQUAL", "right": {"value": 10}},
                   {"left": {"ref": "t"}, "operator": "IS_BLANK", "right": {"value": true}},
                   {"left": {"ref": "t"}, "operator": "EQUALS", "right": {"value": "go"}}]}]},
               {"type": "Assignment", "name": "Yes", "assignments": [{"target": "out", "value": {"value": "yes"}}]},
               {"type": "Assignment", "name": "No", "assignments": [{"target": "out", "value": {"value": "no"}}]}]}""",
            1);

    assertThat(run(flow, Map.of("a", 10))).isEqualTo("yes");
    assertThat(run(flow, Map.of("a", 10, "t", "go"))).isEqualTo("no");
    assertThat(run(flow, Map.of("a", 10, "t", "stop"))).isEqualTo("yes");
    assertThat(run(flow, Map.of("a", 9))).isEqualTo("no");
  }

  private Object run(CompiledFlow flow, Map<String, Object> inputs) {
    return ((SegmentResult.Completed) interpreter.start(flow, inputs, context))
        .outputs()
        .get("out");
  }

  @Test
  void evaluationFlowAnswersFalseByDefault() {
    CompiledFlow flow = fixture("flow-is-large.json", 1);

    assertThat(interpreter.start(flow, Map.of("amount", 4999.99), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("isOrchestrationConditionMet", false)));
    assertThat(interpreter.start(flow, Map.of("amount", 5000), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("isOrchestrationConditionMet", true)));
  }

  private static String write(InterviewState state) {
    try {
      return Fixtures.MAPPER.writeValueAsString(state);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
