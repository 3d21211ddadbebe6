package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.security.ActorPermissions;
import jakarta.inject.Inject;

/**
 * Who may act on a run (SPEC §7): deciders of a work item (its assignee, a member of its group or
 * queue, or an approval admin; never the submitter unless the orchestration allows it), approval
 * admins, run managers. Read through the command's transaction.
 */
final class RunPermissions {
  private final Assignees assignees;
  private final ActorPermissions actorPermissions;

  @Inject
  RunPermissions(Assignees assignees, ActorPermissions actorPermissions) {
    this.assignees = assignees;
    this.actorPermissions = actorPermissions;
  }

  /** Approval admins may decide, reassign, recall and cancel anything (SPEC §3.1, §7). */
  boolean isApprovalAdmin(Transaction tx, String actorId) {
    return actorPermissions.isApprovalAdmin(tx, actorId);
  }

  boolean isAssignee(Transaction tx, RunState.WorkItem item, String userId) {
    return assignees.within(tx).isAssignedTo(item.assigneeType, item.assigneeId, userId);
  }

  /** SPEC §7: the assignee, a member of its group or queue, or an approval admin. */
  String requireMayDecide(
      Transaction tx,
      RunState run,
      CompiledOrchestration orchestration,
      RunState.WorkItem item,
      String actorId) {
    boolean assignee = isAssignee(tx, item, actorId);
    boolean admin = actorPermissions.isApprovalAdmin(tx, actorId);
    if (!assignee && !admin) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not decide work item '%s': it is assigned to %s %s"
              .formatted(actorId, item.id, item.assigneeType, item.assigneeId));
    }
    if (actorId.equals(run.submission.submitterId)
        && !orchestration.definition().allowSubmitterApproval()) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          ("user '%s' submitted this record and may not decide its work items (separation of"
                  + " duties; the orchestration does not allow submitter approval)")
              .formatted(actorId));
    }
    return assignee ? "ASSIGNEE" : "ADMIN";
  }

  void requireRunManager(Transaction tx, String actorId, String what) {
    if (!actorPermissions.mayManageRuns(tx, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "%s needs the MANAGE_RUNS permission".formatted(what));
    }
  }
}
