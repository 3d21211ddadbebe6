package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.api.AuditEntryView;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.Submission;
import io.orchestrion.engine.run.model.WorkItem;
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

/**
 * Runs, submissions and work items as the API shows them: read (naming their columns), or built
 * from the run aggregate a command just wrote, which equals a fresh read of the same rows.
 */
public final class RunViews {
  /** The columns of {@code submissions} that {@link #submission(ResultSet)} maps. */
  public static final String SUBMISSION_COLUMNS =
      "id, object_type, record_id, orchestration, orchestration_version, status, submitter_id,"
          + " comments, run_id, error, created_at, updated_at";

  /** The columns of {@code audit_entries} that {@link #histories} maps. */
  private static final String AUDIT_COLUMNS =
      "submission_id, action, performer_id, performer_role, channel, comments, created_at";

  private final RunRepository repository;
  private final AuditRows auditRows;

  @Inject
  RunViews(RunRepository repository, AuditRows auditRows) {
    this.repository = repository;
    this.auditRows = auditRows;
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
        tx.connection()
            .prepareStatement("SELECT " + SUBMISSION_COLUMNS + " FROM submissions WHERE id = ?")) {
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
    // Entries this transaction gathered go in first: a history read after a recall shows it.
    auditRows.writeGathered(tx);
    String marks = String.join(", ", Collections.nCopies(submissionIds.size(), "?"));
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT "
                    + AUDIT_COLUMNS
                    + " FROM audit_entries WHERE submission_id IN ("
                    + marks
                    + ") ORDER BY id")) {
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

  /** Maps the current row of a {@code SELECT} of {@link #SUBMISSION_COLUMNS}, without history. */
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

  /**
   * A submission the unit of work created, as it writes it (its row, and its audit entries, which
   * are all in the run's outbox), without reading it back: equal to {@link #submission(Transaction,
   * String)} after the flush. Call it before the flush, which empties the outbox.
   */
  static SubmissionView created(RunState run) {
    Submission submission = run.submission();
    if (!submission.isNew()) {
      throw new IllegalStateException("submission " + submission.id() + " is stored already");
    }
    return new SubmissionView(
        submission.id(),
        submission.objectType(),
        submission.recordId(),
        submission.orchestration(),
        submission.orchestrationVersion(),
        submission.status(),
        submission.submitterId(),
        submission.comments(),
        submission.runId(),
        submission.error().map(Sql::truncate),
        submission.createdAt(),
        submission.updatedAt(),
        run.outbox().auditEntries().stream()
            .map(
                entry ->
                    new AuditEntryView(
                        entry.action(),
                        entry.performerId(),
                        entry.performerRole(),
                        entry.channel(),
                        entry.comments(),
                        entry.at()))
            .toList());
  }

  /**
   * A work item of {@code run} as its row is written (with its submission's submitter and record),
   * without reading it back: what {@link io.orchestrion.engine.WorkItemService} reads for it.
   */
  static WorkItemView workItem(RunState run, WorkItem item) {
    Submission submission = run.submission();
    return new WorkItemView(
        item.id(),
        run.id(),
        submission.id(),
        submission.submitterId(),
        item.stepInstanceId(),
        item.stepName(),
        item.status(),
        item.assignee().type().name(),
        item.assignee().id(),
        item.decision().map(Enum::name),
        item.comments().map(Sql::truncate),
        item.decidedBy(),
        item.decidedAt(),
        item.dueAt(),
        item.createdAt(),
        item.updatedAt(),
        submission.objectType(),
        submission.recordId(),
        Map.of(),
        item.decidedOnBehalfOf(),
        Optional.empty());
  }
}
