package io.orchestrion.flow;

/**
 * A fault raised by an element while it runs. A routable fault takes the element's fault connector
 * if it has one (or the connector of a Subflow element up the stack); a limit is not routable and
 * fails the interview at once.
 */
final class FlowFault extends RuntimeException {
  private final boolean routable;

  FlowFault(String message) {
    this(message, true);
  }

  private FlowFault(String message, boolean routable) {
    // No stack trace: faults are an expected outcome of running a flow and may be frequent.
    super(message, null, false, false);
    this.routable = routable;
  }

  static FlowFault limit(String message) {
    return new FlowFault(message, false);
  }

  boolean routable() {
    return routable;
  }
}
