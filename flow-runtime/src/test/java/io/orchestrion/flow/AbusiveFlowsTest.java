package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8 §5 and §6: flows that try to exhaust memory or CPU stop at the limit named in their
 * failure, at the element that reached it, long before they could hurt the server. Bounds in the
 * assertions are generous (ten times what they take here); they fail where the interpreter used to
 * build a 268-million-character text, run out of memory or run a formula past its CPU limit.
 */
class AbusiveFlowsTest {
  private static final java.time.Instant NOW = java.time.Instant.parse("2025-03-01T09:00:00Z");

  /** Allocation allowed for a flow that is stopped by a value limit. */
  private static final long ALLOCATION_BOUND = 256L * 1024 * 1024;

  private final ActionRegistry actions =
      SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "log");
  private final TestingRecordStore store = new TestingRecordStore(NOW, Fixtures.expenseType());
  private final TestingInterviewContext context = new TestingInterviewContext(store, NOW);
  private final FlowInterpreter interpreter = new FlowInterpreter(actions, FlowLimits.defaults());

  private CompiledFlow compile(String json) {
    CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(json), 1, environment);
    context.withFlow(flow);
    return flow;
  }

  private static List<Integer> times(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  private static String failure(SegmentResult result) {
    assertThat(result).isInstanceOf(SegmentResult.Failed.class);
    return ((SegmentResult.Failed) result).failure().describe();
  }

  /** A Loop over {@code rounds} that runs the Assignment {@code Grow} once per item. */
  private static String loop(String variables, String formulas, String assignments) {
    return """
        {"apiName": "Abuse", "type": "AUTOLAUNCHED",
         "variables": [{"name": "rounds", "type": "NUMBER", "collection": true, "input": true},
                       {"name": "round", "type": "NUMBER"}, %s],
         "formulas": [%s],
         "start": "Each",
         "elements": [
           {"type": "Loop", "name": "Each", "collection": "rounds", "item": "round",
            "each": "Grow"},
           {"type": "Assignment", "name": "Grow", "next": "Each", "assignments": [%s]}]}"""
        .formatted(variables, formulas, assignments);
  }

  /** Runs {@code run} and returns the bytes the thread allocated meanwhile. */
  private static long allocated(Runnable run) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    run.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  @ParameterizedTest(name = "{0} rounds")
  @ValueSource(ints = {22, 40})
  void doublingATextInAFormulaStopsAtTheTextLengthLimit(int rounds) {
    CompiledFlow flow =
        compile(
            loop(
                """
                {"name": "t", "type": "TEXT", "default": "ab"}""",
                """
                {"name": "doubled", "type": "TEXT", "expression": "t + t"}""",
                """
                {"target": "t", "value": {"formula": "doubled"}}"""));
    SegmentResult[] result = new SegmentResult[1];

    long allocated =
        allocated(
            () -> result[0] = interpreter.start(flow, Map.of("rounds", times(rounds)), context));

    // 2 * 2^17 = 262,144 characters: built by the 17th round, refused before it is stored.
    assertThat(failure(result[0]))
        .isEqualTo(
            "Flow Abuse v1, element Grow: text length limit of 131072 characters reached"
                + " (maxTextLength): a value built inside formula 'doubled' would hold a text of"
                + " 262144 characters");
    // 22 rounds used to build 268 million characters (1.5 GB of heap); 40 ran out of memory.
    assertThat(allocated).isLessThan(ALLOCATION_BOUND);
  }

  @Test
  void doublingATextWithTheAddOperatorStopsAtTheTextLengthLimit() {
    CompiledFlow flow =
        compile(
            loop(
                """
                {"name": "t", "type": "TEXT", "default": "ab"}""",
                "",
                """
                {"target": "t", "operator": "ADD", "value": {"ref": "t"}}"""));

    SegmentResult result = interpreter.start(flow, Map.of("rounds", times(40)), context);

    assertThat(failure(result))
        .isEqualTo(
            "Flow Abuse v1, element Grow: text length limit of 131072 characters reached"
                + " (maxTextLength): variable 't' would hold a text of 262144 characters");
  }

  @Test
  void oneAssignmentOfManyDoublingStepsIsCheckedAfterEachStep() {
    String doubling =
        String.join(
            ",\n",
            Collections.nCopies(
                40, "{\"target\": \"t\", \"operator\": \"ADD\", \"value\": {\"ref\": \"t\"}}"));
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Abuse", "type": "AUTOLAUNCHED",
             "variables": [{"name": "t", "type": "TEXT", "default": "ab"}],
             "start": "Grow",
             "elements": [{"type": "Assignment", "name": "Grow", "assignments": [%s]}]}"""
                .formatted(doubling));
    SegmentResult[] result = new SegmentResult[1];

    long allocated = allocated(() -> result[0] = interpreter.start(flow, Map.of(), context));

    assertThat(failure(result[0]))
        .contains("element Grow: text length limit of 131072 characters reached (maxTextLength)");
    assertThat(allocated).isLessThan(ALLOCATION_BOUND);
  }

  @Test
  void aCollectionAddedToItselfStopsAtTheCollectionItemLimit() {
    CompiledFlow flow =
        compile(
            loop(
                """
                {"name": "items", "type": "NUMBER", "collection": true, "default": [1]}""",
                "",
                """
                {"target": "items", "operator": "ADD_ITEM", "value": {"ref": "items"}}"""));
    SegmentResult[] result = new SegmentResult[1];

    long allocated =
        allocated(() -> result[0] = interpreter.start(flow, Map.of("rounds", times(40)), context));

    assertThat(failure(result[0]))
        .isEqualTo(
            "Flow Abuse v1, element Grow: collection item limit of 10000 reached"
                + " (maxCollectionItems): variable 'items' would hold 16384 items");
    assertThat(allocated).isLessThan(ALLOCATION_BOUND);
  }

  @Test
  void aListBuiltInsideAFormulaStopsAtTheCollectionItemLimit() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Lists", "type": "AUTOLAUNCHED",
             "variables": [{"name": "items", "type": "NUMBER", "collection": true, "input": true},
                           {"name": "n", "type": "NUMBER", "output": true}],
             "formulas": [{"name": "count", "type": "NUMBER",
                           "expression": "size(items + items + items)"}],
             "start": "Count",
             "elements": [{"type": "Assignment", "name": "Count",
               "assignments": [{"target": "n", "value": {"formula": "count"}}]}]}""");

    assertThat(interpreter.start(flow, Map.of("items", times(3_000)), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("n", new BigDecimal(9_000))));
    assertThat(failure(interpreter.start(flow, Map.of("items", times(4_000)), context)))
        .isEqualTo(
            "Flow Lists v1, element Count: collection item limit of 10000 reached"
                + " (maxCollectionItems): a value built inside formula 'count' would hold 12000"
                + " items");
  }

  @Test
  void largeTextsCollectedInALoopStopAtTheInterviewValueSizeLimit() {
    // 64 texts of 131,072 characters: more than the 8 MiB of all values of an interview.
    CompiledFlow flow =
        compile(
            loop(
                """
                {"name": "t", "type": "TEXT", "input": true},
                {"name": "texts", "type": "TEXT", "collection": true}""",
                "",
                """
                {"target": "texts", "operator": "ADD_ITEM", "value": {"ref": "t"}}"""));
    String large = "x".repeat(FlowLimits.DEFAULT_MAX_TEXT_LENGTH);

    SegmentResult result =
        interpreter.start(flow, Map.of("rounds", times(100), "t", large), context);

    assertThat(failure(result))
        .startsWith(
            "Flow Abuse v1, element Grow: interview value size limit of 8388608 characters of"
                + " JSON reached (maxValuesJsonChars): the values would take about")
        .endsWith("after variable 'texts' changed");
  }

  @Test
  void textsBuiltByOneFormulaEvaluationCountAgainstTheInterviewValueSize() {
    // Each item is short-lived, but all of them exist at once in the list map() builds.
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Builder", "type": "AUTOLAUNCHED",
             "variables": [{"name": "items", "type": "NUMBER", "collection": true, "input": true},
                           {"name": "t", "type": "TEXT", "input": true},
                           {"name": "n", "type": "NUMBER", "output": true}],
             "formulas": [{"name": "copies", "type": "NUMBER",
                           "expression": "size(items.map(i, t + t))"}],
             "start": "Count",
             "elements": [{"type": "Assignment", "name": "Count",
               "assignments": [{"target": "n", "value": {"formula": "copies"}}]}]}""");
    String text = "y".repeat(50_000);

    SegmentResult[] result = new SegmentResult[1];

    long allocated =
        allocated(
            () ->
                result[0] =
                    interpreter.start(flow, Map.of("items", times(1_000), "t", text), context));

    // Without the budget, map() would build 1,000 texts of 100,000 characters.
    assertThat(allocated).isLessThan(ALLOCATION_BOUND);
    assertThat(failure(result[0]))
        .startsWith(
            "Flow Builder v1, element Count: interview value size limit of 8388608 characters of"
                + " JSON reached (maxValuesJsonChars): formula 'copies' built more than");
  }

  @Test
  void aNestedComprehensionWithMatchesStopsAtTheCpuLimitInsideTheFormula() {
    // Issue 8 §6: 99 x 99 matches() per evaluation, in a Loop; it used to run on until the
    // 60-second segment limit because the CPU time was only read between elements.
    CompiledFlow flow =
        compile(
            loop(
                """
                {"name": "words", "type": "TEXT", "collection": true, "input": true},
                {"name": "ok", "type": "BOOLEAN"}""",
                """
                {"name": "heavy", "type": "BOOLEAN", "expression":
                 "words.all(a, words.all(b, (a + b).matches('^(x+x+)+y$') || size(a) > 0))"}""",
                """
                {"target": "ok", "value": {"formula": "heavy"}}"""));
    List<String> words = Collections.nCopies(99, "x".repeat(200));
    FlowInterpreter limited =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxCpuTime(Duration.ofMillis(200)));
    long started = System.nanoTime();

    SegmentResult result =
        limited.start(flow, Map.of("rounds", times(1_000), "words", words), context);

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(failure(result))
        .startsWith(
            "Flow Abuse v1, element Grow: CPU time limit of PT0.2S reached (maxCpuTime) after")
        .endsWith("elements, inside formula 'heavy'");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aLongFormulaStopsAtTheSegmentTimeLimitToo() {
    CompiledFlow flow =
        compile(
            loop(
                """
                {"name": "words", "type": "TEXT", "collection": true, "input": true},
                {"name": "ok", "type": "BOOLEAN"}""",
                """
                {"name": "heavy", "type": "BOOLEAN", "expression":
                 "words.all(a, words.all(b, (a + b).matches('^(x+x+)+y$') || size(a) > 0))"}""",
                """
                {"target": "ok", "value": {"formula": "heavy"}}"""));
    List<String> words = Collections.nCopies(99, "x".repeat(200));
    FlowInterpreter limited =
        new FlowInterpreter(
            actions, FlowLimits.defaults().withMaxSegmentTime(Duration.ofMillis(200)));

    SegmentResult result =
        limited.start(flow, Map.of("rounds", times(1_000), "words", words), context);

    assertThat(failure(result))
        .startsWith("Flow Abuse v1, element Grow: segment time limit of PT0.2S reached")
        .endsWith("inside formula 'heavy'");
  }

  @Test
  void aPatternTooLargeForMatchesIsAFaultOfTheFormula() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Patterns", "type": "AUTOLAUNCHED",
             "variables": [{"name": "t", "type": "TEXT", "input": true},
                           {"name": "p", "type": "TEXT", "input": true},
                           {"name": "ok", "type": "BOOLEAN", "output": true}],
             "formulas": [{"name": "m", "type": "BOOLEAN", "expression": "t.matches(p)"}],
             "start": "Match",
             "elements": [{"type": "Assignment", "name": "Match",
               "assignments": [{"target": "ok", "value": {"formula": "m"}}]}]}""");

    assertThat(interpreter.start(flow, Map.of("t", "abc", "p", "^a.c$"), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("ok", true)));
    assertThat(
            failure(
                interpreter.start(flow, Map.of("t", "abc", "p", "(a|b)".repeat(1_000)), context)))
        .startsWith("Flow Patterns v1, element Match: formula 'm' failed:")
        .contains("program size");
  }

  @Test
  void recordsReadIntoAVariableCountAgainstTheCollectionItemLimit() {
    for (int i = 0; i < 3; i++) {
      store.insert("Expense", Map.of("Title", "Taxi " + i, "Amount", BigDecimal.ONE), "alice");
    }
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Reader", "type": "AUTOLAUNCHED",
             "variables": [{"name": "all", "type": "RECORD", "objectType": "Expense",
                            "collection": true}],
             "start": "Get",
             "elements": [{"type": "GetRecords", "name": "Get", "objectType": "Expense",
                           "into": "all"}]}""");
    FlowInterpreter limited =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxCollectionItems(2));

    assertThat(failure(limited.start(flow, Map.of(), context)))
        .isEqualTo(
            "Flow Reader v1, element Get: collection item limit of 2 reached"
                + " (maxCollectionItems): variable 'all' would hold 3 items");
    assertThat(interpreter.start(flow, Map.of(), context))
        .isInstanceOf(SegmentResult.Completed.class);
  }

  @Test
  void aRecordWriteOfATextBuiltPastTheLimitStoresNothing() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Writer", "type": "AUTOLAUNCHED",
             "variables": [{"name": "t", "type": "TEXT", "input": true}],
             "formulas": [{"name": "title", "type": "TEXT", "expression": "t + t"}],
             "start": "Create",
             "elements": [{"type": "CreateRecords", "name": "Create", "objectType": "Expense",
               "fieldValues": {"Title": {"formula": "title"}, "Amount": {"value": 1}}}]}""");
    FlowInterpreter limited =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxTextLength(10));

    assertThat(limited.start(flow, Map.of("t", "12345"), context))
        .isEqualTo(new SegmentResult.Completed(Map.of()));
    assertThat(failure(limited.start(flow, Map.of("t", "123456"), context)))
        .isEqualTo(
            "Flow Writer v1, element Create: text length limit of 10 characters reached"
                + " (maxTextLength): a value built inside formula 'title' would hold a text of 12"
                + " characters");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void anInputPastTheLimitFailsAtTheFirstElement() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Reader", "type": "AUTOLAUNCHED",
             "variables": [{"name": "t", "type": "TEXT", "input": true}],
             "start": "Set",
             "elements": [{"type": "Assignment", "name": "Set",
               "assignments": [{"target": "t", "value": {"value": "short"}}]}]}""");
    FlowInterpreter limited =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxTextLength(10));

    assertThat(failure(limited.start(flow, Map.of("t", "x".repeat(11)), context)))
        .isEqualTo(
            "Flow Reader v1, element Set: text length limit of 10 characters reached"
                + " (maxTextLength): variable 't' would hold a text of 11 characters");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "string(decimal('1e999999999'))",
        "string(n * n)",
        "string(round(n * n, 2))",
        "n * n < decimal(1) ? 'small' : 'large'"
      })
  void aDecimalWithAHugeExponentIsAFaultNotABillionDigits(String expression) {
    // Aligning 1e1998 with 1, or writing it out, takes thousands of digits, 1e999999999 a billion.
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Digits", "type": "AUTOLAUNCHED",
             "variables": [{"name": "n", "type": "NUMBER", "input": true},
                           {"name": "t", "type": "TEXT", "output": true}],
             "formulas": [{"name": "f", "type": "TEXT", "expression": %s}],
             "start": "Set",
             "elements": [{"type": "Assignment", "name": "Set",
               "assignments": [{"target": "t", "value": {"formula": "f"}}]}]}"""
                .formatted(Fixtures.quote(expression)));
    long started = System.nanoTime();

    SegmentResult result = interpreter.start(flow, Map.of("n", new BigDecimal("1e999")), context);

    assertThat(failure(result))
        .startsWith(
            "Flow Digits v1, element Set: formula 'f' failed: decimal out of range: at most"
                + " 1000 digits and an exponent of at most 1000 in a formula, got 1 digits with"
                + " scale -");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void recursionThatDeployTimeChecksCouldNotSeeStopsAtTheSubflowDepthLimit() {
    // Each flow was deployed while the other's active version was a leaf, then both activated:
    // the deploy-time cycle check saw no recursion, the running interview does.
    String leaf =
        """
        {"apiName": "%s", "type": "AUTOLAUNCHED",
         "variables": [{"name": "payload", "type": "TEXT", "input": true}],
         "start": "Stop",
         "elements": [{"type": "Assignment", "name": "Stop", "assignments": []}]}""";
    String caller =
        """
        {"apiName": "%s", "type": "AUTOLAUNCHED",
         "variables": [{"name": "payload", "type": "TEXT", "input": true}],
         "start": "Call",
         "elements": [{"type": "Subflow", "name": "Call", "flow": "%s",
           "inputs": {"payload": {"ref": "payload"}}}]}""";
    environment.withActiveFlow(Fixtures.PARSER.parse(leaf.formatted("Pong")));
    CompiledFlow ping = compile(caller.formatted("Ping", "Pong"));
    environment.withActiveFlow(Fixtures.PARSER.parse(leaf.formatted("Ping")));
    compile(caller.formatted("Pong", "Ping"));
    String payload = "z".repeat(100_000);
    long started = System.nanoTime();

    SegmentResult result = interpreter.start(ping, Map.of("payload", payload), context);

    assertThat(failure(result))
        .startsWith(
            "Flow Pong v1, element Call: subflow depth limit of 10 reached (maxSubflowDepth)"
                + " calling 'Ping' (in a subflow called from Ping v1 element Call, Pong v1"
                + " element Call,");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    // Every frame holds its copy of the payload, as the stored state would.
    FlowInterpreter small =
        new FlowInterpreter(actions, FlowLimits.defaults().withMaxValuesJsonChars(450_000));
    assertThat(failure(small.start(ping, Map.of("payload", payload), context)))
        .isEqualTo(
            "Flow Pong v1, element Call: interview value size limit of 450000 characters of JSON"
                + " reached (maxValuesJsonChars): the values would take about 500030 after the"
                + " inputs of flow Ping changed (in a subflow called from Ping v1 element Call,"
                + " Pong v1 element Call, Ping v1 element Call)");
  }

  @Test
  void aNumberInputWithAHugeExponentIsAnInvalidInputNotABillionDigits() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Adder", "type": "AUTOLAUNCHED",
             "variables": [{"name": "n", "type": "NUMBER", "input": true, "output": true},
                           {"name": "all", "type": "NUMBER", "collection": true, "input": true}],
             "start": "Add",
             "elements": [{"type": "Assignment", "name": "Add",
               "assignments": [{"target": "n", "operator": "ADD", "value": {"value": 1}}]}]}""");
    BigDecimal huge = new BigDecimal("1e999999999");

    assertThatThrownBy(() -> interpreter.start(flow, Map.of("n", huge), context))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .containsExactly(
                        new Problem(
                            "$.n",
                            "expected a number of at most 1000 digits and an exponent of at"
                                + " most 1000, got 1E+999999999")));
    assertThatThrownBy(
            () -> interpreter.start(flow, Map.of("all", List.of(BigDecimal.ONE, huge)), context))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("Inputs of flow Adder v1");
    assertThat(interpreter.start(flow, Map.of("n", new BigDecimal("1e999")), context))
        .isInstanceOf(SegmentResult.Completed.class);
  }
}
