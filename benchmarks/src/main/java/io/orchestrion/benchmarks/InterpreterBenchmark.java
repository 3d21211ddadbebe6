package io.orchestrion.benchmarks;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.FlowCompiler;
import io.orchestrion.flow.FlowEnvironment;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.FlowLimits;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.flow.SimpleActionRegistry;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.RecordStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The flow interpreter's cost per element (issue #3, "Speed"): one interview of {@code
 * Bench_Twenty_Elements} (10 Decisions, each taken, and 10 Assignments: 20 executed elements of
 * number, text and boolean work) against a hand-written Java method doing the same work on the same
 * types (BigDecimal for NUMBER and CURRENCY, as the interpreter's values). Elements/s = ops/s x
 * {@value #ELEMENTS}. The loop benchmark of the issue (1,000 items, filter and sum) is {@link
 * LoopBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
public class InterpreterBenchmark {
  /** Elements one interview of the flow executes. */
  static final int ELEMENTS = 20;

  private static final BigDecimal[] THRESHOLDS = {
    BigDecimal.valueOf(100),
    BigDecimal.valueOf(200),
    BigDecimal.valueOf(300),
    BigDecimal.valueOf(400),
    null,
    BigDecimal.valueOf(600),
    BigDecimal.valueOf(700),
    null,
    BigDecimal.valueOf(900),
    BigDecimal.valueOf(1000)
  };
  private static final BigDecimal FIVE = BigDecimal.valueOf(5);

  private FlowInterpreter interpreter;
  private CompiledFlow flow;
  private InterviewContext context;
  private Map<String, Object> inputs;
  private BigDecimal amount;
  private String category;

  @Setup
  public void setUp() {
    FlowDefinition definition =
        new StrictJsonReader(OrchestrionJson.newObjectMapper())
            .read(resource("flow-twenty-elements.json"), FlowDefinition.class, "flow");
    flow = new FlowCompiler().compile(definition, 1, new EmptyEnvironment());
    interpreter = new FlowInterpreter(new SimpleActionRegistry(List.of()), FlowLimits.defaults());
    context = new PureContext();
    amount = new BigDecimal("5000.00");
    category = "travel";
    inputs = Map.of("amount", amount, "category", category);
    // Both must agree, or the comparison is meaningless.
    Map<String, Object> outputs = interpret();
    Map<String, Object> expected = handWritten(amount, category);
    if (!outputs.equals(expected)) {
      throw new IllegalStateException(
          "the flow and the Java method disagree: " + outputs + " vs " + expected);
    }
  }

  /** One interview: 20 elements, from inputs to outputs. */
  @Benchmark
  public Map<String, Object> interpreter() {
    return interpret();
  }

  /** The same work written in Java by hand. */
  @Benchmark
  public Map<String, Object> handWrittenJava() {
    return handWritten(amount, category);
  }

  private Map<String, Object> interpret() {
    SegmentResult result = interpreter.start(flow, inputs, context);
    if (result instanceof SegmentResult.Completed completed) {
      return completed.outputs();
    }
    throw new IllegalStateException("the interview did not complete: " + result);
  }

  /** What the flow computes: each decision taken adds its number to risk and counts itself. */
  static Map<String, Object> handWritten(BigDecimal amountInput, String categoryInput) {
    // CURRENCY inputs are rounded HALF_UP to 2 places, as the interpreter converts them.
    BigDecimal amount = amountInput.setScale(2, RoundingMode.HALF_UP);
    BigDecimal risk = BigDecimal.ZERO;
    BigDecimal count = BigDecimal.ZERO;
    boolean flagged = false;
    for (int k = 1; k <= 10; k++) {
      boolean over =
          switch (k) {
            case 5 -> "travel".equals(categoryInput);
            case 8 -> !flagged && count.compareTo(FIVE) >= 0;
            default -> amount.compareTo(THRESHOLDS[k - 1]) > 0;
          };
      if (over) {
        risk = risk.add(BigDecimal.valueOf(k));
        count = count.add(BigDecimal.ONE);
        if (k == 10) {
          flagged = true;
        }
      }
    }
    return Map.of("risk", risk, "count", count, "flagged", flagged);
  }

  static String resource(String name) {
    try (InputStream in = InterpreterBenchmark.class.getResourceAsStream("/bench/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /bench/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** No object types, actions or other flows: the benchmark flow needs none. */
  static final class EmptyEnvironment implements FlowEnvironment {
    @Override
    public Optional<ObjectTypeDefinition> objectType(String apiName) {
      return Optional.empty();
    }

    @Override
    public Optional<ActionDescriptor> action(String id) {
      return Optional.empty();
    }

    @Override
    public Optional<FlowDefinition> activeFlow(String apiName) {
      return Optional.empty();
    }
  }

  /** A context for a flow that touches no records and calls no flows. */
  static final class PureContext implements InterviewContext {
    private static final SecurityContext SECURITY =
        new SecurityContext("automated-process", RunMode.SYSTEM_WITHOUT_SHARING);
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public RecordStore records() {
      throw new IllegalStateException("the benchmark flow touches no records");
    }

    @Override
    public SecurityContext security() {
      return SECURITY;
    }

    @Override
    public Instant now() {
      return NOW;
    }

    @Override
    public String idempotencyKeyPrefix() {
      return "bench";
    }

    @Override
    public CompiledFlow activeFlow(String apiName) {
      throw new OrchestrionException(StandardErrorCode.NOT_FOUND, "no flow " + apiName);
    }

    @Override
    public CompiledFlow flowVersion(String apiName, int version) {
      throw new OrchestrionException(StandardErrorCode.NOT_FOUND, "no flow " + apiName);
    }
  }
}
