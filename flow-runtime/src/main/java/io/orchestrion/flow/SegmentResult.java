package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a segment of an interview ended. */
public sealed interface SegmentResult {
  /**
   * The interview reached its end.
   *
   * @param outputs the values of the flow's output variables by name; a null value is absent
   */
  record Completed(Map<String, Object> outputs) implements SegmentResult {
    public Completed {
      // The interpreter's own outputs are immutable already: only other maps are copied.
      outputs =
          outputs instanceof OutputValues
              ? outputs
              : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
  }

  /**
   * The interview waits; store {@code state} and call {@link FlowInterpreter#resume} at {@code
   * resumeAt} (or later), or {@link FlowInterpreter#resumeOnEvent} when one of {@code events}
   * arrives first, whichever comes first.
   *
   * @param resumeAt when the timer fires; {@link EventWait#NO_TIMEOUT} for events without timeout
   * @param events the events that resume it, empty for a Wait on time only
   */
  record Paused(InterviewState state, Instant resumeAt, List<EventWait> events)
      implements SegmentResult {
    public Paused {
      requireNonNull(state, "state is null");
      requireNonNull(resumeAt, "resumeAt is null");
      events = List.copyOf(events);
    }

    public Paused(InterviewState state, Instant resumeAt) {
      this(state, resumeAt, List.of());
    }
  }

  /** The interview failed; the segment's record writes should be rolled back (SPEC §3.4). */
  record Failed(FlowFailure failure) implements SegmentResult {
    public Failed {
      requireNonNull(failure, "failure is null");
    }
  }
}
