package io.orchestrion.api.run;

/** The status of a stage instance (SPEC §3.2). */
public enum StageStatus {
  IN_PROGRESS,
  COMPLETED,
  CANCELED,
  ERROR
}
