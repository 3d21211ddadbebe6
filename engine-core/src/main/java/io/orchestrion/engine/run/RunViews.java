package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.api.AuditEntryView;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        run.stages().stream()
            .map(
                stage ->
                    new RunView.Stage(
                        stage.id(),
                        stage.name(),
                        stage.status(),
                        run.stepsOf(stage).stream().map(RunViews::step).toList(),
                        stage.startedAt(),
                        stage.endedAt()))
            .toList();
    return new RunView(
        run.id(),
        run.submission().id(),
        run.submission().orchestration(),
        run.submission().orchestrationVersion(),
        run.status(),
        run.error(),
        run.variables(),
        stages,
        run.createdAt(),
        run.submission().updatedAt());
  }

  private static RunView.Step step(StepInstance step) {
    return new RunView.Step(
        step.id(),
        step.name(),
        step.kind().name(),
        step.status(),
        step.flow(),
        step.flowVersion(),
        step.executionMode(),
        step.executionReason(),
        step.attempt(),
        step.runAsUserId(),
        step.runMode(),
        step.outputs(),
        step.error(),
        step.startedAt(),
        step.endedAt());
  }

  public Optional<SubmissionView> submission(Transaction tx, String submissionId)
      throws SQLException {
    try (PreparedStatement statement =
        tx.connection().prepareStatement("SELECT * FROM submissions WHERE id = ?")) {
      statement.setString(1, submissionId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        SubmissionView submission = submission(rs);
        return Optional.of(
            submission.withHistory(
                histories(tx, List.of(submissionId)).getOrDefault(submissionId, List.of())));
      }
    }
  }

  /** The audit entries of each of {@code submissionIds}, oldest first. */
  public Map<String, List<AuditEntryView>> histories(Transaction tx, List<String> submissionIds)
      throws SQLException {
    Map<String, List<AuditEntryView>> histories = new HashMap<>();
    if (submissionIds.isEmpty()) {
      return histories;
    }
    String marks = String.join(", ", Collections.nCopies(submissionIds.size(), "?"));
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT * FROM audit_entries WHERE submission_id IN (" + marks + ") ORDER BY id")) {
      for (int i = 0; i < submissionIds.size(); i++) {
        statement.setString(i + 1, submissionIds.get(i));
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          histories
              .computeIfAbsent(rs.getString("submission_id"), id -> new ArrayList<>())
              .add(
                  new AuditEntryView(
                      rs.getString("action"),
                      rs.getString("performer_id"),
                      rs.getString("performer_role"),
                      rs.getString("channel"),
                      Optional.ofNullable(rs.getString("comments")),
                      JdbcValues.getNullableInstant(rs, "created_at")));
        }
      }
    }
    return histories;
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
        JdbcValues.getNullableInstant(rs, "created_at"),
        JdbcValues.getNullableInstant(rs, "updated_at"),
        List.of());
  }
}
