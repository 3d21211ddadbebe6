package io.orchestrion.engine.queue;

import io.orchestrion.engine.persistence.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The statements on the {@code jobs} table that the run's side needs: insert new jobs, delete a
 * run's re-checks, a step's jobs or the job a unit of work ends, read a run's next re-check.
 * (Claiming, renewing and pausing leased jobs is the workers' side, in {@code
 * io.orchestrion.engine.jobs}.) Every method works on the caller's connection, inside its
 * transaction.
 */
public final class JobTable {
  /**
   * The fenced delete of an {@link EndedJob}, with the job's id and lease token as its two
   * parameters.
   */
  public static final String DELETE_ENDED = "DELETE FROM jobs WHERE id = ? AND lease_token = ?";

  private JobTable() {}

  /** Inserts the jobs in one batch, each created at {@code createdAt}, with no failure yet. */
  public static void insert(Connection connection, List<NewJob> jobs, Instant createdAt)
      throws SQLException {
    if (jobs.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO jobs (id, kind, run_id, step_instance_id, attempt, inputs, interview,"
                + " due_at, lease_owner, lease_token, lease_until, failures, created_at,"
                + " work_item_id, rung)"
                + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 0, ?, ?, ?)")) {
      for (NewJob job : jobs) {
        statement.setString(1, job.id());
        statement.setString(2, job.kind().name());
        statement.setString(3, job.runId());
        setText(statement, 4, job.stepInstanceId());
        statement.setInt(5, job.attempt());
        setText(statement, 6, job.inputsJson());
        JdbcValues.setInstant(statement, 7, job.dueAt());
        setText(statement, 8, job.lease().map(JobLease::owner));
        setText(statement, 9, job.lease().map(JobLease::token));
        JdbcValues.setInstant(statement, 10, job.lease().map(JobLease::until));
        JdbcValues.setInstant(statement, 11, createdAt);
        setText(statement, 12, job.workItemId());
        if (job.rung().isPresent()) {
          statement.setInt(13, job.rung().get());
        } else {
          statement.setNull(13, Types.INTEGER);
        }
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      if (counts.length != jobs.size()) {
        throw new SQLException(
            "batch of " + jobs.size() + " rows reported " + counts.length + " results");
      }
    }
  }

  /**
   * Deletes {@code job} if it still carries its lease token; throws {@link LeaseLost} if it does
   * not.
   */
  public static void deleteEnded(Connection connection, EndedJob job) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(DELETE_ENDED)) {
      statement.setString(1, job.id());
      statement.setString(2, job.leaseToken());
      if (statement.executeUpdate() != 1) {
        throw job.lost();
      }
    }
  }

  /** Deletes the run's pending re-checks. */
  public static void deleteRechecks(Connection connection, String runId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM jobs WHERE run_id = ? AND kind = ?")) {
      statement.setString(1, runId);
      statement.setString(2, JobKind.RECHECK.name());
      statement.executeUpdate();
    }
  }

  /** Deletes every job of the step instances (their steps stopped waiting for them). */
  public static void deleteStepJobs(Connection connection, Collection<String> stepInstanceIds)
      throws SQLException {
    if (stepInstanceIds.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM jobs WHERE step_instance_id = ?")) {
      for (String stepId : stepInstanceIds) {
        statement.setString(1, stepId);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Deletes every job of the work items (their escalation rungs: the items were closed). */
  public static void deleteWorkItemJobs(Connection connection, Collection<String> workItemIds)
      throws SQLException {
    if (workItemIds.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM jobs WHERE work_item_id = ?")) {
      for (String workItemId : workItemIds) {
        statement.setString(1, workItemId);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /**
   * Removes the work item's pending escalation jobs for rungs before {@code rung} and returns their
   * rungs in order (they fire now, with it). A node holding one of them is fenced out: its fenced
   * delete finds no row.
   */
  public static List<Integer> takeEarlierRungs(Connection connection, String workItemId, int rung)
      throws SQLException {
    List<Integer> rungs = new java.util.ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT rung FROM jobs WHERE work_item_id = ? AND kind = ? AND rung < ?"
                + " ORDER BY rung")) {
      select.setString(1, workItemId);
      select.setString(2, JobKind.ESCALATION.name());
      select.setInt(3, rung);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rungs.add(rs.getInt(1));
        }
      }
    }
    if (!rungs.isEmpty()) {
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM jobs WHERE work_item_id = ? AND kind = ? AND rung < ?")) {
        delete.setString(1, workItemId);
        delete.setString(2, JobKind.ESCALATION.name());
        delete.setInt(3, rung);
        delete.executeUpdate();
      }
    }
    return rungs;
  }

  /** When the run's earliest pending re-check is due, if it has one. */
  public static Optional<Instant> nextRecheck(Connection connection, String runId)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT MIN(due_at) AS due_at FROM jobs WHERE run_id = ? AND kind = ?")) {
      statement.setString(1, runId);
      statement.setString(2, JobKind.RECHECK.name());
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? JdbcValues.getInstant(rs, "due_at") : Optional.empty();
      }
    }
  }

  private static void setText(PreparedStatement statement, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setString(index, value.get());
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
  }
}
