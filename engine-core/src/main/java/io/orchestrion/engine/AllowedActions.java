package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.Delegations;
import io.orchestrion.engine.approvals.PriorDecision;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.security.ActorPermissions;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
  private final OrchestrationCatalog orchestrations;
  private final Delegations delegations;

  @Inject
  public AllowedActions(
      Assignees people,
      ActorPermissions permissions,
      Database database,
      OrchestrationCatalog orchestrations,
      Delegations delegations) {
    this.people = requireNonNull(people, "people is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.database = requireNonNull(database, "database is null");
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.delegations = requireNonNull(delegations, "delegations is null");
  }

  /**
   * The actions of one user; it remembers what it learned about the user (admin, run manager,
   * groups, queues, whose delegate they are now), so use one per request, for a whole list.
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
    private Set<String> principals;

    private For(String userId, Assignees people, boolean approvalAdmin, boolean runManager) {
      this.userId = userId;
      this.people = people;
      this.approvalAdmin = approvalAdmin;
      this.runManager = runManager;
    }

    /** The users whose delegate this user is now, read on first need (one query per request). */
    private Set<String> principals() {
      if (principals == null) {
        principals = delegations.principalsOf(userId);
      }
      return principals;
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

    /**
     * DECIDE and REASSIGN, for an ASSIGNED item and its assignees or an approval admin; DECIDE
     * alone for the assigned user's delegate. DECIDE is left out when separation of duties or
     * distinct approvers would refuse the decision.
     */
    public List<Action> on(WorkItemView item) {
      if (!ApprovalRules.isOpen(item.status())) {
        return List.of();
      }
      boolean assignee = people.isAssignedTo(item.assigneeType(), item.assigneeId(), userId);
      Optional<String> onBehalfOf =
          assignee
              ? Optional.empty()
              : ApprovalRules.isDelegable(item.assigneeType())
                  ? ApprovalRules.onBehalfOf(item.assigneeType(), item.assigneeId(), principals())
                  : Optional.<String>empty();
      if (!ApprovalRules.isAssigneeOrAdmin(assignee || onBehalfOf.isPresent(), approvalAdmin)) {
        return List.of();
      }
      List<Action> actions = new ArrayList<>();
      if (!refusesDecision(item, userId, onBehalfOf)) {
        actions.add(Action.DECIDE);
      }
      if (ApprovalRules.isAssigneeOrAdmin(assignee, approvalAdmin)) {
        actions.add(Action.REASSIGN);
      }
      return List.copyOf(actions);
    }
  }

  /**
   * Whether the engine would refuse {@code userId}'s decision (on behalf of {@code onBehalfOf})
   * because of separation of duties or distinct approvers, as RunPermissions decides. One
   * transaction per item the user may decide: the submission's orchestration version (its
   * definition is cached) and, with distinct approvers, the run's decided items.
   */
  private boolean refusesDecision(WorkItemView item, String userId, Optional<String> onBehalfOf) {
    return database.inTransaction(
        tx -> {
          OrchestrationDefinition definition = definitionOf(tx, item);
          if (ApprovalRules.separatesDuties(
              item.submitterId(), definition.allowSubmitterApproval(), userId, onBehalfOf)) {
            return true;
          }
          return definition.distinctApprovers()
              && ApprovalRules.breaksDistinctApprovers(
                      true,
                      item.stepName(),
                      ApprovalRules.deciders(userId, onBehalfOf),
                      priorDecisions(tx, item))
                  .isPresent();
        });
  }

  /** The orchestration version of the item's submission (one primary-key read, then cached). */
  private OrchestrationDefinition definitionOf(Transaction tx, WorkItemView item)
      throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT orchestration, orchestration_version FROM submissions WHERE id = ?")) {
      statement.setString(1, item.submissionId());
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw OrchestrionException.notFound("Submission '" + item.submissionId() + "'");
        }
        return orchestrations.version(tx, rows.getString(1), rows.getInt(2)).definition();
      }
    }
  }

  /** The decided items of the item's run other than itself (one indexed read). */
  private static List<PriorDecision> priorDecisions(Transaction tx, WorkItemView item)
      throws SQLException {
    List<PriorDecision> decisions = new ArrayList<>();
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT id, step_name, decided_by, decided_on_behalf_of, decided_at FROM"
                    + " work_items WHERE run_id = ? AND decided_by IS NOT NULL AND id <> ?"
                    + " ORDER BY decided_at, id")) {
      statement.setString(1, item.runId());
      statement.setString(2, item.id());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          decisions.add(
              new PriorDecision(
                  rows.getString("step_name"),
                  rows.getString("id"),
                  rows.getString("decided_by"),
                  Optional.ofNullable(rows.getString("decided_on_behalf_of")),
                  JdbcValues.getInstant(rows, "decided_at").orElseThrow()));
        }
      }
    }
    return decisions;
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
