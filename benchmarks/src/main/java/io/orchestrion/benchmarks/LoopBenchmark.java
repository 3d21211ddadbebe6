package io.orchestrion.benchmarks;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowCompiler;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.flow.SimpleActionRegistry;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The loop benchmark of issue #3: one interview of {@code Bench_Loop_Filter_Sum} filters 1,000
 * numbers (0 to 999) to those above 500 with a CollectionFilter, then loops over the 499 kept,
 * adding each to a sum and counting it; against a hand-written Java method doing the same on the
 * same BigDecimals. Executed elements per interview: {@value #ELEMENTS} (the filter, 500 Loop
 * visits, 499 Assignments); items per interview: {@value #ITEMS}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class LoopBenchmark {
  static final int ITEMS = 1000;
  static final int ELEMENTS = 1000;
  private static final BigDecimal THRESHOLD = BigDecimal.valueOf(500);

  private FlowInterpreter interpreter;
  private CompiledFlow flow;
  private InterviewContext context;
  private List<BigDecimal> amounts;
  private Map<String, Object> inputs;

  @Setup
  public void setUp() {
    FlowDefinition definition =
        new StrictJsonReader(OrchestrionJson.newObjectMapper())
            .read(
                InterpreterBenchmark.resource("flow-loop-filter-sum.json"),
                FlowDefinition.class,
                "flow");
    flow = new FlowCompiler().compile(definition, 1, new InterpreterBenchmark.EmptyEnvironment());
    interpreter = new FlowInterpreter(new SimpleActionRegistry(List.of()), FlowLimits.defaults());
    context = new InterpreterBenchmark.PureContext();
    amounts = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      amounts.add(BigDecimal.valueOf(i));
    }
    amounts = List.copyOf(amounts);
    inputs = Map.of("amounts", amounts);
    Map<String, Object> outputs = interpret();
    Map<String, Object> expected = handWritten(amounts);
    if (!outputs.equals(expected)) {
      throw new IllegalStateException(
          "the flow and the Java method disagree: " + outputs + " vs " + expected);
    }
  }

  /** One interview: filter 1,000 items, loop over 499, sum and count. */
  @Benchmark
  public Map<String, Object> interpreter() {
    return interpret();
  }

  /** The same work written in Java by hand. */
  @Benchmark
  public Map<String, Object> handWrittenJava() {
    return handWritten(amounts);
  }

  private Map<String, Object> interpret() {
    SegmentResult result = interpreter.start(flow, inputs, context);
    if (result instanceof SegmentResult.Completed completed) {
      return completed.outputs();
    }
    throw new IllegalStateException("the interview did not complete: " + result);
  }

  static Map<String, Object> handWritten(List<BigDecimal> amounts) {
    List<BigDecimal> large = new ArrayList<>();
    for (BigDecimal amount : amounts) {
      if (amount.compareTo(THRESHOLD) > 0) {
        large.add(amount);
      }
    }
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal count = BigDecimal.ZERO;
    for (BigDecimal amount : large) {
      sum = sum.add(amount);
      count = count.add(BigDecimal.ONE);
    }
    return Map.of("sum", sum, "count", count);
  }
}
