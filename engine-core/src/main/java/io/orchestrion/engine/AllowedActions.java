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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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

  /** Ids bound in one {@code IN (...)} list: a page of work items needs a statement or two. */
  private static final int IDS_PER_STATEMENT = 100;

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
      return on(List.of(item)).get(0);
    }

    /**
     * The actions on each of {@code items} (a page of a list), in order, as {@link
     * #on(WorkItemView)} decides them, reading what the rules need for the whole page in one
     * transaction: the submissions' orchestration versions and, where distinct approvers apply, the
     * runs' earlier decisions.
     */
    public List<List<Action>> on(List<WorkItemView> items) {
      List<Eligibility> eligibilities = new ArrayList<>(items.size());
      List<Candidate> candidates = new ArrayList<>();
      for (WorkItemView item : items) {
        Eligibility eligibility = eligibility(item);
        eligibilities.add(eligibility);
        if (eligibility.mayAct()) {
          candidates.add(new Candidate(item, eligibility.onBehalfOf()));
        }
      }
      Set<String> refused = refusedDecisions(candidates, userId);
      List<List<Action>> actions = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Eligibility eligibility = eligibilities.get(i);
        List<Action> allowed = new ArrayList<>();
        if (eligibility.mayAct() && !refused.contains(items.get(i).id())) {
          allowed.add(Action.DECIDE);
        }
        if (eligibility.mayAct()
            && ApprovalRules.isAssigneeOrAdmin(eligibility.assignee(), approvalAdmin)) {
          allowed.add(Action.REASSIGN);
        }
        actions.add(List.copyOf(allowed));
      }
      return List.copyOf(actions);
    }

    /** Whether the user may act on the item at all: as its assignee, a delegate or an admin. */
    private Eligibility eligibility(WorkItemView item) {
      if (!ApprovalRules.isOpen(item.status())) {
        return Eligibility.NONE;
      }
      boolean assignee = people.isAssignedTo(item.assigneeType(), item.assigneeId(), userId);
      Optional<String> onBehalfOf =
          assignee
              ? Optional.empty()
              : ApprovalRules.isDelegable(item.assigneeType())
                  ? ApprovalRules.onBehalfOf(item.assigneeType(), item.assigneeId(), principals())
                  : Optional.<String>empty();
      if (!ApprovalRules.isAssigneeOrAdmin(assignee || onBehalfOf.isPresent(), approvalAdmin)) {
        return Eligibility.NONE;
      }
      return new Eligibility(true, assignee, onBehalfOf);
    }
  }

  /** Whether a user may act on an item, and how: as an assignee, or on someone's behalf. */
  private record Eligibility(boolean mayAct, boolean assignee, Optional<String> onBehalfOf) {
    static final Eligibility NONE = new Eligibility(false, false, Optional.empty());
  }

  /** An item the user may act on, whose DECIDE the rules may still refuse. */
  private record Candidate(WorkItemView item, Optional<String> onBehalfOf) {}

  /**
   * The ids of the {@code candidates} whose decision by {@code userId} the engine would refuse
   * because of separation of duties or distinct approvers, as RunPermissions decides. One
   * transaction for them all: the submissions' orchestration versions (their definitions are
   * cached), then the decided items of the runs with distinct approvers.
   */
  private Set<String> refusedDecisions(List<Candidate> candidates, String userId) {
    if (candidates.isEmpty()) {
      return Set.of();
    }
    return database.inTransaction(
        tx -> {
          Map<String, OrchestrationDefinition> definitions =
              definitionsOf(
                  tx, candidates.stream().map(c -> c.item().submissionId()).distinct().toList());
          Set<String> refused = new HashSet<>();
          List<Candidate> distinct = new ArrayList<>();
          for (Candidate candidate : candidates) {
            WorkItemView item = candidate.item();
            OrchestrationDefinition definition = definitions.get(item.submissionId());
            if (ApprovalRules.separatesDuties(
                item.submitterId(),
                definition.allowSubmitterApproval(),
                userId,
                candidate.onBehalfOf())) {
              refused.add(item.id());
            } else if (definition.distinctApprovers()) {
              distinct.add(candidate);
            }
          }
          Map<String, List<PriorDecision>> decided =
              decisionsOf(tx, distinct.stream().map(c -> c.item().runId()).distinct().toList());
          for (Candidate candidate : distinct) {
            WorkItemView item = candidate.item();
            List<PriorDecision> prior =
                decided.getOrDefault(item.runId(), List.of()).stream()
                    .filter(decision -> !decision.workItemId().equals(item.id()))
                    .toList();
            if (ApprovalRules.breaksDistinctApprovers(
                    true,
                    item.stepName(),
                    ApprovalRules.deciders(userId, candidate.onBehalfOf()),
                    prior)
                .isPresent()) {
              refused.add(item.id());
            }
          }
          return refused;
        });
  }

  /**
   * The orchestration version of each submission, by submission id (primary-key reads of up to
   * {@value #IDS_PER_STATEMENT} submissions a statement; the definitions are cached).
   */
  private Map<String, OrchestrationDefinition> definitionsOf(
      Transaction tx, List<String> submissionIds) throws SQLException {
    Map<String, OrchestrationDefinition> definitions = new HashMap<>();
    for (List<String> ids : chunks(submissionIds)) {
      try (PreparedStatement statement =
          tx.connection()
              .prepareStatement(
                  "SELECT id, orchestration, orchestration_version FROM submissions WHERE id IN ("
                      + placeholders(ids.size())
                      + ")")) {
        for (int i = 0; i < ids.size(); i++) {
          statement.setString(i + 1, ids.get(i));
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            definitions.put(
                rows.getString(1),
                orchestrations.version(tx, rows.getString(2), rows.getInt(3)).definition());
          }
        }
      }
    }
    for (String id : submissionIds) {
      if (!definitions.containsKey(id)) {
        throw OrchestrionException.notFound("Submission '" + id + "'");
      }
    }
    return definitions;
  }

  /**
   * The decided items of each run, by run id, in the order they were decided (indexed reads of up
   * to {@value #IDS_PER_STATEMENT} runs a statement).
   */
  private static Map<String, List<PriorDecision>> decisionsOf(Transaction tx, List<String> runIds)
      throws SQLException {
    Map<String, List<PriorDecision>> decisions = new HashMap<>();
    for (List<String> ids : chunks(runIds)) {
      try (PreparedStatement statement =
          tx.connection()
              .prepareStatement(
                  "SELECT run_id, id, step_name, decided_by, decided_on_behalf_of, decided_at FROM"
                      + " work_items WHERE run_id IN ("
                      + placeholders(ids.size())
                      + ") AND decided_by IS NOT NULL ORDER BY run_id, decided_at, id")) {
        for (int i = 0; i < ids.size(); i++) {
          statement.setString(i + 1, ids.get(i));
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            decisions
                .computeIfAbsent(rows.getString("run_id"), run -> new ArrayList<>())
                .add(
                    new PriorDecision(
                        rows.getString("step_name"),
                        rows.getString("id"),
                        rows.getString("decided_by"),
                        Optional.ofNullable(rows.getString("decided_on_behalf_of")),
                        JdbcValues.getInstant(rows, "decided_at").orElseThrow()));
          }
        }
      }
    }
    return decisions;
  }

  private static List<List<String>> chunks(List<String> ids) {
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      chunks.add(ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT)));
    }
    return chunks;
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
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
