package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.Delegations;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.StoredStrings;
import io.orchestrion.engine.run.WorkItemCommands;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.work.CommandGroups;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.engine.work.Work;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Work items of approval steps (SPEC §8): a user's inbox, one item, deciding and reassigning.
 * Deciding takes the run's lock, so of two concurrent decisions exactly one wins; the other gets a
 * CONFLICT naming who decided.
 */
public final class WorkItemService {
  static final int MAX_PAGE_SIZE = 500;

  /** A work item with its submission's submitter and record, as {@link #query} maps it. */
  private static final String SELECT =
      "SELECT w.id, w.run_id, w.submission_id, w.step_instance_id, w.step_name, w.status,"
          + " w.assignee_type, w.assignee_id, w.decision, w.comments, w.decided_by, w.decided_at,"
          + " w.due_at, w.created_at, w.updated_at, w.decided_on_behalf_of, s.submitter_id,"
          + " s.object_type, s.record_id FROM work_items w"
          + " JOIN submissions s ON s.id = w.submission_id";

  private final UnitsOfWork units;
  private final WorkItemCommands commands;
  private final Assignees assignees;
  private final ActorPermissions permissions;
  private final EventSequencer sequencer;
  private final IdempotencyKeys idempotencyKeys;
  private final ApproverFields approverFields;
  private final Delegations delegations;
  private final CommandGroups groups;

  @Inject
  public WorkItemService(
      UnitsOfWork units,
      WorkItemCommands commands,
      Assignees assignees,
      ActorPermissions permissions,
      EventSequencer sequencer,
      IdempotencyKeys idempotencyKeys,
      ApproverFields approverFields,
      Delegations delegations,
      EngineConfig config) {
    // A decision locks its item's run first: a group runs its decisions in the order of their runs.
    this.groups = CommandGroups.of(units, config, WorkItemCommands::runsOf);
    this.approverFields = approverFields;
    this.delegations = delegations;
    this.units = units;
    this.commands = commands;
    this.assignees = assignees;
    this.permissions = permissions;
    this.sequencer = sequencer;
    this.idempotencyKeys = idempotencyKeys;
  }

  /**
   * The work items assigned to {@code userId} directly or through a group or queue they belong to,
   * in {@code status} (ASSIGNED for an inbox), oldest first. An ASSIGNED inbox also lists the items
   * assigned directly to the users whose delegate {@code userId} is now, each marked {@link
   * WorkItemView#onBehalfOf()}.
   */
  public Page<WorkItemView> inbox(
      String userId, WorkItemStatus status, Optional<String> cursor, int limit) {
    PageCursor.requireLimit(limit, MAX_PAGE_SIZE);
    Optional<PageCursor> after = cursor.map(PageCursor::decode);
    return units.call(
        uow -> {
          Assignees people = assignees.within(uow);
          Set<String> groups = people.groupsOf(userId);
          Set<String> queues = people.queuesOf(userId);
          Set<String> principals =
              ApprovalRules.isOpen(status) ? delegations.principalsOf(uow, userId) : Set.of();
          StringBuilder sql =
              new StringBuilder(SELECT)
                  .append(
                      " WHERE w.status = ? AND ((w.assignee_type = 'USER' AND w.assignee_id = ?)");
          List<Object> parameters = new ArrayList<>(List.of(status.name(), userId));
          RunAudience.appendMembers(sql, parameters, "GROUP", groups);
          RunAudience.appendMembers(sql, parameters, "QUEUE", queues);
          RunAudience.appendMembers(sql, parameters, "USER", principals);
          sql.append(")");
          after.ifPresent(position -> position.appendAfter(sql, parameters, "w."));
          sql.append(" ORDER BY w.created_at, w.id FETCH FIRST ")
              .append(limit + 1)
              .append(" ROWS ONLY");
          return PageCursor.page(
              withSummaries(uow, query(uow, sql.toString(), parameters)).stream()
                  .map(item -> asSeenBy(item, userId, principals))
                  .toList(),
              limit,
              item -> new PageCursor(item.createdAt(), item.id()));
        });
  }

  /** The item marked with the user on whose behalf {@code userId} may decide it, if any. */
  private static WorkItemView asSeenBy(WorkItemView item, String userId, Set<String> principals) {
    return ApprovalRules.isOpen(item.status()) && !item.assigneeId().equals(userId)
        ? item.withOnBehalfOf(
            ApprovalRules.onBehalfOf(item.assigneeType(), item.assigneeId(), principals))
        : item;
  }

  /**
   * One work item, for its assignees (directly or through a group or queue), the assigned user's
   * delegate while the item is open and the delegation in force (marked {@link
   * WorkItemView#onBehalfOf()}), its decider, the submitter, approval admins and run managers.
   */
  public WorkItemView get(String workItemId, String userId) {
    return units.call(
        uow -> {
          WorkItemView item = withSummary(uow, find(uow, workItemId));
          Set<String> principals =
              ApprovalRules.isDelegable(item.assigneeType())
                  ? delegations.principalsOf(uow, userId)
                  : Set.of();
          item = asSeenBy(item, userId, principals);
          if (!maySee(uow, item, userId)) {
            throw new OrchestrionException(
                StandardErrorCode.PERMISSION_DENIED,
                "work item '%s' is visible to its assignees, the submitter, approval admins"
                        .formatted(workItemId)
                    + " (APPROVAL_ADMIN) and run managers (MANAGE_RUNS)");
          }
          return item;
        });
  }

  /** APPROVE or REJECT; the first decision wins (SPEC §8). Returns the decided item. */
  public WorkItemView decide(
      String workItemId, Decision decision, Optional<String> comments, String userId) {
    return decide(workItemId, decision, comments, userId, Optional.empty());
  }

  /**
   * Like {@link #decide(String, Decision, Optional, String)}, once per {@code idempotencyKey} of
   * {@code userId} (SPEC §12): repeating the decision with the same key returns the item as it is
   * now instead of a conflict; the key is stored in the deciding transaction.
   *
   * @throws OrchestrionException CONFLICT when the key was used for a different request
   */
  public WorkItemView decide(
      String workItemId,
      Decision decision,
      Optional<String> comments,
      String userId,
      Optional<String> idempotencyKey) {
    List<Problem> problems = new ArrayList<>();
    StoredStrings.check(
        problems, "$.comments", comments.orElse(null), StoredStrings.DECISION_COMMENTS_LENGTH);
    StoredStrings.failOn(problems, StandardErrorCode.INVALID_REQUEST, "Decision");
    // The answer is the item as the decision wrote it, built by the run engine: a fresh read of
    // it would return the same (AnswersAsWrittenContract).
    // The decision answers with its events numbered: each attempt (a retry, a group member run
    // alone) asks its transaction to number them before it commits.
    Work<WorkItemView> effect =
        uow -> {
          sequencer.numberBeforeCommit(uow.transaction());
          return commands.decide(uow, workItemId, decision, comments, userId);
        };
    // Decisions arriving together may share a transaction (group commit); a keyed one runs alone,
    // as a keyed submission does.
    return idempotencyKey.isEmpty()
        ? groups.call(workItemId, effect)
        : idempotencyKeys.once(
            userId,
            idempotencyKey,
            IdempotencyKeys.Operation.DECIDE,
            workItemId + "\n" + decision + "\n" + comments.orElse(""),
            effect,
            WorkItemView::id,
            WorkItemService::find);
  }

  /** Gives the item to another user, group or queue (assignee or approval admin). */
  public WorkItemView reassign(
      String workItemId, String assigneeType, String assigneeId, String userId) {
    return units.call(uow -> commands.reassign(uow, workItemId, assigneeType, assigneeId, userId));
  }

  /** The work items of a run, oldest first. */
  public List<WorkItemView> ofRun(String runId) {
    return units.call(
        uow ->
            withSummaries(
                uow,
                query(
                    uow,
                    SELECT + " WHERE w.run_id = ? ORDER BY w.created_at, w.approver_index, w.id",
                    List.of(runId))));
  }

  /** Open items carry the approver-visible fields of their record (SPEC §7). */
  private List<WorkItemView> withSummaries(UnitOfWork uow, List<WorkItemView> items) {
    return items.stream().map(item -> withSummary(uow, item)).toList();
  }

  private WorkItemView withSummary(UnitOfWork uow, WorkItemView item) {
    return item.status() == WorkItemStatus.ASSIGNED
        ? item.withRecordSummary(approverFields.summary(uow, item.objectType(), item.recordId()))
        : item;
  }

  private boolean maySee(UnitOfWork uow, WorkItemView item, String userId) {
    return assignees.within(uow).isAssignedTo(item.assigneeType(), item.assigneeId(), userId)
        || item.onBehalfOf().isPresent()
        || userId.equals(item.decidedBy().orElse(null))
        || userId.equals(item.submitterId())
        || permissions.isApprovalAdmin(uow.directoryIndex(), userId)
        || permissions.mayManageRuns(uow.directoryIndex(), userId);
  }

  private static WorkItemView find(UnitOfWork uow, String workItemId) throws SQLException {
    List<WorkItemView> items = query(uow, SELECT + " WHERE w.id = ?", List.of(workItemId));
    if (items.isEmpty()) {
      throw OrchestrionException.notFound("Work item '" + workItemId + "'");
    }
    return items.getFirst();
  }

  private static List<WorkItemView> query(UnitOfWork uow, String sql, List<Object> parameters)
      throws SQLException {
    List<WorkItemView> items = new ArrayList<>();
    try (PreparedStatement statement = uow.connection().prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          items.add(
              new WorkItemView(
                  rs.getString("id"),
                  rs.getString("run_id"),
                  rs.getString("submission_id"),
                  rs.getString("submitter_id"),
                  rs.getString("step_instance_id"),
                  rs.getString("step_name"),
                  WorkItemStatus.valueOf(rs.getString("status")),
                  rs.getString("assignee_type"),
                  rs.getString("assignee_id"),
                  Optional.ofNullable(rs.getString("decision")),
                  Optional.ofNullable(rs.getString("comments")),
                  Optional.ofNullable(rs.getString("decided_by")),
                  JdbcValues.getInstant(rs, "decided_at"),
                  JdbcValues.getInstant(rs, "due_at"),
                  JdbcValues.getInstant(rs, "created_at").orElseThrow(),
                  JdbcValues.getInstant(rs, "updated_at").orElseThrow(),
                  rs.getString("object_type"),
                  rs.getString("record_id"),
                  Map.of(),
                  Optional.ofNullable(rs.getString("decided_on_behalf_of")),
                  Optional.empty()));
        }
      }
    }
    return items;
  }
}
