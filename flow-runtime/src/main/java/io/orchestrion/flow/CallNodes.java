package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.ActionInvocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The elements that call out of the flow or stop it: Action, Subflow and Wait (compiled by {@link
 * CallElementCompiler}), with the arguments and results they carry.
 */
final class CallNodes {
  private CallNodes() {}

  /** SPEC §7: a subflow runs as the caller's user; with DEFAULT it inherits the caller's mode. */
  static SecurityContext subflowSecurity(SecurityContext caller, CompiledFlow child) {
    RunMode declared = child.definition().runMode();
    return declared == RunMode.DEFAULT ? caller : new SecurityContext(caller.userId(), declared);
  }

  /** A named value passed to an action or a subflow. */
  record Argument(String name, Operand value, boolean required) {}

  /** A value returned by an action or a subflow, stored into a variable of this flow. */
  record Result(String name, int slot, ValueType type) {}

  static final class ActionNode extends Node {
    private final String actionId;
    private final List<Argument> inputs;
    private final List<Result> outputs;

    ActionNode(
        int index,
        String name,
        int next,
        int faultNext,
        String actionId,
        List<Argument> inputs,
        List<Result> outputs) {
      super(index, name, next, faultNext);
      this.actionId = actionId;
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RegisteredAction action = find(interview);
      Map<String, Object> values = new LinkedHashMap<>();
      for (Argument input : inputs) {
        Object value = input.value().get(frame.slots);
        if (value == null && input.required()) {
          throw new FlowFault(
              "input '" + input.name() + "' of action '" + actionId + "' is required but null");
        }
        if (value != null) {
          values.put(input.name(), value);
        }
      }
      SecurityContext security = frame.security;
      String key = interview.idempotencyKey(this);
      if (action.descriptor().externalSideEffects()
          && interview.context().endsSegmentBeforeExternalActions()) {
        // SPEC §3.4: the segment up to here commits; the call happens with no transaction open.
        Map<String, InterviewState.Value> stored = new LinkedHashMap<>();
        values.forEach((name, value) -> stored.put(name, InterviewState.Value.of(value)));
        frame.position = index;
        interview.pauseForAction(
            new InterviewState.PendingAction(
                actionId, stored, key, security.userId(), security.effectiveMode()));
        return PAUSE;
      }
      ActionInvocation invocation =
          new ActionInvocation(values, key, security.userId(), security.effectiveMode());
      Map<String, Object> returned =
          ActionCalls.call(action, invocation, interview.limits().actionTimeout());
      return applyOutputs(action, returned, frame);
    }

    private RegisteredAction find(Interview interview) {
      return interview
          .actions()
          .find(actionId)
          .orElseThrow(() -> new FlowFault("action '" + actionId + "' is not installed"));
    }

    /**
     * Stores what the action returned into the output variables; returns the next element.
     *
     * @throws FlowFault when an output does not fit its variable
     */
    int applyOutputs(RegisteredAction action, Map<String, Object> returned, Frame frame) {
      for (Result output : outputs) {
        try {
          frame.slots[output.slot()] = Values.convert(returned.get(output.name()), output.type());
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "action '"
                  + actionId
                  + "' of plugin '"
                  + action.pluginId()
                  + "' returned an invalid output '"
                  + output.name()
                  + "': "
                  + e.getMessage());
        }
      }
      return next;
    }

    /** Continues after a call made outside the segment: its outputs, or its fault. */
    int afterCall(Interview interview, ActionOutcome outcome, Frame frame) {
      return switch (outcome) {
        case ActionOutcome.Faulted faulted -> throw new FlowFault(faulted.message());
        case ActionOutcome.Returned returned ->
            applyOutputs(find(interview), returned.outputs(), frame);
      };
    }
  }

  static final class SubflowNode extends Node {
    private final String flow;
    private final List<Argument> inputs;
    private final List<Result> outputs;

    SubflowNode(
        int index,
        String name,
        int next,
        int faultNext,
        String flow,
        List<Argument> inputs,
        List<Result> outputs) {
      super(index, name, next, faultNext);
      this.flow = flow;
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      CompiledFlow child;
      try {
        child = interview.context().activeFlow(flow);
      } catch (OrchestrionException e) {
        if (HostFailures.isHostFailure(e)) {
          throw e;
        }
        throw new FlowFault("cannot call subflow '" + flow + "': " + e.getMessage());
      }
      if (child.definition().type() != FlowType.AUTOLAUNCHED) {
        throw new FlowFault(
            "subflow '" + flow + "' is a " + child.definition().type() + " flow, not AUTOLAUNCHED");
      }
      Object[] slots = child.newSlots();
      for (Argument input : inputs) {
        int slot = child.inputSlot(input.name());
        if (slot < 0) {
          throw new FlowFault(
              "subflow '"
                  + flow
                  + "' v"
                  + child.version()
                  + " has no input variable '"
                  + input.name()
                  + "'");
        }
        try {
          slots[slot] = Values.convert(input.value().get(frame.slots), child.variableType(slot));
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "input '" + input.name() + "' of subflow '" + flow + "': " + e.getMessage());
        }
      }
      child.captureInitialValues(slots);
      frame.position = index;
      interview.push(new Frame(child, slots, subflowSecurity(frame.security, child)));
      return CALL;
    }

    /** Copies the finished subflow's outputs into the caller's variables. */
    void returnFrom(Frame child, Frame caller) {
      for (Result output : outputs) {
        int slot = child.flow.outputSlot(output.name());
        if (slot < 0) {
          throw new FlowFault(
              "subflow '"
                  + flow
                  + "' v"
                  + child.flow.version()
                  + " has no output variable '"
                  + output.name()
                  + "'");
        }
        try {
          caller.slots[output.slot()] = Values.convert(child.slots[slot], output.type());
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "output '" + output.name() + "' of subflow '" + flow + "': " + e.getMessage());
        }
      }
    }
  }

  /** A resume path of a Wait on events: the key is computed when the interview pauses. */
  record EventPath(
      String name, String event, Operand correlationKey, List<Result> outputs, int next) {}

  static final class WaitNode extends Node {
    private final Duration duration;
    private final Operand until;
    private final List<EventPath> events;

    /**
     * At most one of {@code duration} and {@code until} is non-null; neither only with events (no
     * timeout).
     */
    WaitNode(
        int index,
        String name,
        int next,
        int faultNext,
        Duration duration,
        Operand until,
        List<EventPath> events) {
      super(index, name, next, faultNext);
      this.duration = duration;
      this.until = until;
      this.events = List.copyOf(events);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      Instant now = interview.context().now();
      Instant resumeAt;
      if (duration != null) {
        resumeAt = now.plus(duration);
      } else if (until == null) {
        resumeAt = EventWait.NO_TIMEOUT;
      } else if (until.get(frame.slots) instanceof Instant instant) {
        resumeAt = instant;
      } else {
        throw new FlowFault("the date-time to wait until is null");
      }
      List<EventWait> waits = new ArrayList<>(events.size());
      for (EventPath path : events) {
        Object key = path.correlationKey().get(frame.slots);
        if (key == null) {
          throw new FlowFault("the correlation key of resume path '" + path.name() + "' is null");
        }
        waits.add(new EventWait(path.name(), path.event(), key.toString()));
      }
      frame.position = index;
      interview.pauseUntil(resumeAt, waits);
      return PAUSE;
    }

    /** The path that {@code event} resumes, or null when this Wait does not wait for it. */
    EventPath path(String event) {
      for (EventPath path : events) {
        if (path.event().equals(event)) {
          return path;
        }
      }
      return null;
    }

    /** Copies the event's payload into the path's variables; returns the element to go on at. */
    int arrive(EventPath path, Map<String, Object> payload, Frame frame) {
      for (Result output : path.outputs()) {
        try {
          frame.slots[output.slot()] = Values.convert(payload.get(output.name()), output.type());
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "payload property '"
                  + output.name()
                  + "' of event '"
                  + path.event()
                  + "': "
                  + e.getMessage());
        }
      }
      return path.next();
    }
  }
}
