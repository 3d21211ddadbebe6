package io.orchestrion.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an action call made outside a transaction ended (SPEC §3.4): what {@link
 * FlowInterpreter#resumeAfterAction} continues the interview with.
 */
public sealed interface ActionOutcome {
  /** The action returned these outputs (not yet converted to the variables' types). */
  record Returned(Map<String, Object> outputs) implements ActionOutcome {
    public Returned {
      outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }
  }

  /** The action failed, timed out or is not installed: a fault of its element. */
  record Faulted(String message) implements ActionOutcome {
    public Faulted {
      java.util.Objects.requireNonNull(message, "message is null");
    }
  }
}
