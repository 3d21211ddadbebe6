package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

/**
 * Why an interview failed (SPEC §3.3): the flow, version and element where it happened, and the
 * cause.
 *
 * @param flowApiName the flow (or subflow) whose element failed
 * @param element the failing element's name
 */
public record FlowFailure(String flowApiName, int flowVersion, String element, String message) {
  public FlowFailure {
    requireNonNull(flowApiName, "flowApiName is null");
    requireNonNull(element, "element is null");
    requireNonNull(message, "message is null");
  }

  /** E.g. {@code Flow Score_Risk v3, element Give_Up: expense not found}. */
  public String describe() {
    return "Flow " + flowApiName + " v" + flowVersion + ", element " + element + ": " + message;
  }
}
