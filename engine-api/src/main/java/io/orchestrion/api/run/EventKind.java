package io.orchestrion.api.run;

/** What an orchestration event says (SPEC §4). */
public enum EventKind {
  STEP_RESULT,
  MANUAL,
  OVERDUE
}
