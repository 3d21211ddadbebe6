package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.run.RunViews;
import io.orchestrion.engine.security.ActorPermissions;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The actions a user may take on a submission, a run or a work item now, decided by {@link
 * ApprovalRules}, the rules the run engine enforces when the action is taken. A console shows a
 * button for each; an action not listed would be refused (permission or state), one listed succeeds
 * unless something changed in between.
 */
public final class AllowedActions {
  /** An action on a view, named as the API's {@code allowedActions} lists it. */
  public enum Action {
    DECIDE,
    REASSIGN,
    RECALL,
    CANCEL,
    SUSPEND,
    RESUME,
    RETRY
  }

  private final Assignees people;
  private final ActorPermissions permissions;
  private final Database database;
  private final RunViews views;
  private final OrchestrationCatalog orchestrations;

  @Inject
  public AllowedActions(
      Assignees people,
      ActorPermissions permissions,
      Database database,
      RunViews views,
      OrchestrationCatalog orchestrations) {
    this.people = requireNonNull(people, "people is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.database = requireNonNull(database, "database is null");
    this.views = requireNonNull(views, "views is null");
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
  }

  /**
   * The actions of one user; it remembers what it learned about the user (admin, run manager,
   * groups, queues), so use one per request, for a whole list.
   */
  public For forUser(String userId) {
    requireNonNull(userId, "userId is null");
    return new For(
        userId,
        new Remembering(people),
        permissions.isApprovalAdmin(userId),
        permissions.mayManageRuns(userId));
  }

  /** The actions of one user. */
  public final class For {
    private final String userId;
    private final Assignees people;
    private final boolean approvalAdmin;
    private final boolean runManager;

    private For(String userId, Assignees people, boolean approvalAdmin, boolean runManager) {
      this.userId = userId;
      this.people = people;
      this.approvalAdmin = approvalAdmin;
      this.runManager = runManager;
    }

    /** RECALL and CANCEL, for an IN_PROGRESS submission. */
    public List<Action> on(SubmissionView submission) {
      List<Action> actions = new ArrayList<>();
      if (ApprovalRules.isOpen(submission.status())) {
        if (ApprovalRules.mayRecall(userId.equals(submission.submitterId()), approvalAdmin)) {
          actions.add(Action.RECALL);
        }
        if (ApprovalRules.mayCancel(approvalAdmin)) {
          actions.add(Action.CANCEL);
        }
      }
      return List.copyOf(actions);
    }

    /** SUSPEND, RESUME or RETRY, as the run's status allows, for run managers. */
    public List<Action> on(RunView run) {
      if (!ApprovalRules.mayOperateRuns(runManager)) {
        return List.of();
      }
      if (ApprovalRules.maySuspendFrom(run.status())) {
        return List.of(Action.SUSPEND);
      }
      if (ApprovalRules.mayResumeFrom(run.status())) {
        return List.of(Action.RESUME);
      }
      if (ApprovalRules.mayRetryFrom(run.status())) {
        return List.of(Action.RETRY);
      }
      return List.of();
    }

    /** DECIDE and REASSIGN, for an ASSIGNED item and its assignees or an approval admin. */
    public List<Action> on(WorkItemView item) {
      if (!ApprovalRules.isOpen(item.status())
          || !ApprovalRules.isAssigneeOrAdmin(
              people.isAssignedTo(item.assigneeType(), item.assigneeId(), userId), approvalAdmin)) {
        return List.of();
      }
      if (userId.equals(item.submitterId()) && separatesDuties(item, userId)) {
        return List.of(Action.REASSIGN);
      }
      return List.of(Action.DECIDE, Action.REASSIGN);
    }
  }

  private boolean separatesDuties(WorkItemView item, String userId) {
    boolean allowSubmitterApproval =
        database.inTransaction(
            tx -> {
              SubmissionView submission =
                  views
                      .submission(tx, item.submissionId())
                      .orElseThrow(
                          () ->
                              OrchestrionException.notFound(
                                  "Submission '" + item.submissionId() + "'"));
              return orchestrations
                  .version(tx, submission.orchestration(), submission.orchestrationVersion())
                  .definition()
                  .allowSubmitterApproval();
            });
    return ApprovalRules.separatesDuties(item.submitterId(), allowSubmitterApproval, userId);
  }

  /** Assignees that ask the directory once per question. */
  private static final class Remembering implements Assignees {
    private final Assignees delegate;
    private final Map<String, Set<String>> groups = new HashMap<>();
    private final Map<String, Set<String>> queues = new HashMap<>();

    Remembering(Assignees delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<String> managerOf(String userId) {
      return delegate.managerOf(userId);
    }

    @Override
    public Optional<String> roleOf(String userId) {
      return delegate.roleOf(userId);
    }

    @Override
    public boolean isActiveUser(String userId) {
      return delegate.isActiveUser(userId);
    }

    @Override
    public boolean groupExists(String groupId) {
      return delegate.groupExists(groupId);
    }

    @Override
    public boolean queueExists(String queueId) {
      return delegate.queueExists(queueId);
    }

    @Override
    public Set<String> groupsOf(String userId) {
      return groups.computeIfAbsent(userId, delegate::groupsOf);
    }

    @Override
    public Set<String> queuesOf(String userId) {
      return queues.computeIfAbsent(userId, delegate::queuesOf);
    }
  }
}
