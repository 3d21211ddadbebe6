package io.orchestrion.engine.jobs;

import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.queue.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A job row as the runner needs it, read only while this node holds the job's lease. The step
 * instance, inputs, interview, resume event, due time and work item are null where the kind has
 * none.
 */
record JobRow(
    String id,
    JobKind kind,
    String runId,
    String stepInstanceId,
    int attempt,
    String inputs,
    String interview,
    String leaseToken,
    int failures,
    String resumeEvent,
    String submissionId,
    Instant dueAt,
    String workItemId,
    int rung) {

  private static final String COLUMNS =
      "SELECT id, kind, run_id, step_instance_id, attempt, inputs, interview, lease_token,"
          + " failures, resume_event, due_at, work_item_id, rung,"
          + " (SELECT submission_id FROM runs WHERE runs.id = jobs.run_id) AS submission_id"
          + " FROM jobs";

  /** The job if {@code owner} holds its lease; null otherwise (gone, or leased elsewhere). */
  static JobRow loadOwned(Connection connection, String jobId, String owner) throws SQLException {
    List<JobRow> rows = loadOwned(connection, List.of(jobId), owner);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Those of {@code jobIds} whose lease {@code owner} holds, in no particular order. */
  static List<JobRow> loadOwned(Connection connection, List<String> jobIds, String owner)
      throws SQLException {
    String sql =
        jobIds.size() == 1
            ? COLUMNS + " WHERE id = ? AND lease_owner = ?"
            : COLUMNS
                + " WHERE id IN ("
                + String.join(", ", Collections.nCopies(jobIds.size(), "?"))
                + ") AND lease_owner = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = 1;
      for (String jobId : jobIds) {
        statement.setString(index++, jobId);
      }
      statement.setString(index, owner);
      List<JobRow> rows = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.add(read(rs));
        }
      }
      return rows;
    }
  }

  private static JobRow read(ResultSet rs) throws SQLException {
    return new JobRow(
        rs.getString("id"),
        JobKind.valueOf(rs.getString("kind")),
        rs.getString("run_id"),
        rs.getString("step_instance_id"),
        rs.getInt("attempt"),
        rs.getString("inputs"),
        rs.getString("interview"),
        rs.getString("lease_token"),
        rs.getInt("failures"),
        rs.getString("resume_event"),
        rs.getString("submission_id"),
        JdbcValues.getNullableInstant(rs, "due_at"),
        rs.getString("work_item_id"),
        rs.getInt("rung"));
  }
}
