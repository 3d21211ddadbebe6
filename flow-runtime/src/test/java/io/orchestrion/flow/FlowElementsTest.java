package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.flow.json.StoredJsonReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The elements of issue #3: Loop, CollectionSort, CollectionFilter, IS_CHANGED, operators. */
class FlowElementsTest {
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

  private CompiledFlow compile(String variables, String start, String elements) {
    String json =
        """
        {"apiName": "Test_Flow", "type": "AUTOLAUNCHED",
         "variables": [%s], "start": "%s", "elements": [%s]}"""
            .formatted(variables, start, elements);
    CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(json), 1, environment);
    context.withFlow(flow);
    return flow;
  }

  private Map<String, Object> run(CompiledFlow flow, Map<String, Object> inputs) {
    SegmentResult result = interpreter.start(flow, inputs, context);
    assertThat(result).isInstanceOf(SegmentResult.Completed.class);
    return ((SegmentResult.Completed) result).outputs();
  }

  private void expense(String title, String amount) {
    store.insert(
        "Expense",
        Map.of("Title", title, "Amount", new BigDecimal(amount), "Status", "Draft"),
        "alice");
  }

  @Test
  void loopsOverFilteredRecordsSummingAnAmount() {
    expense("Taxi", "12.50");
    expense("Hotel", "240.00");
    expense("Flight", "610.35");
    expense("Coffee", "3.20");
    CompiledFlow flow =
        compile(
            """
            {"name": "all", "type": "RECORD", "objectType": "Expense", "collection": true},
            {"name": "large", "type": "RECORD", "objectType": "Expense", "collection": true},
            {"name": "line", "type": "RECORD", "objectType": "Expense"},
            {"name": "total", "type": "CURRENCY", "output": true, "default": 0},
            {"name": "titles", "type": "TEXT", "output": true},
            {"name": "count", "type": "NUMBER", "output": true, "default": 0}""",
            "Get",
            """
            {"type": "GetRecords", "name": "Get", "objectType": "Expense", "into": "all",
             "sort": [{"field": "Amount", "descending": true}], "next": "Keep_Large"},
            {"type": "CollectionFilter", "name": "Keep_Large", "collection": "all", "into": "large",
             "logic": "1 OR 2", "requirements": [
               {"left": {"ref": "$Item.Amount"}, "operator": "GREATER_THAN", "right": {"value": 100}},
               {"left": {"ref": "$Item.Title"}, "operator": "STARTS_WITH", "right": {"value": "Tax"}}],
             "next": "Each_Line"},
            {"type": "Loop", "name": "Each_Line", "collection": "large", "item": "line",
             "each": "Add_Line"},
            {"type": "Assignment", "name": "Add_Line", "next": "Each_Line", "assignments": [
              {"target": "total", "operator": "ADD", "value": {"ref": "line.Amount"}},
              {"target": "titles", "operator": "ADD", "value": {"ref": "line.Title"}},
              {"target": "count", "operator": "ADD", "value": {"value": 1}}]}""");

    assertThat(flow.analysis().errors()).isEmpty();
    Map<String, Object> outputs = run(flow, Map.of());

    assertThat(outputs)
        .containsEntry("total", new BigDecimal("862.85"))
        .containsEntry("titles", "FlightHotelTaxi")
        .containsEntry("count", new BigDecimal("3"));
  }

  @Test
  void loopsOverScalarsAndCollectionOperatorsKeepTheirTypes() {
    CompiledFlow flow =
        compile(
            """
            {"name": "numbers", "type": "NUMBER", "collection": true, "input": true},
            {"name": "n", "type": "NUMBER"},
            {"name": "out", "type": "NUMBER", "collection": true, "output": true},
            {"name": "sum", "type": "NUMBER", "output": true}""",
            "Sort",
            """
            {"type": "CollectionSort", "name": "Sort", "collection": "numbers", "descending": true,
             "limit": 4, "next": "Each"},
            {"type": "Loop", "name": "Each", "collection": "numbers", "item": "n",
             "each": "Collect", "after": "Edit"},
            {"type": "Assignment", "name": "Collect", "next": "Each", "assignments": [
              {"target": "out", "operator": "ADD_AT_START", "value": {"ref": "n"}},
              {"target": "sum", "operator": "SUBTRACT", "value": {"ref": "n"}}]},
            {"type": "Assignment", "name": "Edit", "assignments": [
              {"target": "out", "operator": "ADD_ITEM", "value": {"value": 2}},
              {"target": "out", "operator": "REMOVE_FIRST", "value": {"value": 2}},
              {"target": "out", "operator": "ADD_ITEM", "value": {"ref": "numbers"}},
              {"target": "out", "operator": "REMOVE_ALL", "value": {"value": 7}}]}""");

    Map<String, Object> outputs = run(flow, Map.of("numbers", List.of(3, 7, 1, 2, 0.5)));

    // Sorted 7, 3, 2, 1 (limit 4); collected at the start: 1, 2, 3, 7; the first 2 removed and
    // the sorted collection appended; every 7 removed.
    assertThat(outputs.get("out"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .extracting(value -> ((BigDecimal) value).intValue())
        .containsExactly(1, 3, 2, 3, 2, 1);
    assertThat(outputs.get("sum")).isEqualTo(new BigDecimal("-13"));
  }

  @Test
  void emptyAndNullCollectionsSkipTheLoopBody() {
    CompiledFlow flow =
        compile(
            """
            {"name": "texts", "type": "TEXT", "collection": true, "input": true},
            {"name": "t", "type": "TEXT"},
            {"name": "out", "type": "TEXT", "output": true, "default": "none"}""",
            "Each",
            """
            {"type": "Loop", "name": "Each", "collection": "texts", "item": "t", "each": "Set"},
            {"type": "Assignment", "name": "Set", "next": "Each", "assignments": [
              {"target": "out", "value": {"ref": "t"}}]}""");

    assertThat(run(flow, Map.of())).containsEntry("out", "none");
    assertThat(run(flow, Map.of("texts", List.of()))).containsEntry("out", "none");
    assertThat(run(flow, Map.of("texts", List.of("a", "b")))).containsEntry("out", "b");
  }

  @Test
  void sortsRecordsByFieldsWithNullsLast() {
    expense("B", "5.00");
    expense("A", "5.00");
    expense("C", "9.00");
    store.insert("Expense", Map.of("Title", "D", "Amount", new BigDecimal("1.00")), "alice");
    CompiledFlow flow =
        compile(
            """
            {"name": "all", "type": "RECORD", "objectType": "Expense", "collection": true,
             "output": true}""",
            "Get",
            """
            {"type": "GetRecords", "name": "Get", "objectType": "Expense", "into": "all",
             "next": "Sort"},
            {"type": "CollectionSort", "name": "Sort", "collection": "all", "sort": [
              {"field": "Status", "descending": false},
              {"field": "Amount", "descending": true}, {"field": "Title"}]}""");

    List<?> sorted = (List<?>) run(flow, Map.of()).get("all");

    assertThat(sorted)
        .extracting(record -> ((RecordData) record).fields().get("Title"))
        .containsExactly("C", "A", "B", "D");
  }

  @Test
  void isChangedComparesWithTheValueAtInterviewStartAndWasSetWithNull() {
    CompiledFlow flow =
        compile(
            """
            {"name": "amount", "type": "NUMBER", "input": true},
            {"name": "raise", "type": "BOOLEAN", "input": true},
            {"name": "note", "type": "TEXT"},
            {"name": "out", "type": "TEXT", "output": true}""",
            "Maybe_Raise",
            """
            {"type": "Decision", "name": "Maybe_Raise", "defaultNext": "Check", "outcomes": [
              {"name": "yes", "next": "Raise", "requirements": [
                {"left": {"ref": "raise"}, "operator": "EQUALS", "right": {"value": true}}]}]},
            {"type": "Assignment", "name": "Raise", "next": "Check", "assignments": [
              {"target": "amount", "operator": "ADD", "value": {"value": 0.0}},
              {"target": "note", "value": {"value": "set"}}]},
            {"type": "Decision", "name": "Check", "defaultNext": "Same", "outcomes": [
              {"name": "changed", "next": "Changed", "logic": "ANY", "requirements": [
                {"left": {"ref": "amount"}, "operator": "IS_CHANGED", "right": {"value": true}},
                {"left": {"ref": "note"}, "operator": "WAS_SET", "right": {"value": true}}]}]},
            {"type": "Assignment", "name": "Changed", "assignments": [
              {"target": "out", "value": {"value": "changed"}}]},
            {"type": "Assignment", "name": "Same", "assignments": [
              {"target": "out", "value": {"value": "same"}}]}""");

    assertThat(run(flow, Map.of("amount", 5, "raise", false))).containsEntry("out", "same");
    // ADD 0.0 turns 5 into 5.0: equal by value, so not changed; the note was set.
    assertThat(run(flow, Map.of("amount", 5, "raise", true))).containsEntry("out", "changed");
    // null + 0 is 0: changed from null.
    assertThat(run(flow, Map.of("raise", true))).containsEntry("out", "changed");
  }

  @Test
  void isChangedOnARecordFieldAfterAnUpdateInTheFlow() {
    CompiledFlow flow =
        compile(
            """
            {"name": "expense", "type": "RECORD", "objectType": "Expense", "input": true},
            {"name": "out", "type": "BOOLEAN", "output": true, "default": false}""",
            "Set_Status",
            """
            {"type": "Assignment", "name": "Set_Status", "next": "Check", "assignments": [
              {"target": "expense.Status", "value": {"value": "Checked"}}]},
            {"type": "Decision", "name": "Check", "outcomes": [
              {"name": "changed", "next": "Yes", "logic": "1 AND NOT 2", "requirements": [
                {"left": {"ref": "expense.Status"}, "operator": "IS_CHANGED", "right": {"value": true}},
                {"left": {"ref": "expense.Title"}, "operator": "IS_CHANGED", "right": {"value": true}}]}]},
            {"type": "Assignment", "name": "Yes", "assignments": [
              {"target": "out", "value": {"value": true}}]}""");
    RecordData draft = new RecordData("Expense", Map.of("Title", "Taxi", "Status", "Draft"), 1);
    RecordData checked = new RecordData("Expense", Map.of("Title", "Taxi", "Status", "Checked"), 1);

    assertThat(run(flow, Map.of("expense", draft))).containsEntry("out", true);
    assertThat(run(flow, Map.of("expense", checked))).containsEntry("out", false);
  }

  @Test
  void aLoopPausedAtAWaitResumesWithItsPositionFromStoredState() throws Exception {
    CompiledFlow flow =
        compile(
            """
            {"name": "texts", "type": "TEXT", "collection": true, "input": true},
            {"name": "t", "type": "TEXT"},
            {"name": "out", "type": "TEXT", "output": true}""",
            "Each",
            """
            {"type": "Loop", "name": "Each", "collection": "texts", "item": "t", "each": "Append"},
            {"type": "Assignment", "name": "Append", "next": "Pause", "assignments": [
              {"target": "out", "operator": "ADD", "value": {"ref": "t"}}]},
            {"type": "Wait", "name": "Pause", "duration": "PT1M", "next": "Each"}""");
    StoredJsonReader reader = new StoredJsonReader(Fixtures.MAPPER);

    SegmentResult result =
        interpreter.start(flow, Map.of("texts", List.of("a", "b", "c")), context);
    int segments = 1;
    while (result instanceof SegmentResult.Paused paused) {
      String json = Fixtures.MAPPER.writeValueAsString(paused.state());
      assertThat(json).contains("\"Each.position\"").contains("\"Each.items\"");
      result = interpreter.resume(reader.read(json, InterviewState.class, "state"), context);
      segments++;
    }

    assertThat(segments).isEqualTo(4);
    assertThat(result).isEqualTo(new SegmentResult.Completed(Map.of("out", "abc")));
  }
}
