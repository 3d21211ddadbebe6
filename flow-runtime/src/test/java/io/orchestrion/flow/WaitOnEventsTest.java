package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.flow.json.StoredJsonReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Waits until a date-time, and until one of several events arrives, with a timeout path. */
class WaitOnEventsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");

  private final ActionRegistry actions = new SimpleActionRegistry(List.of());
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment().withObjectType(Fixtures.expenseType());
  private final TestingInterviewContext context =
      new TestingInterviewContext(new TestingRecordStore(NOW, Fixtures.expenseType()), NOW);
  private final FlowInterpreter interpreter = new FlowInterpreter(actions, FlowLimits.defaults());
  private final StoredJsonReader reader = new StoredJsonReader(Fixtures.MAPPER);

  private static final String FLOW =
      """
      {"apiName": "Await_Payment", "type": "AUTOLAUNCHED",
       "variables": [{"name": "orderId", "type": "TEXT", "input": true},
                     {"name": "paid", "type": "CURRENCY"},
                     {"name": "out", "type": "TEXT", "output": true}],
       "start": "Await",
       "elements": [
         {"type": "Wait", "name": "Await", "duration": "P2D", "next": "Timed_Out",
          "faultNext": "Bad_Payload",
          "events": [
            {"name": "Paid", "event": "payment.received", "correlationKey": {"ref": "orderId"},
             "outputs": {"amount": "paid"}, "next": "Record_Paid"},
            {"name": "Canceled", "event": "order.canceled", "correlationKey": {"ref": "orderId"},
             "next": "Record_Canceled"}]},
         {"type": "Assignment", "name": "Record_Paid",
          "assignments": [{"target": "out", "value": {"value": "paid "}},
                          {"target": "out", "operator": "ADD", "value": {"ref": "orderId"}}]},
         {"type": "Assignment", "name": "Record_Canceled",
          "assignments": [{"target": "out", "value": {"value": "canceled"}}]},
         {"type": "Assignment", "name": "Timed_Out",
          "assignments": [{"target": "out", "value": {"value": "timed out"}}]},
         {"type": "Assignment", "name": "Bad_Payload",
          "assignments": [{"target": "out", "value": {"ref": "$Flow.FaultMessage"}}]}]}""";

  private CompiledFlow flow() {
    CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(FLOW), 1, environment);
    context.withFlow(flow);
    return flow;
  }

  private InterviewState pausedState(SegmentResult.Paused paused) throws Exception {
    return reader.read(
        Fixtures.MAPPER.writeValueAsString(paused.state()), InterviewState.class, "state");
  }

  @Test
  void pausesWithTheEventsAndTheirCorrelationKeysAndTheTimeout() {
    SegmentResult result = interpreter.start(flow(), Map.of("orderId", "O-7"), context);

    assertThat(result)
        .isInstanceOfSatisfying(
            SegmentResult.Paused.class,
            paused -> {
              assertThat(paused.resumeAt()).isEqualTo(Instant.parse("2025-03-03T09:00:00Z"));
              assertThat(paused.events())
                  .containsExactly(
                      new EventWait("Paid", "payment.received", "O-7"),
                      new EventWait("Canceled", "order.canceled", "O-7"));
            });
  }

  @Test
  void eachEventTakesItsPathWithItsPayloadAndTheTimerTakesTheTimeoutPath() throws Exception {
    SegmentResult.Paused paused =
        (SegmentResult.Paused) interpreter.start(flow(), Map.of("orderId", "O-7"), context);
    InterviewState state = pausedState(paused);

    assertThat(
            interpreter.resumeOnEvent(
                state, "payment.received", Map.of("amount", new BigDecimal("10.005")), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("out", "paid O-7")));
    assertThat(interpreter.resumeOnEvent(state, "order.canceled", Map.of(), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("out", "canceled")));
    assertThat(interpreter.resume(state, context.at(paused.resumeAt())))
        .isEqualTo(new SegmentResult.Completed(Map.of("out", "timed out")));
    assertThat(
            interpreter.resumeOnEvent(state, "payment.received", Map.of("amount", "lots"), context))
        .isEqualTo(
            new SegmentResult.Completed(
                Map.of(
                    "out",
                    "payload property 'amount' of event 'payment.received': expected CURRENCY,"
                        + " got 'lots'")));
  }

  @Test
  void anEventTheWaitDoesNotExpectIsRejected() throws Exception {
    SegmentResult.Paused paused =
        (SegmentResult.Paused) interpreter.start(flow(), Map.of("orderId", "O-7"), context);
    InterviewState state = pausedState(paused);

    assertThatThrownBy(() -> interpreter.resumeOnEvent(state, "order.shipped", Map.of(), context))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining(
            "element 'Await' of flow Await_Payment v1 does not wait for event 'order.shipped'");
  }

  @Test
  void aWaitOnEventsWithoutTimeoutNeverFiresByTime() {
    // Without duration or until, 'next' is only a path that a resume by time would take.
    String json = FLOW.replace("\"duration\": \"P2D\", ", "");
    CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(json), 2, environment);

    SegmentResult.Paused paused =
        (SegmentResult.Paused) interpreter.start(flow, Map.of("orderId", "O-8"), context);

    assertThat(paused.resumeAt()).isEqualTo(EventWait.NO_TIMEOUT);
    assertThat(paused.events()).hasSize(2);
  }

  @Test
  void eventPathsAreChecked() {
    FlowAnalysis analysis =
        new FlowAnalyzer()
            .analyze(
                Fixtures.PARSER.parse(
                    """
                    {"apiName": "Bad_Wait", "type": "AUTOLAUNCHED",
                     "variables": [{"name": "n", "type": "NUMBER"}],
                     "start": "W",
                     "elements": [{"type": "Wait", "name": "W", "duration": "PT1H",
                       "until": {"value": "2025-01-01T00:00:00Z"}, "events": [
                       {"name": "A", "event": "x", "correlationKey": {"ref": "n"},
                        "outputs": {"p": "missing"}, "next": "Nowhere"},
                       {"name": "A", "event": "x", "correlationKey": {"value": "k"}}]}]}"""),
                environment);

    assertThat(analysis.errors())
        .containsExactly(
            new Problem("$.elements[0]", "a Wait has 'duration' or 'until', not both"),
            new Problem("$.elements[0].events[0].correlationKey", "'n' is NUMBER, expected TEXT"),
            new Problem("$.elements[0].events[0].outputs.p", "unknown variable 'missing'"),
            new Problem("$.elements[0].events[0].next", "unknown element 'Nowhere'"),
            new Problem("$.elements[0].events[1].name", "duplicate resume path 'A'"),
            new Problem(
                "$.elements[0].events[1].event",
                "event 'x' already has a resume path in this Wait"));
  }
}
