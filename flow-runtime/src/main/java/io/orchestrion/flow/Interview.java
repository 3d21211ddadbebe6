package io.orchestrion.flow;

import io.orchestrion.flow.security.SecuredRecordStore;
import io.orchestrion.spi.RecordStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One segment of one interview: the subflow stack and the loop that runs elements. */
final class Interview {
  private static final int FAILED = -4;

  /**
   * Allowance between the wall clock and the thread CPU clock, which are different clocks: a wall
   * reading ruled the CPU limit out only if it does so by this much.
   */
  private static final long CLOCK_SLACK_NANOS = 1_000_000;

  /**
   * The interview running on this thread, for the formulas it evaluates: they are operands read
   * through {@link Operand#get} from every kind of element, and reach the limits through this
   * rather than through a parameter of every operand and condition.
   */
  private static final ThreadLocal<Interview> RUNNING = new ThreadLocal<>();

  /** The guard of formulas evaluated outside an interview: value limits, no time limits. */
  private static final ValueLimits DEFAULT_VALUE_LIMITS = new ValueLimits(FlowLimits.defaults());

  private final ActionRegistry actions;
  private final FlowLimits limits;
  private final InterviewContext context;
  private final List<Frame> frames = new ArrayList<>();
  private long executed;
  private final long cpuBefore;
  private final long wallStart;
  private final long cpuStart;
  private Instant resumeAt;
  private List<EventWait> eventWaits = List.of();
  private InterviewState.PendingAction pendingAction;
  private FlowFailure failure;
  private Frame faultFrame;
  private final ValueLimits valueLimits;
  private final FormulaGuard formulaGuard;

  /** The JSON size of the variables of every frame, as last checked. */
  private long valuesSize;

  Interview(
      ActionRegistry actions,
      FlowLimits limits,
      InterviewContext context,
      long executed,
      long cpuBefore) {
    this.actions = actions;
    this.limits = limits;
    this.context = context;
    this.executed = executed;
    this.cpuBefore = cpuBefore;
    this.valueLimits = new ValueLimits(limits);
    this.formulaGuard = new FormulaGuard(valueLimits, this);
    // The wall clock first, so that the wall time since wallStart covers the CPU time since
    // cpuStart.
    this.wallStart = System.nanoTime();
    this.cpuStart = CpuClock.now();
  }

  /** CPU time of the interview so far, earlier segments included. */
  private long cpuUsed() {
    return cpuBefore + (CpuClock.now() - cpuStart);
  }

  /**
   * Whether the interview has used more than {@code maxCpu} nanoseconds of CPU time. A thread uses
   * at most as much CPU time as wall time passes, so when the cheap wall clock rules the limit out
   * the CPU clock (a system call of about a microsecond, as much as running 20 simple elements) is
   * not read: in a short segment it is read once, at the start.
   */
  private boolean cpuLimitExceeded(long maxCpu) {
    if (cpuBefore + (System.nanoTime() - wallStart) + CLOCK_SLACK_NANOS <= maxCpu) {
      return false;
    }
    return cpuUsed() > maxCpu;
  }

  /**
   * The guard of a formula evaluation starting on this thread: the running interview's, or one with
   * the default value limits outside an interview.
   */
  static FormulaGuard formulaGuard(String formula) {
    Interview interview = RUNNING.get();
    FormulaGuard guard =
        interview == null ? new FormulaGuard(DEFAULT_VALUE_LIMITS, null) : interview.formulaGuard;
    return guard.start(formula);
  }

  /**
   * Checks the CPU and segment time limits in the middle of an element (a long formula).
   *
   * @throws FlowFault the limit that was reached
   */
  void checkTimeLimits(String formula) {
    if (cpuLimitExceeded(limits.maxCpuTime().toNanos())) {
      throw FlowFault.limit(cpuLimitMessage() + ", inside formula '" + formula + "'");
    }
    if (segmentTimeExceeded(limits.maxSegmentTime().toNanos())) {
      throw FlowFault.limit(segmentLimitMessage() + ", inside formula '" + formula + "'");
    }
  }

  /**
   * Measures every variable of a frame that no check has seen yet (its inputs, a restored state).
   *
   * @throws FlowFault a value limit
   */
  private void account(Frame frame) {
    int count = frame.flow.faultSlot() + 1;
    frame.checkedValues = new Object[count];
    frame.checkedSizes = new long[count];
    for (int slot = 0; slot < count; slot++) {
      Object value = frame.slots[slot];
      long size = valueLimits.measure(value, frame.flow, slot);
      frame.checkedValues[slot] = value;
      frame.checkedSizes[slot] = size;
      valuesSize += size;
    }
    valueLimits.checkTotal(valuesSize, "the inputs of flow " + frame.flow.apiName());
  }

  /**
   * Checks the variables of {@code frame} that changed since the last check (an element wrote
   * them): their texts, collections and the size of all values. Comparing references finds them:
   * values are immutable, so a changed variable holds a new object.
   *
   * @throws FlowFault a value limit
   */
  void checkWrites(Frame frame) {
    Object[] slots = frame.slots;
    Object[] checked = frame.checkedValues;
    if (checked == null) {
      account(frame);
      return;
    }
    int changed = -1;
    for (int slot = 0; slot < checked.length; slot++) {
      Object value = slots[slot];
      if (value != checked[slot]) {
        long size = sizeOf(value, frame.flow, slot);
        valuesSize += size - frame.checkedSizes[slot];
        frame.checkedSizes[slot] = size;
        checked[slot] = value;
        changed = slot;
      }
    }
    if (changed >= 0 && valuesSize > limits.maxValuesJsonChars()) {
      valueLimits.checkTotal(valuesSize, ValueLimits.holder(frame.flow, changed));
    }
  }

  /**
   * {@link ValueLimits#measure}, with the commonest values measured here: measured there, a decimal
   * written by every loop iteration doubled the time of a loop of assignments.
   */
  private long sizeOf(Object value, CompiledFlow flow, int slot) {
    if (value instanceof BigDecimal decimal) {
      return decimal.precision() + 2L;
    }
    if (value instanceof String text && text.length() <= limits.maxTextLength()) {
      return text.length() + 2L;
    }
    return valueLimits.measure(value, flow, slot);
  }

  /** Takes the top frame off the stack, and its values out of the interview's size. */
  private Frame pop() {
    Frame frame = frames.removeLast();
    if (frame.checkedSizes != null) {
      for (long size : frame.checkedSizes) {
        valuesSize -= size;
      }
    }
    return frame;
  }

  /** Whether this segment has run for more than {@code maxSegment} nanoseconds of wall time. */
  private boolean segmentTimeExceeded(long maxSegment) {
    return System.nanoTime() - wallStart > maxSegment;
  }

  ActionRegistry actions() {
    return actions;
  }

  FlowLimits limits() {
    return limits;
  }

  InterviewContext context() {
    return context;
  }

  /**
   * The record store of the running frame, asked for when an element needs it (a flow that touches
   * no records needs no store). A subflow with an explicit run mode enforces that mode for the same
   * user (SPEC §7), so a secured store is switched to the top frame's context.
   */
  RecordStore records() {
    RecordStore records = context.records();
    if (records instanceof SecuredRecordStore secured && !frames.isEmpty()) {
      return secured.withSecurity(frames.getLast().security);
    }
    return records;
  }

  void push(Frame frame) {
    if (frames.size() >= limits.maxSubflowDepth()) {
      throw FlowFault.limit(
          "subflow depth limit of "
              + limits.maxSubflowDepth()
              + " reached (maxSubflowDepth) calling '"
              + frame.flow.apiName()
              + "'");
    }
    account(frame);
    frames.add(frame);
  }

  void pauseUntil(Instant instant, List<EventWait> events) {
    resumeAt = instant;
    eventWaits = events;
  }

  /** Ends the segment before an action call that must happen outside it; resumable at once. */
  void pauseForAction(InterviewState.PendingAction call) {
    pendingAction = call;
    resumeAt = context.now();
    eventWaits = List.of();
  }

  /** Stable across re-runs of a segment, distinct per call (SPEC §9). */
  String idempotencyKey(Node node) {
    StringBuilder key = new StringBuilder(context.idempotencyKeyPrefix()).append('/');
    for (int i = 0; i < frames.size() - 1; i++) {
      Frame caller = frames.get(i);
      key.append(caller.flow.node(caller.position).name).append('/');
    }
    return key.append(node.name).append('#').append(executed).toString();
  }

  /**
   * Runs from element {@code pc} of {@code frame} (the top of the stack) until the segment ends.
   */
  SegmentResult run(Frame frame, int pc) {
    Interview outer = RUNNING.get();
    RUNNING.set(this);
    try {
      for (int depth = 0; depth < frames.size(); depth++) {
        Frame stacked = frames.get(depth);
        if (stacked.checkedValues == null) {
          try {
            account(stacked);
          } catch (FlowFault fault) {
            return new SegmentResult.Failed(
                pc >= 0
                    ? failureAt(frames.size() - 1, frame.flow.node(pc), fault.getMessage())
                    : limitFailure(frames.size() - 1, null, fault.getMessage()));
          }
        }
      }
      return runElements(frame, pc);
    } finally {
      if (outer == null) {
        RUNNING.remove();
      } else {
        RUNNING.set(outer);
      }
    }
  }

  private SegmentResult runElements(Frame frame, int pc) {
    int maxExecuted = limits.maxExecutedElements();
    long maxCpu = limits.maxCpuTime().toNanos();
    long maxSegment = limits.maxSegmentTime().toNanos();
    while (true) {
      if (pc < 0) {
        if (frames.size() == 1) {
          if (cpuLimitExceeded(maxCpu)) {
            return new SegmentResult.Failed(cpuLimit(frames.size() - 1, null));
          }
          if (segmentTimeExceeded(maxSegment)) {
            return new SegmentResult.Failed(segmentLimit(frames.size() - 1, null));
          }
          return new SegmentResult.Completed(frame.flow.outputs(frame.slots));
        }
        Frame child = pop();
        frame = frames.getLast();
        CallNodes.SubflowNode call = (CallNodes.SubflowNode) frame.flow.node(frame.position);
        try {
          call.returnFrom(child, frame);
          checkWrites(frame);
          pc = call.next;
        } catch (FlowFault fault) {
          pc = handleFault(frame, call, fault);
          if (pc == FAILED) {
            return new SegmentResult.Failed(failure);
          }
          frame = faultFrame;
        }
        continue;
      }
      Node node = frame.flow.node(pc);
      if (++executed > maxExecuted) {
        return new SegmentResult.Failed(
            failureAt(
                frames.size() - 1,
                node,
                "executed-element limit of " + maxExecuted + " reached (maxExecutedElements)"));
      }
      if ((executed & (FlowLimits.CPU_CHECK_INTERVAL - 1)) == 0) {
        if (cpuLimitExceeded(maxCpu)) {
          return new SegmentResult.Failed(cpuLimit(frames.size() - 1, node));
        }
        if (segmentTimeExceeded(maxSegment)) {
          return new SegmentResult.Failed(segmentLimit(frames.size() - 1, node));
        }
      }
      try {
        pc = node.execute(this, frame);
        if (pc != Node.CALL) {
          checkWrites(frame);
        }
      } catch (FlowFault fault) {
        pc = handleFault(frame, node, fault);
        if (pc == FAILED) {
          return new SegmentResult.Failed(failure);
        }
        frame = faultFrame;
        continue;
      }
      // An action call may take up to its timeout: the segment's time is checked after each.
      if (node instanceof CallNodes.ActionNode
          && pc != Node.PAUSE
          && segmentTimeExceeded(maxSegment)) {
        return new SegmentResult.Failed(segmentLimit(frames.size() - 1, node));
      }
      if (pc == Node.CALL) {
        frame = frames.getLast();
        pc = frame.flow.startIndex();
      } else if (pc == Node.PAUSE) {
        // The stored state needs the CPU time itself: one reading for the check and the state.
        long cpuUsed = cpuUsed();
        if (cpuUsed > maxCpu) {
          return new SegmentResult.Failed(cpuLimit(frames.size() - 1, node));
        }
        if (segmentTimeExceeded(maxSegment)) {
          return new SegmentResult.Failed(segmentLimit(frames.size() - 1, node));
        }
        return new SegmentResult.Paused(
            InterviewStates.capture(frames, executed, cpuUsed, pendingAction),
            resumeAt,
            eventWaits);
      }
    }
  }

  /**
   * Routes a fault to the fault connector of the failing element or, when it has none, of the
   * Subflow elements up the stack; without any, the interview fails where the fault happened.
   */
  private int handleFault(Frame frame, Node node, FlowFault fault) {
    FlowFailure origin = failureAt(frames.size() - 1, node, fault.getMessage());
    if (!fault.routable()) {
      failure = origin;
      return FAILED;
    }
    Frame at = frame;
    Node atNode = node;
    String message = fault.getMessage();
    while (true) {
      if (atNode.faultNext >= 0) {
        at.slots[at.flow.faultSlot()] = message;
        faultFrame = at;
        return atNode.faultNext;
      }
      if (frames.size() == 1) {
        failure = origin;
        return FAILED;
      }
      pop();
      at = frames.getLast();
      atNode = at.flow.node(at.position);
      message = origin.describe();
    }
  }

  /** {@code node} null: the interview was ending, the last element is not known here. */
  private FlowFailure cpuLimit(int depth, Node node) {
    return limitFailure(depth, node, cpuLimitMessage());
  }

  private FlowFailure segmentLimit(int depth, Node node) {
    return limitFailure(depth, node, segmentLimitMessage());
  }

  private String cpuLimitMessage() {
    return "CPU time limit of "
        + limits.maxCpuTime()
        + " reached (maxCpuTime) after "
        + executed
        + " elements";
  }

  private String segmentLimitMessage() {
    return "segment time limit of "
        + limits.maxSegmentTime()
        + " reached ("
        + limits.segmentTimeLimitName()
        + ") after "
        + executed
        + " elements";
  }

  private FlowFailure limitFailure(int depth, Node node, String message) {
    if (node == null) {
      Frame frame = frames.get(depth);
      return new FlowFailure(frame.flow.apiName(), frame.flow.version(), "(end)", message);
    }
    return failureAt(depth, node, message);
  }

  private FlowFailure failureAt(int depth, Node node, String message) {
    Frame frame = frames.get(depth);
    StringBuilder text = new StringBuilder(message);
    if (depth > 0) {
      text.append(" (in a subflow called from ");
      for (int i = depth - 1; i >= 0; i--) {
        Frame caller = frames.get(i);
        text.append(caller.flow.apiName())
            .append(" v")
            .append(caller.flow.version())
            .append(" element ")
            .append(caller.flow.node(caller.position).name)
            .append(i > 0 ? ", " : ")");
      }
    }
    return new FlowFailure(frame.flow.apiName(), frame.flow.version(), node.name, text.toString());
  }

  /** Rebuilds the stack of a stored interview; returns the frame to continue in. */
  Frame restore(InterviewState state) {
    frames.addAll(InterviewStates.restore(state, context));
    return frames.getLast();
  }

  /**
   * Continues at the resume path of the Wait {@code top} stopped at; a fault of the payload is
   * routed like any fault of the Wait.
   */
  SegmentResult arrive(
      Frame top, CallNodes.WaitNode wait, CallNodes.EventPath path, Map<String, Object> payload) {
    int pc;
    try {
      pc = wait.arrive(path, payload, top);
    } catch (FlowFault fault) {
      pc = handleFault(top, wait, fault);
      if (pc == FAILED) {
        return new SegmentResult.Failed(failure);
      }
      return run(faultFrame, pc);
    }
    return run(top, pc);
  }

  /**
   * Continues after the pending action call of the stopped-at Action element {@code action}, with
   * its outcome; a fault (the call's or its outputs') is routed like any fault of the element.
   */
  SegmentResult afterAction(Frame top, CallNodes.ActionNode action, ActionOutcome outcome) {
    int pc;
    try {
      pc = action.afterCall(this, outcome, top);
    } catch (FlowFault fault) {
      pc = handleFault(top, action, fault);
      if (pc == FAILED) {
        return new SegmentResult.Failed(failure);
      }
      return run(faultFrame, pc);
    }
    return run(top, pc);
  }

  void start(Frame frame) {
    frames.add(frame);
  }
}
