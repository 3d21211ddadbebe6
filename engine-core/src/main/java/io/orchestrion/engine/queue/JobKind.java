package io.orchestrion.engine.queue;

/** What a row of the {@code jobs} table asks a worker to do (stored by name). */
public enum JobKind {
  /** Run the next segment of an asynchronous step's flow. */
  FLOW,
  /** Evaluate the run again: a condition answered "not yet, ask again at the due time". */
  RECHECK,
  /** A work item's due time passed: mark it overdue. */
  OVERDUE,
  /** A rung of a work item's escalation ladder is due: remind, reassign or decide. */
  ESCALATION
}
