package io.orchestrion.api.run;

/** The status of an approval submission (SPEC §3.1). */
public enum SubmissionStatus {
  IN_PROGRESS,
  APPROVED,
  REJECTED,
  CANCELED,
  RECALLED,
  ERROR
}
