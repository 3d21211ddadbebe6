package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.RunView;
import io.orchestrion.engine.SubmissionView;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Reads runs and submissions as the API shows them. */
public final class RunViews {
  private final RunRepository repository;

  @Inject
  RunViews(RunRepository repository) {
    this.repository = repository;
  }

  public RunView run(Transaction tx, String runId) throws SQLException {
    RunState run =
        repository
            .read(tx, runId)
            .orElseThrow(() -> OrchestrionException.notFound("Run '" + runId + "'"));
    List<RunView.Stage> stages =
        run.stages.stream()
            .map(
                stage ->
                    new RunView.Stage(
                        stage.id,
                        stage.name,
                        stage.status,
                        run.stepsOf(stage).stream().map(RunViews::step).toList(),
                        stage.startedAt,
                        Optional.ofNullable(stage.endedAt)))
            .toList();
    return new RunView(
        run.id,
        run.submission.id,
        run.submission.orchestration,
        run.submission.orchestrationVersion,
        run.status,
        Optional.ofNullable(run.error),
        run.variables,
        stages,
        run.createdAt,
        run.submission.updatedAt);
  }

  private static RunView.Step step(RunState.StepInstance step) {
    return new RunView.Step(
        step.id,
        step.name,
        step.kind,
        step.status,
        Optional.ofNullable(step.flow),
        Optional.ofNullable(step.flowVersion),
        Optional.ofNullable(step.executionMode).map(ExecutionMode::valueOf),
        Optional.ofNullable(step.executionReason),
        step.attempt,
        Optional.ofNullable(step.runAsUserId),
        Optional.ofNullable(step.runMode).map(RunMode::valueOf),
        step.outputs,
        Optional.ofNullable(step.error),
        Optional.ofNullable(step.startedAt),
        Optional.ofNullable(step.endedAt));
  }

  public Optional<SubmissionView> submission(Transaction tx, String submissionId)
      throws SQLException {
    try (PreparedStatement statement =
        tx.connection().prepareStatement("SELECT * FROM submissions WHERE id = ?")) {
      statement.setString(1, submissionId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(submission(rs)) : Optional.empty();
      }
    }
  }

  /** Maps the current row of a {@code SELECT * FROM submissions}. */
  public static SubmissionView submission(ResultSet rs) throws SQLException {
    return new SubmissionView(
        rs.getString("id"),
        rs.getString("object_type"),
        rs.getString("record_id"),
        rs.getString("orchestration"),
        rs.getInt("orchestration_version"),
        SubmissionStatus.valueOf(rs.getString("status")),
        rs.getString("submitter_id"),
        Optional.ofNullable(rs.getString("comments")),
        rs.getString("run_id"),
        Optional.ofNullable(rs.getString("error")),
        Sql.getInstant(rs, "created_at"),
        Sql.getInstant(rs, "updated_at"));
  }
}
