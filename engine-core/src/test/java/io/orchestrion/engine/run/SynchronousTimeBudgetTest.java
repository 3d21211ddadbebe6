package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's {@code synchronousTimeBudget}: a synchronous step whose flow runs past what remains
 * of its pass's budget ends in ERROR naming the budget, the submit commits that and returns.
 */
class SynchronousTimeBudgetTest {
  private static final Duration BUDGET = Duration.ofMillis(300);

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    EngineConfig config = EngineHarness.config(database, false).withSynchronousTimeBudget(BUDGET);
    harness = EngineHarness.start(database, config);
    engine = harness.engine();
    harness.defineExpense();
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  @Test
  void aSynchronousStepPastTheBudgetEndsInErrorNamingIt() {
    engine.flows().deploy(EngineHarness.read(SPIN_FLOW, FlowDefinition.class), true);
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Spinning", "objectType": "Expense",
                 "stages": [{"name": "Intake", "steps": [
                   {"name": "Spin", "kind": "BACKGROUND", "flow": "Spin",
                    "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                """),
            true);
    RecordData expense =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", "Spin", "Amount", new BigDecimal("1.00"), "Status", "Draft"),
                "alice");

    long started = System.nanoTime();
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    "Expense", expense.id().orElseThrow(), "Spinning", Optional.empty()),
                "alice");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    RunView run = engine.runs().get(submission.runId());
    RunView.Step spin = run.stages().getFirst().steps().getFirst();
    assertThat(spin.status()).isEqualTo(StepStatus.ERROR);
    assertThat(spin.error().orElseThrow())
        .contains("Spin")
        .contains("reached (synchronousTimeBudget of PT0.3S for the pass)");
    assertThat(run.status()).isEqualTo(RunStatus.ERROR);
    // Without the budget the flow would run for seconds (its 4,990 iterations); with it, the
    // submit returns after the budget plus at most one check interval of the interpreter.
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  /** 4,990 loop iterations, each a formula of 400 comprehension steps: seconds of CPU. */
  private static final String SPIN_FLOW =
      """
      {"apiName": "Spin", "type": "AUTOLAUNCHED",
       "variables": [
         {"name": "recordId", "type": "TEXT", "input": true},
         {"name": "items", "type": "NUMBER", "collection": true, "default": %s},
         {"name": "item", "type": "NUMBER"},
         {"name": "ok", "type": "BOOLEAN"}],
       "formulas": [{"name": "heavy", "type": "BOOLEAN",
         "expression": "%s.all(x, %s.all(y, x + y >= 0))"}],
       "start": "Each",
       "elements": [
         {"type": "Loop", "name": "Each", "collection": "items", "item": "item", "each": "Work"},
         {"type": "Assignment", "name": "Work", "next": "Each", "assignments": [
           {"target": "ok", "operator": "SET", "value": {"formula": "heavy"}}]}]}
      """
          .formatted(numbers(4_990), numbers(20), numbers(20));

  private static String numbers(int count) {
    return IntStream.range(0, count)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }
}
