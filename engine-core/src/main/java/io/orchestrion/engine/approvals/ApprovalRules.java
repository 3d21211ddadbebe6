package io.orchestrion.engine.approvals;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;

/**
 * Who may act on work items, submissions and runs, and in which state (SPEC §3, §7, §8): the one
 * statement of these rules. The run engine refuses an operation when they say no; the API lists the
 * actions they allow on each view ({@code allowedActions}), so that a listed action succeeds and an
 * unlisted one is refused.
 */
public final class ApprovalRules {
  private ApprovalRules() {}

  /** Only ASSIGNED work items can be decided or reassigned. */
  public static boolean isOpen(WorkItemStatus status) {
    return status == WorkItemStatus.ASSIGNED;
  }

  /** Only IN_PROGRESS submissions can be recalled or canceled. */
  public static boolean isOpen(SubmissionStatus status) {
    return status == SubmissionStatus.IN_PROGRESS;
  }

  /** Only IN_PROGRESS runs can be suspended. */
  public static boolean maySuspendFrom(RunStatus status) {
    return status == RunStatus.IN_PROGRESS;
  }

  /** Only SUSPENDED runs can be resumed. */
  public static boolean mayResumeFrom(RunStatus status) {
    return status == RunStatus.SUSPENDED;
  }

  /** Only runs in ERROR can be retried. */
  public static boolean mayRetryFrom(RunStatus status) {
    return status == RunStatus.ERROR;
  }

  /**
   * The assignee of a work item (directly or through a group or queue) or an approval admin may
   * decide or reassign it; for deciding, {@link #separatesDuties} applies too.
   */
  public static boolean isAssigneeOrAdmin(boolean assignee, boolean approvalAdmin) {
    return assignee || approvalAdmin;
  }

  /**
   * Whether separation of duties keeps the user from deciding: they submitted the record and the
   * orchestration does not allow submitter approval.
   */
  public static boolean separatesDuties(
      String submitterId, boolean allowSubmitterApproval, String userId) {
    return userId.equals(submitterId) && !allowSubmitterApproval;
  }

  /** The submitter or an approval admin may recall a submission (SPEC §3.1). */
  public static boolean mayRecall(boolean submitter, boolean approvalAdmin) {
    return submitter || approvalAdmin;
  }

  /** Approval admins may cancel a submission (SPEC §3.1). */
  public static boolean mayCancel(boolean approvalAdmin) {
    return approvalAdmin;
  }

  /** Suspending, resuming and retrying runs needs MANAGE_RUNS (SPEC §3.2, §3.3). */
  public static boolean mayOperateRuns(boolean runManager) {
    return runManager;
  }
}
