package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.Delegations;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.security.ActorPermissions;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Who may see a submission, its run, the run's events and its work items (SPEC §7): the submitter,
 * the assignees of the run's work items (directly, through a public group or a queue, or as the
 * user who decided one), the delegate of a user an open item is assigned to while the delegation is
 * in force, approval admins (APPROVAL_ADMIN, who may act on any run) and run managers
 * (MANAGE_RUNS). Lists filter in SQL with {@link #runCondition}; single reads ask {@link
 * #requireVisibleRun}.
 */
public final class RunAudience {
  static final String RUN_RULE =
      "visible to its submitter, the assignees of its work items (directly or through a group or"
          + " queue), approval admins (APPROVAL_ADMIN) and run managers (MANAGE_RUNS)";

  private final UnitsOfWork units;
  private final Assignees assignees;
  private final ActorPermissions permissions;
  private final Delegations delegations;

  @Inject
  public RunAudience(
      UnitsOfWork units,
      Assignees assignees,
      ActorPermissions permissions,
      Delegations delegations) {
    this.units = requireNonNull(units, "units is null");
    this.assignees = requireNonNull(assignees, "assignees is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.delegations = requireNonNull(delegations, "delegations is null");
  }

  /** Whether the user sees every submission, run and event. */
  public boolean seesAll(String userId) {
    requireNonNull(userId, "userId is null");
    return permissions.mayManageRuns(userId) || permissions.isApprovalAdmin(userId);
  }

  /**
   * Passes when the user may see the run.
   *
   * @throws OrchestrionException NOT_FOUND when the run does not exist, PERMISSION_DENIED when the
   *     user may not see it
   */
  public void requireVisibleRun(String runId, String userId) {
    requireNonNull(runId, "runId is null");
    require("run", "SELECT id FROM runs WHERE id = ?", "id", runId, userId);
  }

  /** Like {@link #requireVisibleRun} for the run of a submission. */
  public void requireVisibleSubmission(String submissionId, String userId) {
    requireNonNull(submissionId, "submissionId is null");
    require(
        "submission",
        "SELECT run_id FROM submissions WHERE id = ?",
        "run_id",
        submissionId,
        userId);
  }

  private void require(String what, String select, String runColumn, String id, String userId) {
    if (seesAll(userId)) {
      return;
    }
    // Built before the transaction: group membership comes from the directory's own reads.
    Condition visible = runCondition(runColumn, userId);
    boolean[] found = new boolean[2];
    units.call(
        uow -> {
          found[0] = exists(uow.transaction(), select, List.of(id));
          if (found[0]) {
            List<Object> parameters = new ArrayList<>(List.of(id));
            parameters.addAll(visible.parameters());
            found[1] = exists(uow.transaction(), select + " AND " + visible.sql(), parameters);
          }
          return null;
        });
    if (!found[0]) {
      throw OrchestrionException.notFound(
          Character.toUpperCase(what.charAt(0)) + what.substring(1) + " '" + id + "'");
    }
    if (!found[1]) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "user '%s' may not see %s '%s': a %s is %s".formatted(userId, what, id, what, RUN_RULE));
    }
  }

  private static boolean exists(Transaction tx, String sql, List<Object> parameters)
      throws SQLException {
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * A SQL condition on {@code runColumn} (a run id) that holds for the runs the user may see
   * through submitting or being assigned; it does not cover {@link #seesAll}, which callers check
   * first.
   */
  public Condition runCondition(String runColumn, String userId) {
    requireNonNull(runColumn, "runColumn is null");
    requireNonNull(userId, "userId is null");
    List<Object> parameters = new ArrayList<>(List.of(userId, userId, userId));
    StringBuilder sql =
        new StringBuilder("(")
            .append(runColumn)
            .append(" IN (SELECT s.run_id FROM submissions s WHERE s.submitter_id = ?) OR ")
            .append(runColumn)
            .append(" IN (SELECT w.run_id FROM work_items w WHERE (w.assignee_type = 'USER'")
            .append(" AND w.assignee_id = ?) OR w.decided_by = ?");
    appendMembers(sql, parameters, "GROUP", assignees.groupsOf(userId));
    appendMembers(sql, parameters, "QUEUE", assignees.queuesOf(userId));
    // A delegate sees the runs of the open items they may decide on someone's behalf now.
    Set<String> principals = delegations.principalsOf(userId);
    if (!principals.isEmpty()) {
      sql.append(" OR (w.status = 'ASSIGNED' AND w.assignee_type = 'USER' AND w.assignee_id IN (")
          .append(String.join(", ", Collections.nCopies(principals.size(), "?")))
          .append("))");
      parameters.addAll(principals.stream().sorted().toList());
    }
    sql.append("))");
    return new Condition(sql.toString(), parameters);
  }

  /**
   * Appends {@code OR} a work item (alias {@code w}) assigned to one of {@code ids} of {@code type}
   * (GROUP or QUEUE); nothing when ids is empty. Shared with the inbox query.
   */
  static void appendMembers(
      StringBuilder sql, List<Object> parameters, String type, Set<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    sql.append(" OR (w.assignee_type = '")
        .append(type)
        .append("' AND w.assignee_id IN (")
        .append(String.join(", ", Collections.nCopies(ids.size(), "?")))
        .append("))");
    parameters.addAll(ids.stream().sorted().toList());
  }

  /** A SQL fragment with its positional parameters. */
  public record Condition(String sql, List<Object> parameters) {
    public Condition {
      requireNonNull(sql, "sql is null");
      parameters = List.copyOf(parameters);
    }
  }
}
