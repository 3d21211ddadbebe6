package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.Delegations;
import io.orchestrion.engine.approvals.PriorDecision;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.work.UnitOfWork;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Who may act on a run (SPEC §7): deciders of a work item (its assignee, a member of its group or
 * queue, the assigned user's delegate, or an approval admin; never the submitter unless the
 * orchestration allows it; with distinct approvers, nobody who decided another approval step of the
 * submission), approval admins, run managers. Read through the command's unit of work.
 */
final class RunPermissions {
  private final Assignees assignees;
  private final ActorPermissions actorPermissions;
  private final Delegations delegations;

  @Inject
  RunPermissions(Assignees assignees, ActorPermissions actorPermissions, Delegations delegations) {
    this.assignees = assignees;
    this.actorPermissions = actorPermissions;
    this.delegations = delegations;
  }

  /**
   * Who takes a decision: their role in the audit trail ({@code ASSIGNEE}, {@code DELEGATE} or
   * {@code ADMIN}) and, for a delegate, the user on whose behalf they decide.
   */
  record Decider(String role, Optional<String> onBehalfOf) {}

  /** Approval admins may decide, reassign, recall and cancel anything (SPEC §3.1, §7). */
  boolean isApprovalAdmin(UnitOfWork uow, String actorId) {
    return actorPermissions.isApprovalAdmin(uow.directoryIndex(), actorId);
  }

  boolean isAssignee(UnitOfWork uow, WorkItem item, String userId) {
    return assignees
        .within(uow)
        .isAssignedTo(item.assignee().type().name(), item.assignee().id(), userId);
  }

  /**
   * SPEC §7: the assignee, a member of its group or queue, the assigned user's delegate (while the
   * delegation is in force), or an approval admin; separation of duties applies to the decider and
   * to the user on whose behalf a delegate decides; with {@code distinctApprovers}, neither may
   * have decided another approval step of the submission.
   */
  Decider requireMayDecide(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      WorkItem item,
      String actorId) {
    boolean assignee = isAssignee(uow, item, actorId);
    Optional<String> onBehalfOf =
        assignee
            ? Optional.empty()
            : delegations.onBehalfOf(
                uow, item.assignee().type().name(), item.assignee().id(), actorId);
    boolean admin = actorPermissions.isApprovalAdmin(uow.directoryIndex(), actorId);
    if (!ApprovalRules.isAssigneeOrAdmin(assignee || onBehalfOf.isPresent(), admin)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not decide work item '%s': it is assigned to %s %s"
              .formatted(actorId, item.id(), item.assignee().type().name(), item.assignee().id()));
    }
    String submitter = run.submission().submitterId();
    boolean allowSubmitter = orchestration.definition().allowSubmitterApproval();
    if (ApprovalRules.separatesDuties(submitter, allowSubmitter, actorId)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          ("user '%s' submitted this record and may not decide its work items (separation of"
                  + " duties; the orchestration does not allow submitter approval)")
              .formatted(actorId));
    }
    if (ApprovalRules.separatesDuties(submitter, allowSubmitter, actorId, onBehalfOf)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          ("user '%s' may not decide work item '%s' on behalf of '%s', who submitted this record"
                  + " (separation of duties applies to delegates; the orchestration does not"
                  + " allow submitter approval)")
              .formatted(actorId, item.id(), onBehalfOf.orElseThrow()));
    }
    Optional<PriorDecision> conflict =
        ApprovalRules.breaksDistinctApprovers(
            orchestration.definition().distinctApprovers(),
            item.stepName(),
            ApprovalRules.deciders(actorId, onBehalfOf),
            priorDecisions(run, item));
    if (conflict.isPresent()) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          conflict.get().refusal(actorId, item.id(), item.stepName()));
    }
    return new Decider(
        assignee ? "ASSIGNEE" : onBehalfOf.isPresent() ? "DELEGATE" : "ADMIN", onBehalfOf);
  }

  /** The decided items of the run other than {@code item}, oldest decision first. */
  private static List<PriorDecision> priorDecisions(RunState run, WorkItem item) {
    return run.workItems().stream()
        .filter(
            other ->
                other != item && other.decidedBy().isPresent() && other.decidedAt().isPresent())
        .sorted(java.util.Comparator.comparing((WorkItem other) -> other.decidedAt().orElseThrow()))
        .map(
            other ->
                new PriorDecision(
                    other.stepName(),
                    other.id(),
                    other.decidedBy().orElseThrow(),
                    other.decidedOnBehalfOf(),
                    other.decidedAt().orElseThrow()))
        .toList();
  }

  void requireRunManager(UnitOfWork uow, String actorId, String what) {
    if (!ApprovalRules.mayOperateRuns(
        actorPermissions.mayManageRuns(uow.directoryIndex(), actorId))) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "%s needs the MANAGE_RUNS permission".formatted(what));
    }
  }
}
