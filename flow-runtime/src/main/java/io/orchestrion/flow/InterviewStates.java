package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An interview's subflow stack to and from its stored form, {@link InterviewState}: variables by
 * name with their kinds, hidden element state, the fault message and where each frame stopped. The
 * stored form names flows, elements and variables, never a Java class.
 */
final class InterviewStates {
  private InterviewStates() {}

  /** The stored form of a stack the interview paused with (the frames outermost first). */
  static InterviewState capture(
      List<Frame> frames, long executed, long cpuUsed, InterviewState.PendingAction pendingAction) {
    List<InterviewState.Frame> stored = new ArrayList<>(frames.size());
    for (Frame frame : frames) {
      CompiledFlow flow = frame.flow;
      Map<String, InterviewState.Value> variables = new LinkedHashMap<>();
      for (int slot = 0; slot < flow.variableCount(); slot++) {
        Object value = frame.slots[slot];
        if (value != null) {
          variables.put(flow.variableName(slot), InterviewState.Value.of(value));
        }
      }
      Map<String, InterviewState.Value> hidden = new LinkedHashMap<>();
      for (int i = 0; i < flow.hiddenCount(); i++) {
        Object value = frame.slots[flow.faultSlot() + 1 + i];
        if (value != null) {
          hidden.put(flow.hiddenName(i), InterviewState.Value.of(value));
        }
      }
      stored.add(
          new InterviewState.Frame(
              flow.apiName(),
              flow.version(),
              flow.node(frame.position).name,
              variables,
              Optional.ofNullable((String) frame.slots[flow.faultSlot()]),
              hidden));
    }
    return new InterviewState(
        InterviewState.FORMAT_VERSION,
        stored,
        executed,
        cpuUsed,
        Optional.ofNullable(pendingAction));
  }

  /** Rebuilds the stack of a stored interview, outermost frame first. */
  static List<Frame> restore(InterviewState state, InterviewContext context) {
    List<Frame> frames = new ArrayList<>(state.frames().size());
    for (InterviewState.Frame stored : state.frames()) {
      CompiledFlow flow = context.flowVersion(stored.flowApiName(), stored.flowVersion());
      int position = flow.elementIndex(stored.element());
      if (position < 0) {
        throw new OrchestrionException(
            StandardErrorCode.INTERNAL_ERROR,
            "stored interview stopped at element '"
                + stored.element()
                + "' which flow "
                + flow.apiName()
                + " v"
                + flow.version()
                + " does not have");
      }
      Object[] slots = flow.newSlots();
      // Defaults do not apply to a resumed frame: only what was stored.
      java.util.Arrays.fill(slots, null);
      stored
          .variables()
          .forEach(
              (name, value) -> {
                int slot = flow.variableSlot(name);
                if (slot >= 0) {
                  slots[slot] = value.decode();
                }
              });
      slots[flow.faultSlot()] = stored.faultMessage().orElse(null);
      stored
          .hidden()
          .forEach(
              (name, value) -> {
                int slot = flow.hiddenSlot(name);
                if (slot >= 0) {
                  slots[slot] = value.decode();
                }
              });
      Frame frame =
          new Frame(
              flow,
              slots,
              frames.isEmpty()
                  ? context.security()
                  : CallNodes.subflowSecurity(frames.getLast().security, flow));
      frame.position = position;
      frames.add(frame);
    }
    return frames;
  }
}
