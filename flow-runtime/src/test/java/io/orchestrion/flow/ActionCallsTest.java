package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionInvocation;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.RecordStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Action timeouts, actions with external side effects called between segments (SPEC §3.4, §9), and
 * database failures that no fault connector may handle.
 */
class ActionCallsTest {
  private static final Instant NOW = Instant.parse("2025-03-01T09:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private final List<ActionInvocation> mailCalls = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowInterrupted = new CountDownLatch(1);
  private final ActionRegistry actions =
      new SimpleActionRegistry(
          List.of(
              new RegisteredAction(
                  "testing-plugin",
                  new ActionDescriptor(
                      "slow", "Never answers in time", List.of(), List.of(), false),
                  invocation -> {
                    try {
                      Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                      slowInterrupted.countDown();
                    }
                    return Map.of();
                  },
                  ActionCallsTest.class.getClassLoader()),
              new RegisteredAction(
                  "mail-plugin",
                  new ActionDescriptor(
                      "mail.send",
                      "Sends a mail: an effect outside the engine's database",
                      List.of(ActionParameter.required("to", DataType.TEXT)),
                      List.of(ActionParameter.required("messageId", DataType.TEXT)),
                      true),
                  invocation -> {
                    mailCalls.add(invocation);
                    if (invocation.inputs().get("to").equals("nobody")) {
                      throw new IllegalArgumentException("no such mailbox");
                    }
                    return Map.of("messageId", "m-" + mailCalls.size());
                  },
                  ActionCallsTest.class.getClassLoader())));
  private final TestingFlowEnvironment environment =
      new TestingFlowEnvironment()
          .withObjectType(Fixtures.expenseType())
          .withActions(actions, "slow", "mail.send");
  private final TestingRecordStore store = new TestingRecordStore(NOW, Fixtures.expenseType());
  private final TestingInterviewContext context = new TestingInterviewContext(store, NOW);
  private final FlowInterpreter interpreter =
      new FlowInterpreter(actions, FlowLimits.defaults().withActionTimeout(TIMEOUT));

  private CompiledFlow compile(String json) {
    CompiledFlow flow = new FlowCompiler().compile(Fixtures.PARSER.parse(json), 1, environment);
    context.withFlow(flow);
    return flow;
  }

  @Test
  void anActionPastItsTimeoutFaultsNamingPluginActionAndLimitAndTakesTheFaultConnector() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Patient", "type": "AUTOLAUNCHED",
             "variables": [{"name": "problem", "type": "TEXT", "output": true}],
             "start": "Wait_For_It",
             "elements": [
               {"type": "Action", "name": "Wait_For_It", "action": "slow", "faultNext": "Note"},
               {"type": "Assignment", "name": "Note",
                "assignments": [{"target": "problem", "value": {"ref": "$Flow.FaultMessage"}}]}]}""");
    long started = System.nanoTime();

    SegmentResult result = interpreter.start(flow, Map.of(), context);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(result)
        .isEqualTo(
            new SegmentResult.Completed(
                Map.of(
                    "problem",
                    "action 'slow' of plugin 'testing-plugin' did not return within PT0.2S"
                        + " (actionTimeout)")));
  }

  @Test
  void anActionPastItsTimeoutWithoutFaultConnectorFailsTheInterviewAndIsInterrupted()
      throws InterruptedException {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Impatient", "type": "AUTOLAUNCHED", "start": "Wait_For_It",
             "elements": [{"type": "Action", "name": "Wait_For_It", "action": "slow"}]}""");

    SegmentResult result = interpreter.start(flow, Map.of(), context);

    assertThat(((SegmentResult.Failed) result).failure().describe())
        .isEqualTo(
            "Flow Impatient v1, element Wait_For_It: action 'slow' of plugin 'testing-plugin'"
                + " did not return within PT0.2S (actionTimeout)");
    assertThat(slowInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private CompiledFlow mailFlow() {
    return compile(
        """
        {"apiName": "Notify", "type": "AUTOLAUNCHED",
         "variables": [{"name": "to", "type": "TEXT", "input": true},
                       {"name": "sent", "type": "TEXT", "output": true},
                       {"name": "problem", "type": "TEXT", "output": true}],
         "start": "Send",
         "elements": [
           {"type": "Action", "name": "Send", "action": "mail.send", "faultNext": "Note",
            "inputs": {"to": {"ref": "to"}}, "outputs": {"messageId": "sent"}},
           {"type": "Assignment", "name": "Note",
            "assignments": [{"target": "problem", "value": {"ref": "$Flow.FaultMessage"}}]}]}""");
  }

  @Test
  void aSegmentEndsBeforeAnActionWithExternalSideEffectsWhichIsCalledBetweenSegments() {
    CompiledFlow flow = mailFlow();
    InterviewContext committing = new SegmentEndingContext(context);

    SegmentResult.Paused paused =
        (SegmentResult.Paused) interpreter.start(flow, Map.of("to", "ann"), committing);

    assertThat(mailCalls).isEmpty();
    assertThat(paused.resumeAt()).isEqualTo(NOW);
    assertThat(paused.events()).isEmpty();
    InterviewState.PendingAction pending = paused.state().pendingAction().orElseThrow();
    assertThat(pending.actionId()).isEqualTo("mail.send");
    assertThat(pending.decodedInputs()).isEqualTo(Map.of("to", "ann"));
    assertThat(pending.idempotencyKey()).isEqualTo("run-1:step-1:1/Send#1");
    // The state survives storage; a call repeated after a crash is the same call, same key.
    InterviewState stored = InterviewStateRoundTrip.roundTrip(paused.state());
    ActionOutcome first = interpreter.callPendingAction(stored.pendingAction().orElseThrow());
    ActionOutcome again = interpreter.callPendingAction(stored.pendingAction().orElseThrow());
    assertThat(mailCalls)
        .extracting(ActionInvocation::idempotencyKey)
        .containsExactly("run-1:step-1:1/Send#1", "run-1:step-1:1/Send#1");
    assertThat(first).isEqualTo(new ActionOutcome.Returned(Map.of("messageId", "m-1")));

    SegmentResult result = interpreter.resumeAfterAction(stored, again, committing);

    assertThat(result).isEqualTo(new SegmentResult.Completed(Map.of("sent", "m-2")));
    assertThatThrownBy(() -> interpreter.resume(stored, committing))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("which is not a Wait");
  }

  @Test
  void aFailedExternalCallTakesTheActionsFaultConnector() {
    CompiledFlow flow = mailFlow();
    InterviewContext committing = new SegmentEndingContext(context);
    InterviewState state =
        ((SegmentResult.Paused) interpreter.start(flow, Map.of("to", "nobody"), committing))
            .state();

    ActionOutcome outcome = interpreter.callPendingAction(state.pendingAction().orElseThrow());
    SegmentResult result = interpreter.resumeAfterAction(state, outcome, committing);

    assertThat(result)
        .isEqualTo(
            new SegmentResult.Completed(
                Map.of(
                    "problem",
                    "action 'mail.send' of plugin 'mail-plugin' failed: no such mailbox")));
  }

  @Test
  void aHostWithoutTransactionsCallsTheExternalActionInTheSegment() {
    SegmentResult result = interpreter.start(mailFlow(), Map.of("to", "ann"), context);

    assertThat(result).isEqualTo(new SegmentResult.Completed(Map.of("sent", "m-1")));
  }

  @Test
  void aDatabaseFailureIsNotAFaultEvenWhereAFaultConnectorWaits() {
    CompiledFlow flow =
        compile(
            """
            {"apiName": "Saver", "type": "AUTOLAUNCHED",
             "variables": [{"name": "problem", "type": "TEXT", "output": true}],
             "start": "Create",
             "elements": [
               {"type": "CreateRecords", "name": "Create", "objectType": "Expense",
                "fieldValues": {"Title": {"value": "Hotel"}, "Amount": {"value": 10}},
                "faultNext": "Note"},
               {"type": "Assignment", "name": "Note",
                "assignments": [{"target": "problem", "value": {"ref": "$Flow.FaultMessage"}}]}]}""");
    OrchestrionException deadlock =
        new OrchestrionException(
            StandardErrorCode.INTERNAL_ERROR,
            "Database error while inserting a record of 'Expense': deadlock detected",
            new SQLException("deadlock detected", "40P01"));
    store.failNextWrite(deadlock);

    assertThatThrownBy(() -> interpreter.start(flow, Map.of(), context)).isSameAs(deadlock);

    // A failure of the flow's own making still takes the fault connector.
    store.failNextWrite(
        new OrchestrionException(StandardErrorCode.STALE_VERSION, "Expense 'EXP-1' changed"));
    assertThat(interpreter.start(flow, Map.of(), context))
        .isEqualTo(new SegmentResult.Completed(Map.of("problem", "Expense 'EXP-1' changed")));
  }

  @Test
  void hostFailuresAreDatabaseAndInternalErrorsOnly() {
    assertThat(HostFailures.isHostFailure(new RuntimeException(new SQLException("x", "40001"))))
        .isTrue();
    assertThat(
            HostFailures.isHostFailure(
                new OrchestrionException(StandardErrorCode.INTERNAL_ERROR, "broken")))
        .isTrue();
    assertThat(
            HostFailures.isHostFailure(
                new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, "plugin failed")))
        .isFalse();
    assertThat(HostFailures.isHostFailure(new IllegalStateException("no"))).isFalse();
  }

  /** A host that commits before external calls: the engine's job runner, in miniature. */
  private record SegmentEndingContext(InterviewContext delegate) implements InterviewContext {
    @Override
    public RecordStore records() {
      return delegate.records();
    }

    @Override
    public SecurityContext security() {
      return delegate.security();
    }

    @Override
    public Instant now() {
      return delegate.now();
    }

    @Override
    public String idempotencyKeyPrefix() {
      return delegate.idempotencyKeyPrefix();
    }

    @Override
    public CompiledFlow activeFlow(String apiName) {
      return delegate.activeFlow(apiName);
    }

    @Override
    public CompiledFlow flowVersion(String apiName, int version) {
      return delegate.flowVersion(apiName, version);
    }

    @Override
    public boolean endsSegmentBeforeExternalActions() {
      return true;
    }
  }

  /** Stores and reads back a state as the engine does. */
  private static final class InterviewStateRoundTrip {
    static InterviewState roundTrip(InterviewState state) {
      try {
        return new io.orchestrion.flow.json.StoredJsonReader(Fixtures.MAPPER)
            .read(
                Fixtures.MAPPER.writeValueAsString(state), InterviewState.class, "interview state");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
  }
}
