package io.orchestrion.engine.run;

import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.queue.EndedJob;
import io.orchestrion.engine.queue.JobTable;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.Submission;
import io.orchestrion.engine.run.model.WorkItem;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes what a unit of work changed in a {@link RunState}: the rows the aggregate marked new or
 * changed (a batched statement per table and kind; the stage and step instances as one document in
 * the run's row, {@link InstancesDocument}), its outbox (jobs; events, notifications and audit
 * entries gathered for the transaction's commit), then marks it persisted. An untouched run writes
 * nothing. A run whose rows it writes gets the next revision ({@code runs.revision}, V17): in the
 * {@code UPDATE runs} when the run's own row changed, else in an {@code UPDATE runs SET revision}
 * of its own; a new run starts at 0.
 *
 * <p>The leased job the unit of work ends ({@link RunOutbox#endedJob}) is deleted with the run's
 * row, fenced by its lease token: on PostgreSQL in the {@code UPDATE runs} itself when there is one
 * ({@link Dialect#deletesInUpdate}), else in a statement of its own right after. Either way the
 * run's lock, taken when the run was loaded, comes before the job row's, as in every transaction of
 * the engine.
 */
final class RunWriter {
  private final RunJson json;
  private final InstancesDocument instances;
  private final EventRows eventRows;
  private final AuditRows auditRows;

  @Inject
  RunWriter(RunJson json, InstancesDocument instances, EventRows eventRows, AuditRows auditRows) {
    this.json = json;
    this.instances = instances;
    this.eventRows = eventRows;
    this.auditRows = auditRows;
  }

  /** Writes {@code run}'s changes; returns its rows as now written, at its (new) revision. */
  RunRows flush(Transaction tx, RunState run) throws SQLException {
    Connection connection = tx.connection();
    boolean rowsChanged = run.rowsChanged();
    long revision = run.isNew() || !rowsChanged ? run.revision() : run.revision() + 1;
    // Each step's outputs are written as JSON once; the rows kept for the cache take that text.
    Map<String, String> outputs = new HashMap<>();
    Function<StepInstance, String> outputsJson =
        step -> outputs.computeIfAbsent(step.id(), id -> json.write(step.outputs()));
    EndedJob ended = run.outbox().endedJob().orElse(null);
    writeSubmission(connection, run.submission());
    boolean rode =
        writeRun(
            connection,
            run,
            revision,
            outputsJson,
            ended != null && tx.dialect().deletesInUpdate() ? ended : null);
    if (ended != null && !rode) {
      JobTable.deleteEnded(connection, ended);
    }
    WorkItemRows.write(connection, run);
    writeJobs(connection, run);
    eventRows.write(tx, run, json::write);
    auditRows.write(tx, run);
    run.markPersisted(revision);
    return RunRows.written(run, outputsJson);
  }

  private static void writeSubmission(Connection connection, Submission submission)
      throws SQLException {
    if (submission.isNew()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO submissions (id, object_type, record_id, orchestration,"
                  + " orchestration_version, status, submitter_id, comments, run_id, error,"
                  + " created_at, updated_at, open_record_key)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        statement.setString(1, submission.id());
        statement.setString(2, submission.objectType());
        statement.setString(3, submission.recordId());
        statement.setString(4, submission.orchestration());
        statement.setInt(5, submission.orchestrationVersion());
        statement.setString(6, submission.status().name());
        statement.setString(7, submission.submitterId());
        Sql.setNullableString(statement, 8, submission.comments().orElse(null));
        statement.setString(9, submission.runId());
        Sql.setNullableString(statement, 10, Sql.truncate(submission.error().orElse(null)));
        JdbcValues.setNullableInstant(statement, 11, submission.createdAt());
        JdbcValues.setNullableInstant(statement, 12, submission.updatedAt());
        Sql.setNullableString(statement, 13, submission.openRecordKey().orElse(null));
        statement.executeUpdate();
      }
    } else if (submission.isChanged()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE submissions SET status = ?, error = ?, updated_at = ?, open_record_key = ?"
                  + " WHERE id = ?")) {
        statement.setString(1, submission.status().name());
        Sql.setNullableString(statement, 2, Sql.truncate(submission.error().orElse(null)));
        JdbcValues.setNullableInstant(statement, 3, submission.updatedAt());
        Sql.setNullableString(statement, 4, submission.openRecordKey().orElse(null));
        statement.setString(5, submission.id());
        statement.executeUpdate();
      }
    }
  }

  /**
   * The run's row, with the document of its instances when one of them is new or changed (a new
   * run's always); {@code riding}, when not null, is deleted in the row's {@code UPDATE} ({@link
   * #fenced}) if there is one. Returns whether it was.
   */
  private boolean writeRun(
      Connection connection,
      RunState run,
      long revision,
      Function<StepInstance, String> outputsJson,
      EndedJob riding)
      throws SQLException {
    boolean withInstances = run.isNew() || run.instancesChanged();
    String document =
        withInstances ? instances.write(run.stages(), run.steps(), outputsJson) : null;
    if (run.isNew()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO runs (status, current_stage_id, variables, error, updated_at,"
                  + " observed, outcome, rejected, last_approver_id, evaluations, instances, id,"
                  + " submission_id, definition_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                  + " ?, ?, ?, ?, ?, ?, ?)")) {
        bindRunState(statement, 1, run);
        statement.setString(11, document);
        statement.setString(12, run.id());
        statement.setString(13, run.submission().id());
        statement.setLong(14, run.definitionId());
        JdbcValues.setNullableInstant(statement, 15, run.createdAt());
        statement.executeUpdate();
      }
      return false;
    } else if (run.isChanged() || withInstances) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              fenced(
                  "UPDATE runs SET status = ?, current_stage_id = ?, variables = ?, error = ?,"
                      + " updated_at = ?, observed = ?, outcome = ?, rejected = ?,"
                      + " last_approver_id = ?, evaluations = ?, revision = ?"
                      + (withInstances ? ", instances = ?" : "")
                      + " WHERE id = ?",
                  riding))) {
        int first = bindEnded(statement, riding);
        bindRunState(statement, first, run);
        int next = first + 10;
        statement.setLong(next++, revision);
        if (withInstances) {
          statement.setString(next++, document);
        }
        statement.setString(next, run.id());
        executeFenced(statement, riding);
      }
      return riding != null;
    } else if (revision != run.revision()) {
      // Only parts of the run changed: its revision still moves on.
      try (PreparedStatement statement =
          connection.prepareStatement(
              fenced("UPDATE runs SET revision = ? WHERE id = ?", riding))) {
        int first = bindEnded(statement, riding);
        statement.setLong(first, revision);
        statement.setString(first + 1, run.id());
        executeFenced(statement, riding);
      }
      return riding != null;
    }
    return false;
  }

  /**
   * {@code update} (an {@code UPDATE} of the run's locked row ending in its {@code WHERE}),
   * deleting {@code riding} first when it is not null: the row is updated only if the job was
   * deleted, so an update count of 0 means the job's lease was lost. The job's id and lease token
   * are the first two parameters.
   */
  private static String fenced(String update, EndedJob riding) {
    if (riding == null) {
      return update;
    }
    return "WITH ended AS ("
        + JobTable.DELETE_ENDED
        + " RETURNING id) "
        + update
        + " AND EXISTS (SELECT 1 FROM ended)";
  }

  /** Binds {@code riding}'s parameters, if any; returns the index of the next parameter. */
  private static int bindEnded(PreparedStatement statement, EndedJob riding) throws SQLException {
    if (riding == null) {
      return 1;
    }
    statement.setString(1, riding.id());
    statement.setString(2, riding.leaseToken());
    return 3;
  }

  private static void executeFenced(PreparedStatement statement, EndedJob riding)
      throws SQLException {
    if (statement.executeUpdate() == 0 && riding != null) {
      throw riding.lost();
    }
  }

  /** Binds the run's ten state columns from parameter {@code first} on. */
  private void bindRunState(PreparedStatement statement, int first, RunState run)
      throws SQLException {
    int at = first;
    statement.setString(at++, run.status().name());
    Sql.setNullableString(
        statement, at++, run.currentStage().map(stage -> stage.id()).orElse(null));
    statement.setString(at++, json.write(run.variables()));
    Sql.setNullableString(statement, at++, Sql.truncate(run.error().orElse(null)));
    JdbcValues.setNullableInstant(statement, at++, run.submission().updatedAt());
    Sql.setNullableString(statement, at++, jsonOrNull(run.observed()));
    Sql.setNullableString(statement, at++, run.outcome().map(Enum::name).orElse(null));
    statement.setBoolean(at++, run.rejected());
    Sql.setNullableString(statement, at++, run.lastApproverId().orElse(null));
    Sql.setNullableString(statement, at, jsonOrNull(run.evaluations()));
  }

  private String jsonOrNull(Map<String, Object> map) {
    return map.isEmpty() ? null : json.write(map);
  }

  /**
   * Deletes the stored jobs of steps and work items this unit of work ended, and the run's pending
   * rechecks when it scheduled one; inserts its new jobs.
   */
  private static void writeJobs(Connection connection, RunState run) throws SQLException {
    RunOutbox outbox = run.outbox();
    Set<String> closedItems = closedWorkItems(run);
    JobTable.deleteStepJobs(connection, outbox.canceledStepJobs());
    JobTable.deleteWorkItemJobs(connection, closedWithStoredJobs(run));
    if (outbox.recheckAt().isPresent()) {
      JobTable.deleteRechecks(connection, run.id());
    }
    JobTable.insert(connection, outbox.jobsToInsert(closedItems), run.submission().updatedAt());
  }

  /** The work items decided or canceled in this unit of work (their rung jobs go). */
  private static Set<String> closedWorkItems(RunState run) {
    Set<String> closed = new LinkedHashSet<>();
    for (WorkItem item : run.workItems()) {
      if ((item.isChanged() || item.isNew()) && !item.isOpen()) {
        closed.add(item.id());
      }
    }
    return closed;
  }

  /**
   * The work items closed in this unit of work that may have stored jobs: loaded ones the outbox
   * does not know to have none (a new item has none: its rungs are not inserted once it is closed).
   */
  private static Set<String> closedWithStoredJobs(RunState run) {
    Set<String> closed = new LinkedHashSet<>();
    for (WorkItem item : run.workItems()) {
      if (item.isChanged() && !item.isOpen() && run.outbox().mayHaveStoredJobs(item.id())) {
        closed.add(item.id());
      }
    }
    return closed;
  }
}
