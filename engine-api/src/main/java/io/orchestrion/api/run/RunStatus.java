package io.orchestrion.api.run;

/** The status of an orchestration run (SPEC §3.2). */
public enum RunStatus {
  IN_PROGRESS,
  SUSPENDED,
  COMPLETED,
  CANCELED,
  ERROR
}
