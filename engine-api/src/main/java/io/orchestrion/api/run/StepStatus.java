package io.orchestrion.api.run;

/** The status of a step instance (SPEC §3.2). */
public enum StepStatus {
  NOT_STARTED,
  IN_PROGRESS,
  COMPLETED,
  ERROR,
  DISCONTINUED,
  CANCELED
}
