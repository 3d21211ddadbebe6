package io.orchestrion.engine.approvals;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.security.SystemUsers;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

  /**
   * Whether separation of duties keeps a decision from being taken: neither the decider nor the
   * user on whose behalf a delegate decides may be the submitter, unless the orchestration allows
   * submitter approval.
   */
  public static boolean separatesDuties(
      String submitterId,
      boolean allowSubmitterApproval,
      String userId,
      Optional<String> onBehalfOf) {
    return separatesDuties(submitterId, allowSubmitterApproval, userId)
        || onBehalfOf
            .map(user -> separatesDuties(submitterId, allowSubmitterApproval, user))
            .orElse(false);
  }

  /**
   * Only items assigned to a user directly ({@code USER}) can be decided by that user's delegate;
   * group and queue items are decided by their members (a delegation does not lend memberships).
   */
  public static boolean isDelegable(String assigneeType) {
    return "USER".equals(assigneeType);
  }

  /**
   * The user on whose behalf a delegate of {@code principals} (the users whose delegation to them
   * is in force) may decide an item assigned to {@code assigneeType} {@code assigneeId}.
   */
  public static Optional<String> onBehalfOf(
      String assigneeType, String assigneeId, Set<String> principals) {
    return isDelegable(assigneeType) && principals.contains(assigneeId)
        ? Optional.of(assigneeId)
        : Optional.empty();
  }

  /**
   * The people a decision is taken by: the decider and, for a delegate, the user on whose behalf
   * they decide. The automated process user (decisions taken by the engine) is nobody here.
   */
  public static Set<String> deciders(String decidedBy, Optional<String> onBehalfOf) {
    Set<String> people = new LinkedHashSet<>();
    people.add(decidedBy);
    onBehalfOf.ifPresent(people::add);
    people.remove(SystemUsers.AUTOMATED_PROCESS_USER_ID);
    return people;
  }

  /**
   * Cross-step separation of duties ({@code distinctApprovers: true}): the earlier decision of
   * another approval step of the same submission taken by one of {@code deciders} (see {@link
   * #deciders}), which keeps them from deciding an item of step {@code stepName}; empty when the
   * decision may be taken. Items of the same step are not "two steps". Approval admins are not
   * exempt.
   */
  public static Optional<PriorDecision> breaksDistinctApprovers(
      boolean distinctApprovers,
      String stepName,
      Set<String> deciders,
      List<PriorDecision> decisions) {
    if (!distinctApprovers) {
      return Optional.empty();
    }
    return decisions.stream()
        .filter(earlier -> !earlier.stepName().equals(stepName))
        .filter(
            earlier ->
                deciders(earlier.decidedBy(), earlier.onBehalfOf()).stream()
                    .anyMatch(deciders::contains))
        .findFirst();
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
