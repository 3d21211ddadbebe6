package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.SelectedColumns;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.Outcome;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.WorkItem;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads a {@link RunState} from its rows: the run (under its row lock, {@code SELECT ... FOR
 * UPDATE}, when asked, with the cache revisions in the same statement: {@link CacheRevisions}) with
 * its stage and step instances ({@link InstancesDocument}), its submission and work items. Nothing
 * loaded is new or changed. When {@link RunCache} has the run's parts at the revision just read,
 * they come from there and only the run's own row is read.
 */
final class RunLoader {
  // The run's columns the load reads, by position (SelectedColumns); with the lock, the cache
  // revisions follow them.
  private static final String RUN_COLUMNS =
      "id, submission_id, definition_id, status, current_stage_id, variables, error,"
          + " created_at, observed, evaluations, outcome, rejected, last_approver_id,"
          + " revision, instances";
  private static final SelectedColumns RUN = SelectedColumns.of(RUN_COLUMNS);

  private final RunJson json;
  private final InstancesDocument instances;

  @Inject
  RunLoader(RunJson json, InstancesDocument instances) {
    this.json = json;
    this.instances = instances;
  }

  /** A loaded run, with the rows of its parts as read ({@code fromCache}: not read here). */
  record Loaded(RunState run, RunRows rows, boolean fromCache) {}

  /** Rows of a run's parts known without reading them: at {@code revision}, or empty. */
  @FunctionalInterface
  interface KnownRows {
    Optional<RunRows> at(String runId, long revision);
  }

  /** Which run to load: the condition on {@code runs} and its one parameter. */
  record RunKey(String condition, String value) {
    /** The run with this id. */
    static RunKey id(String runId) {
      return new RunKey("id = ?", runId);
    }

    /** The run a work item belongs to, found in the statement that loads (and locks) it. */
    static RunKey ofWorkItem(String workItemId) {
      return new RunKey("id = (SELECT run_id FROM work_items WHERE id = ?)", workItemId);
    }
  }

  /** The run with its submission and instances; empty if there is no such run. */
  Optional<RunState> load(Transaction tx, String runId, boolean lock) throws SQLException {
    return load(tx, RunKey.id(runId), lock, null).map(Loaded::run);
  }

  /**
   * The run with its submission and instances, its parts taken from {@code known} (may be null)
   * when it has them at the revision read; empty if there is no such run.
   */
  Optional<Loaded> load(Transaction tx, RunKey key, boolean lock, KnownRows known)
      throws SQLException {
    Connection connection = tx.connection();
    RunState.Stored stored;
    String submissionId;
    Optional<RunRows> cached;
    InstancesDocument.Instances parts;
    try (PreparedStatement statement =
        connection.prepareStatement(
            lock
                ? tx.dialect()
                    .selectLocked(
                        RUN_COLUMNS + ", " + CacheRevisions.SELECTED,
                        "runs",
                        key.condition(),
                        "revision")
                : "SELECT " + RUN_COLUMNS + " FROM runs WHERE " + key.condition())) {
      statement.setString(1, key.value());
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        if (lock) {
          CacheRevisions.remember(tx, CacheRevisions.read(rs, RUN.count() + 1));
        }
        submissionId = rs.getString(RUN.at("submission_id"));
        String outcome = rs.getString(RUN.at("outcome"));
        stored =
            new RunState.Stored(
                rs.getString(RUN.at("id")),
                rs.getLong(RUN.at("revision")),
                rs.getLong(RUN.at("definition_id")),
                JdbcValues.getNullableInstant(rs, RUN.at("created_at")),
                RunStatus.valueOf(rs.getString(RUN.at("status"))),
                rs.getString(RUN.at("current_stage_id")),
                json.readMap(rs.getString(RUN.at("variables"))),
                rs.getString(RUN.at("error")),
                json.readMap(rs.getString(RUN.at("observed"))),
                json.readMap(rs.getString(RUN.at("evaluations"))),
                outcome == null ? null : Outcome.valueOf(outcome),
                rs.getBoolean(RUN.at("rejected")),
                rs.getString(RUN.at("last_approver_id")));
        cached = known == null ? Optional.empty() : known.at(stored.id(), stored.revision());
        // The document is read (on H2, out of its LOB storage) only when the cache lacks it.
        parts = cached.isPresent() ? null : instances.read(rs.getString(RUN.at("instances")));
      }
    }
    if (cached.isPresent()) {
      return Optional.of(new Loaded(cached.get().toState(stored, json), cached.get(), true));
    }
    String runId = stored.id();
    RunRows rows =
        new RunRows(
            runId,
            stored.revision(),
            loadSubmission(connection, submissionId),
            parts.stages(),
            parts.steps(),
            loadWorkItems(connection, runId));
    return Optional.of(new Loaded(rows.toState(stored, json), rows, false));
  }

  private static RunRows.SubmissionRow loadSubmission(Connection connection, String submissionId)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, run_id, object_type, record_id, orchestration, orchestration_version,"
                + " submitter_id, comments, created_at, status, error, updated_at"
                + " FROM submissions WHERE id = ?")) {
      statement.setString(1, submissionId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new OrchestrionException(
              StandardErrorCode.INTERNAL_ERROR, "submission " + submissionId + " is missing");
        }
        return new RunRows.SubmissionRow(
            rs.getString("id"),
            rs.getString("run_id"),
            rs.getString("object_type"),
            rs.getString("record_id"),
            rs.getString("orchestration"),
            rs.getInt("orchestration_version"),
            rs.getString("submitter_id"),
            rs.getString("comments"),
            JdbcValues.getNullableInstant(rs, "created_at"),
            SubmissionStatus.valueOf(rs.getString("status")),
            rs.getString("error"),
            JdbcValues.getNullableInstant(rs, "updated_at"));
      }
    }
  }

  private static List<RunRows.WorkItemRow> loadWorkItems(Connection connection, String runId)
      throws SQLException {
    List<RunRows.WorkItemRow> items = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, step_instance_id, step_name, step_attempt, approver_index, chain_level,"
                + " due_at, created_at, status, assignee_type, assignee_id, decision, comments,"
                + " decided_by, decided_on_behalf_of, decided_at, updated_at"
                + " FROM work_items WHERE run_id = ? ORDER BY created_at, approver_index, id")) {
      statement.setString(1, runId);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String decision = rs.getString("decision");
          items.add(
              new RunRows.WorkItemRow(
                  rs.getString("id"),
                  new WorkItem.Placement(
                      rs.getString("step_instance_id"),
                      rs.getString("step_name"),
                      rs.getInt("step_attempt"),
                      rs.getInt("approver_index"),
                      Optional.ofNullable(Sql.getNullableInt(rs, "chain_level")),
                      Optional.ofNullable(JdbcValues.getNullableInstant(rs, "due_at"))),
                  JdbcValues.getNullableInstant(rs, "created_at"),
                  WorkItemStatus.valueOf(rs.getString("status")),
                  new Assignee(
                      Assignee.Type.valueOf(rs.getString("assignee_type")),
                      rs.getString("assignee_id")),
                  new WorkItem.StoredDecision(
                      decision == null ? null : Decision.valueOf(decision),
                      rs.getString("comments"),
                      rs.getString("decided_by"),
                      rs.getString("decided_on_behalf_of"),
                      JdbcValues.getNullableInstant(rs, "decided_at")),
                  JdbcValues.getNullableInstant(rs, "updated_at")));
        }
      }
    }
    return items;
  }
}
