package io.orchestrion.flow;

import io.orchestrion.security.SecurityContext;

/** One flow on an interview's subflow stack: its variables and where it is. Not thread-safe. */
final class Frame {
  final CompiledFlow flow;
  final Object[] slots;
  final SecurityContext security;

  /** The element the frame stopped at (a Subflow being called, a Wait); valid only then. */
  int position;

  /**
   * The value of each variable (and the fault message) when the value limits last checked it, and
   * its size as JSON then; null until the interview first checks the frame. See {@link
   * ValueLimits}.
   */
  Object[] checkedValues;

  long[] checkedSizes;

  Frame(CompiledFlow flow, Object[] slots, SecurityContext security) {
    this.flow = flow;
    this.slots = slots;
    this.security = security;
  }
}
