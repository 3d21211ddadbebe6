package io.orchestrion.engine.run;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.persistence.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What a worker needs of a background step instance to run a segment of its flow, read without the
 * run's lock (the job's lease fences the segment; its result is applied under the lock).
 */
public final class StepReads {
  private StepReads() {}

  /** A background step instance as a worker sees it. */
  public record RunningStep(
      String name,
      StepStatus status,
      int attempt,
      String flow,
      int flowVersion,
      String runAsUserId,
      RunMode runMode) {}

  /** The step instance {@code stepInstanceId}, if it exists and its flow has been resolved. */
  public static Optional<RunningStep> find(Transaction tx, String stepInstanceId)
      throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT name, status, attempt, flow, flow_version, run_as_user_id, run_mode"
                    + " FROM step_instances WHERE id = ?")) {
      statement.setString(1, stepInstanceId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new RunningStep(
                rs.getString("name"),
                StepStatus.valueOf(rs.getString("status")),
                rs.getInt("attempt"),
                rs.getString("flow"),
                rs.getInt("flow_version"),
                rs.getString("run_as_user_id"),
                RunMode.valueOf(rs.getString("run_mode"))));
      }
    }
  }
}
