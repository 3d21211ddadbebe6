package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.object.DataType;
import io.orchestrion.flow.json.StoredJsonReader;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionParameter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fault connectors of every element that has one, the limits, and stored-state upgrades. */
class FaultsAndLimitsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

  private final ActionRegistry actions =
      new SimpleActionRegistry(
          List.of(
              SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()))
                  .find("log")
                  .orElseThrow(),
              new RegisteredAction(
                  "testing-plugin",
                  new ActionDescriptor(
                      "explode",
                      "Always fails",
                      List.of(),
                      List.of(ActionParameter.optional("never", DataType.TEXT)),
                      false),
                  invocation -> {
                    throw new IllegalStateException("boom");
                  },
                  FaultsAndLimitsTest.class.getClassLoader())));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "explode", "log");
  private final TestingRecordStore store = new TestingRecordStore(NOW, Fixtures.expenseType());
  private final TestingInterviewContext context = new TestingInterviewContext(store, NOW);
  private final FlowInterpreter interpreter = new FlowInterpreter(actions, FlowLimits.defaults());

  private CompiledFlow compile(String json, int version) {
    CompiledFlow flow =
        new FlowCompiler().compile(Fixtures.PARSER.parse(json), version, environment);
    context.withFlow(flow);
    environment.withActiveFlow(flow.definition());
    return flow;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          GetRecords    | "objectType": "Expense", "into": "all", "filters": [{"field": "Title", "operator": "CONTAINS", "value": {"value": "x"}}] | CONTAINS
          CreateRecords | "record": "nothing"                              | the record variable to create is null
          UpdateRecords | "record": "nothing"                              | the record variable to update is null
          DeleteRecords | "record": "nothing"                              | the record variable to delete is null
          Action        | "action": "explode"                              | action 'explode' of plugin 'testing-plugin' failed: boom
          Subflow       | "flow": "Exploding"                              | Flow Exploding v2, element Explode: action 'explode' of plugin 'testing-plugin' failed: boom (in a subflow called from Careful v1 element Risky)
          Wait          | "until": {"ref": "never"}                        | the date-time to wait until is null
          """)
  void aFaultTakesTheElementsFaultConnectorWithTheMessage(
      String kind, String properties, String message) {
    store.insert("Expense", Map.of("Title", "Taxi", "Amount", BigDecimal.ONE), "alice");
    compile(
        """
        {"apiName": "Exploding", "type": "AUTOLAUNCHED", "start": "Explode",
         "elements": [{"type": "Action", "name": "Explode", "action": "explode"}]}""",
        2);
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Careful", "type": "AUTOLAUNCHED",
             "variables": [
               {"name": "all", "type": "RECORD", "objectType": "Expense", "collection": true},
               {"name": "nothing", "type": "RECORD", "objectType": "Expense"},
               {"name": "never", "type": "DATETIME"},
               {"name": "problem", "type": "TEXT", "output": true}],
             "start": "Risky",
             "elements": [
               {"type": "%s", "name": "Risky", %s, "faultNext": "Caught"},
               {"type": "Assignment", "name": "Caught",
                "assignments": [{"target": "problem", "value": {"ref": "$Flow.FaultMessage"}}]}]}"""
                .formatted(kind, properties),
            1);

    assertThat(interpreter.start(flow, Map.of(), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("problem", message)));
  }

  @Test
  void theCpuTimeLimitFailsTheInterviewNamingTheLimit() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Busy", "type": "AUTOLAUNCHED",
             "variables": [{"name": "items", "type": "NUMBER", "collection": true, "input": true},
                           {"name": "n", "type": "NUMBER"},
                           {"name": "sum", "type": "NUMBER", "output": true}],
             "start": "Each",
             "elements": [
               {"type": "Loop", "name": "Each", "collection": "items", "item": "n", "each": "Add"},
               {"type": "Assignment", "name": "Add", "next": "Each",
                "assignments": [{"target": "sum", "operator": "ADD", "value": {"ref": "n"}}]}]}""",
            1);
    List<Integer> items = java.util.stream.IntStream.range(0, 600).boxed().toList();
    FlowInterpreter strict =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxCpuTime(Duration.ofNanos(1)));

    SegmentResult result = strict.start(flow, Map.of("items", items), context);

    // The clock is read every 1,024 elements: the 1,024th is the Loop element (odd ones are).
    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Busy v1, element Add: CPU time limit of PT0.000000001S reached (maxCpuTime)"
                + " after 1024 elements");
    assertThat(interpreter.start(flow, Map.of("items", items), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("sum", new BigDecimal(599 * 600 / 2))));
  }

  @Test
  void theCpuTimeLimitIsCheckedWhenAShortSegmentEnds() {
    CompiledFlow flow = oneAssignment("Short");
    FlowInterpreter strict =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxCpuTime(Duration.ofNanos(1)));

    SegmentResult result = strict.start(flow, Map.of(), context);

    // One element, far from the 1,024 between readings: the reading at the end catches it.
    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Short v1, element (end): CPU time limit of PT0.000000001S reached (maxCpuTime)"
                + " after 1 elements");
  }

  /** A flow of one Assignment: far from the 1,024 elements between periodic limit checks. */
  private CompiledFlow oneAssignment(String apiName) {
    return compile(
        """
        {"apiName": "%s", "type": "AUTOLAUNCHED",
         "variables": [{"name": "n", "type": "NUMBER", "output": true}],
         "start": "Set",
         "elements": [
           {"type": "Assignment", "name": "Set",
            "assignments": [{"target": "n", "value": {"value": 1}}]}]}"""
            .formatted(apiName),
        1);
  }

  @Test
  void theSegmentTimeLimitFailsTheSegmentNamingTheLimit() {
    CompiledFlow flow = oneAssignment("Slow");
    FlowInterpreter strict =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxSegmentTime(Duration.ofNanos(1)));

    SegmentResult result = strict.start(flow, Map.of(), context);

    // SPEC §6.4: wall-clock time per segment, beside the CPU time of the whole interview.
    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Slow v1, element (end): segment time limit of PT0.000000001S reached"
                + " (maxSegmentTime) after 1 elements");
    assertThat(interpreter.start(flow, Map.of(), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("n", BigDecimal.ONE)));
  }

  @Test
  void aSegmentTimeSetByAnotherSettingNamesThatSetting() {
    CompiledFlow flow = oneAssignment("Budgeted");
    FlowLimits budget =
        FlowLimits.defaults().withMaxSegmentTime(Duration.ofNanos(1), "synchronousTimeBudget");

    // The engine gives a synchronous step what remains of its pass's time budget this way.
    SegmentResult result = interpreter.start(flow, Map.of(), context, budget);

    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Budgeted v1, element (end): segment time limit of PT0.000000001S reached"
                + " (synchronousTimeBudget) after 1 elements");
    assertThat(budget.withMaxSegmentTime(Duration.ofMinutes(1)).segmentTimeLimitName())
        .isEqualTo("maxSegmentTime");
  }

  @Test
  void cpuTimeOfEarlierSegmentsCountsWhenAResumedSegmentEnds() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Sleepy", "type": "AUTOLAUNCHED",
             "variables": [{"name": "n", "type": "NUMBER", "output": true}],
             "start": "Nap",
             "elements": [
               {"type": "Wait", "name": "Nap", "duration": "PT1M", "next": "Set"},
               {"type": "Assignment", "name": "Set",
                "assignments": [{"target": "n", "value": {"value": 1}}]}]}""",
            1);
    InterviewState paused =
        ((SegmentResult.Paused) interpreter.start(flow, Map.of(), context)).state();
    Duration limit = Duration.ofHours(1);
    InterviewState almostSpent =
        new InterviewState(
            paused.formatVersion(),
            paused.frames(),
            paused.executedElements(),
            limit.toNanos() - 1,
            paused.pendingAction());
    FlowInterpreter limited =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxCpuTime(limit));

    SegmentResult result = limited.resume(almostSpent, context.at(NOW.plusSeconds(60)));

    assertThat(paused.cpuNanos()).isPositive();
    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Sleepy v1, element (end): CPU time limit of PT1H reached (maxCpuTime)"
                + " after 2 elements");
    assertThat(limited.resume(paused, context.at(NOW.plusSeconds(60))))
        .isEqualTo(new SegmentResult.Completed(Map.of("n", BigDecimal.ONE)));
  }

  @Test
  void aPausedInterviewStoredByFormatVersion1Resumes() {
    // The fixture is what issue #2's interpreter stored at the Wait of Score_Risk v3.
    compile(Fixtures.text("flow-score-risk.json"), 3);
    String id =
        store
            .insert(
                "Expense",
                Map.of("Title", "Taxi", "Amount", new BigDecimal("12.50"), "Status", "Draft"),
                "alice")
            .id()
            .orElseThrow();
    InterviewState state =
        new StoredJsonReader(Fixtures.MAPPER)
            .read(
                Fixtures.text("interview-state-v1-score-risk.json"),
                InterviewState.class,
                "interview state");

    SegmentResult result = interpreter.resume(state, context.at(NOW.plusSeconds(60)));

    assertThat(id).isEqualTo("EXP-1");
    assertThat(state.formatVersion()).isEqualTo(1);
    assertThat(result)
        .isEqualTo(new SegmentResult.Completed(Map.of("risk", new BigDecimal("12.50"))));
    assertThat(store.get(id).fields()).containsEntry("Risk", new BigDecimal("12.50"));
    assertThat(store.get(id).version()).isEqualTo(2);
  }
}
