package io.orchestrion.api.run;

/**
 * What an orchestration event says (SPEC §4). STEP_RESULT, MANUAL and OVERDUE make a run evaluate
 * its current stage; every other kind is a notification: it tells clients what happened, written in
 * the transaction of the change it reports, and numbered in the same sequence.
 */
public enum EventKind {
  STEP_RESULT,
  MANUAL,
  OVERDUE,
  SUBMITTED,
  STAGE_STARTED,
  STAGE_COMPLETED,
  STEP_STARTED,
  WORK_ITEM_CREATED,
  WORK_ITEM_DECIDED,
  WORK_ITEM_REASSIGNED,
  /** An escalation rung reminded the assignee of an undecided work item. */
  WORK_ITEM_REMINDED,
  /** An escalation rung gave an undecided work item to someone else. */
  WORK_ITEM_ESCALATED,
  WORK_ITEM_CANCELED,
  RECALLED,
  RUN_COMPLETED,
  RUN_REJECTED,
  RUN_ERROR,
  RUN_CANCELED,
  RUN_SUSPENDED,
  RUN_RESUMED;

  /** Whether receiving an event of this kind makes its run evaluate (SPEC §4). */
  public boolean makesRunEvaluate() {
    return this == STEP_RESULT || this == MANUAL || this == OVERDUE;
  }
}
