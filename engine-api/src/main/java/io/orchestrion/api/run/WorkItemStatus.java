package io.orchestrion.api.run;

/** The status of a work item (SPEC §3.2). */
public enum WorkItemStatus {
  ASSIGNED,
  APPROVED,
  REJECTED,
  CANCELED,
  RECALLED
}
