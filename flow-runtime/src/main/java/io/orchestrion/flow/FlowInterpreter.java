package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs interviews of compiled flows, one segment per call: from the start, or from a stored state
 * after a Wait. Subflows run inline in the same segment. Stateless and thread-safe; one interview
 * must not be run by two threads at once.
 */
public final class FlowInterpreter {
  private final ActionRegistry actions;
  private final FlowLimits limits;

  @Inject
  public FlowInterpreter(ActionRegistry actions, FlowLimits limits) {
    this.actions = requireNonNull(actions, "actions is null");
    this.limits = requireNonNull(limits, "limits is null");
  }

  /**
   * Starts an interview of {@code flow} with the given input values, converted to the declared
   * types (numbers to BigDecimal, CURRENCY rounded HALF_UP to scale 2, ISO strings to dates and
   * date-times). Inputs that are not given keep the variable's default.
   *
   * @throws OrchestrionException INVALID_REQUEST listing every unknown input and every value that
   *     does not fit its variable
   */
  public SegmentResult start(
      CompiledFlow flow, Map<String, Object> inputs, InterviewContext context) {
    return start(flow, inputs, context, limits);
  }

  /**
   * Like {@link #start(CompiledFlow, Map, InterviewContext)} under other limits than the configured
   * ones: the engine shortens the segment time of a pass's synchronous steps to what remains of its
   * time budget.
   */
  public SegmentResult start(
      CompiledFlow flow,
      Map<String, Object> inputs,
      InterviewContext context,
      FlowLimits interviewLimits) {
    requireNonNull(interviewLimits, "interviewLimits is null");
    requireNonNull(flow, "flow is null");
    requireNonNull(inputs, "inputs is null");
    requireNonNull(context, "context is null");
    Object[] slots = flow.newSlots();
    if (!setInputs(flow, inputs, slots)) {
      throw invalidInputs(flow, inputs);
    }
    flow.captureInitialValues(slots);
    Interview interview = new Interview(actions, interviewLimits, context, 0, 0);
    Frame frame = new Frame(flow, slots, context.security());
    interview.start(frame);
    return interview.run(frame, flow.startIndex());
  }

  /**
   * Converts the inputs into their slots, looking each up once by name and allocating nothing else;
   * false, leaving the slots half set, when an input is unknown or does not fit.
   */
  private static boolean setInputs(CompiledFlow flow, Map<String, Object> inputs, Object[] slots) {
    if (inputs.isEmpty()) {
      return true;
    }
    int set = 0;
    for (int i = 0; i < flow.inputCount(); i++) {
      String name = flow.inputNames().get(i);
      Object value = inputs.get(name);
      // A null value given explicitly replaces the default, as any given value does.
      if (value == null && !inputs.containsKey(name)) {
        continue;
      }
      int slot = flow.inputSlot(name);
      try {
        slots[slot] = Values.convert(value, flow.variableType(slot));
      } catch (IllegalArgumentException e) {
        return false;
      }
      set++;
    }
    return set == inputs.size();
  }

  /** Every problem of the inputs, in the order of the given map; only when there is one. */
  private static OrchestrionException invalidInputs(CompiledFlow flow, Map<String, Object> inputs) {
    List<Problem> problems = new ArrayList<>();
    inputs.forEach(
        (name, value) -> {
          int slot = flow.inputSlot(name);
          if (slot < 0) {
            problems.add(
                new Problem(
                    "$." + name,
                    "flow "
                        + flow.apiName()
                        + " v"
                        + flow.version()
                        + " has no input variable '"
                        + name
                        + "' (inputs: "
                        + flow.inputNames()
                        + ")"));
            return;
          }
          try {
            Values.convert(value, flow.variableType(slot));
          } catch (IllegalArgumentException e) {
            problems.add(new Problem("$." + name, e.getMessage()));
          }
        });
    return OrchestrionException.invalid(
        StandardErrorCode.INVALID_REQUEST,
        "Inputs of flow " + flow.apiName() + " v" + flow.version(),
        problems);
  }

  /**
   * Continues a paused interview after its Wait element. The flow versions of the stored frames
   * come from {@link InterviewContext#flowVersion}; the launched flow runs with {@link
   * InterviewContext#security()}.
   *
   * @throws OrchestrionException INTERNAL_ERROR when the state does not match its flow versions
   */
  public SegmentResult resume(InterviewState state, InterviewContext context) {
    requireNonNull(state, "state is null");
    requireNonNull(context, "context is null");
    Interview interview =
        new Interview(actions, limits, context, state.executedElements(), state.cpuNanos());
    Frame top = interview.restore(state);
    Node node = top.flow.node(top.position);
    if (!(node instanceof CallNodes.WaitNode) || state.pendingAction().isPresent()) {
      throw stoppedElsewhere(top, node, "a Wait");
    }
    return interview.run(top, node.next);
  }

  /**
   * Continues a paused interview on the resume path of its Wait for the event {@code event},
   * copying the path's outputs from {@code payload} (converted to the variables' types; a value
   * that does not fit is a fault of the Wait).
   *
   * @throws OrchestrionException INVALID_REQUEST when the Wait has no resume path for the event;
   *     INTERNAL_ERROR when the state does not match its flow versions
   */
  public SegmentResult resumeOnEvent(
      InterviewState state, String event, Map<String, Object> payload, InterviewContext context) {
    requireNonNull(state, "state is null");
    requireNonNull(event, "event is null");
    requireNonNull(payload, "payload is null");
    requireNonNull(context, "context is null");
    Interview interview =
        new Interview(actions, limits, context, state.executedElements(), state.cpuNanos());
    Frame top = interview.restore(state);
    Node node = top.flow.node(top.position);
    CallNodes.EventPath path = node instanceof CallNodes.WaitNode wait ? wait.path(event) : null;
    if (path == null) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Event '" + event + "'",
          List.of(
              new Problem(
                  "$.name",
                  "element '"
                      + node.name
                      + "' of flow "
                      + top.flow.apiName()
                      + " v"
                      + top.flow.version()
                      + " does not wait for event '"
                      + event
                      + "'")));
    }
    return interview.arrive(top, (CallNodes.WaitNode) node, path, payload);
  }

  /**
   * Makes the pending action call of a paused interview (SPEC §3.4): with its stored inputs and
   * idempotency key, on a thread of its own, stopping at the action timeout. It touches no
   * database; the caller holds no transaction. A failure, a timeout or a missing action is a {@link
   * ActionOutcome.Faulted} outcome, which {@link #resumeAfterAction} turns into a fault of the
   * Action element.
   */
  public ActionOutcome callPendingAction(InterviewState.PendingAction pending) {
    requireNonNull(pending, "pending is null");
    try {
      RegisteredAction action =
          actions
              .find(pending.actionId())
              .orElseThrow(
                  () -> new FlowFault("action '" + pending.actionId() + "' is not installed"));
      return new ActionOutcome.Returned(
          ActionCalls.call(
              action,
              new io.orchestrion.spi.ActionInvocation(
                  pending.decodedInputs(),
                  pending.idempotencyKey(),
                  pending.runningUserId(),
                  pending.runMode()),
              limits.actionTimeout()));
    } catch (FlowFault fault) {
      return new ActionOutcome.Faulted(fault.getMessage());
    }
  }

  /**
   * Continues a paused interview after its pending action call: the outputs go into the Action
   * element's variables and the interview goes on in a new segment; a faulted call takes the
   * element's fault connector, if any.
   *
   * @throws OrchestrionException INTERNAL_ERROR when the state has no pending call or does not
   *     match its flow versions
   */
  public SegmentResult resumeAfterAction(
      InterviewState state, ActionOutcome outcome, InterviewContext context) {
    requireNonNull(state, "state is null");
    requireNonNull(outcome, "outcome is null");
    requireNonNull(context, "context is null");
    Interview interview =
        new Interview(actions, limits, context, state.executedElements(), state.cpuNanos());
    Frame top = interview.restore(state);
    Node node = top.flow.node(top.position);
    if (state.pendingAction().isEmpty() || !(node instanceof CallNodes.ActionNode action)) {
      throw stoppedElsewhere(top, node, "an Action with a pending call");
    }
    return interview.afterAction(top, action, outcome);
  }

  /** A stored interview that did not stop where the caller resumes it: an engine bug. */
  private static OrchestrionException stoppedElsewhere(Frame top, Node node, String expected) {
    return new OrchestrionException(
        StandardErrorCode.INTERNAL_ERROR,
        "stored interview of flow "
            + top.flow.apiName()
            + " v"
            + top.flow.version()
            + " stopped at element '"
            + node.name
            + "', which is not "
            + expected);
  }
}
