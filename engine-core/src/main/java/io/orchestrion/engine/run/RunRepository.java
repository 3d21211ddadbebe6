package io.orchestrion.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.queue.JobTable;
import io.orchestrion.engine.queue.NewJob;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes {@link RunState}s. Loading takes the run's row lock ({@code SELECT ... FOR
 * UPDATE}), which serialises evaluation passes of one run across threads and nodes. Writing batches
 * each kind of row into one statement.
 */
final class RunRepository {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectMapper mapper;

  @Inject
  RunRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Locks and loads a run with its submission and instances; empty if there is no such run. */
  Optional<RunState> lockAndLoad(Transaction tx, String runId) throws SQLException {
    return load(tx, runId, true);
  }

  /** Loads a run without locking it, to show it. */
  Optional<RunState> read(Transaction tx, String runId) throws SQLException {
    return load(tx, runId, false);
  }

  private Optional<RunState> load(Transaction tx, String runId, boolean lock) throws SQLException {
    Connection connection = tx.connection();
    RunState run;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, submission_id, definition_id, status, current_stage_id, variables, error,"
                + " created_at, observed, evaluations, outcome, rejected, last_approver_id FROM runs"
                + " WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      statement.setString(1, runId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String submissionId = rs.getString("submission_id");
        run =
            new RunState(
                rs.getString("id"),
                rs.getLong("definition_id"),
                JdbcValues.getNullableInstant(rs, "created_at"),
                RunStatus.valueOf(rs.getString("status")),
                rs.getString("current_stage_id"),
                readMap(rs.getString("variables")),
                rs.getString("error"),
                loadSubmission(connection, submissionId));
        String observed = rs.getString("observed");
        run.observed = observed == null ? new LinkedHashMap<>() : readMap(observed);
        String evaluations = rs.getString("evaluations");
        run.evaluations = evaluations == null ? new LinkedHashMap<>() : readMap(evaluations);
        run.outcome = rs.getString("outcome");
        run.rejected = rs.getBoolean("rejected");
        run.lastApproverId = rs.getString("last_approver_id");
      }
    }
    loadStages(connection, run);
    loadSteps(connection, run);
    loadWorkItems(connection, run);
    return Optional.of(run);
  }

  private RunState.Submission loadSubmission(Connection connection, String submissionId)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM submissions WHERE id = ?")) {
      statement.setString(1, submissionId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new OrchestrionException(
              StandardErrorCode.INTERNAL_ERROR, "submission " + submissionId + " is missing");
        }
        return new RunState.Submission(
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

  private void loadStages(Connection connection, RunState run) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT * FROM stage_instances WHERE run_id = ? ORDER BY entry_number")) {
      statement.setString(1, run.id);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          run.stages.add(
              new RunState.StageInstance(
                  rs.getString("id"),
                  rs.getString("name"),
                  rs.getInt("stage_index"),
                  rs.getInt("entry_number"),
                  JdbcValues.getNullableInstant(rs, "started_at"),
                  StageStatus.valueOf(rs.getString("status")),
                  JdbcValues.getNullableInstant(rs, "ended_at")));
        }
      }
    }
  }

  private void loadSteps(Connection connection, RunState run) throws SQLException {
    Map<String, Integer> stageOrder = new LinkedHashMap<>();
    for (RunState.StageInstance stage : run.stages) {
      stageOrder.put(stage.id, stage.entryNumber);
    }
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM step_instances WHERE run_id = ?")) {
      statement.setString(1, run.id);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          RunState.StepInstance step =
              new RunState.StepInstance(
                  rs.getString("id"),
                  rs.getString("stage_instance_id"),
                  rs.getString("name"),
                  rs.getInt("step_index"),
                  rs.getString("kind"));
          step.status = StepStatus.valueOf(rs.getString("status"));
          step.attempt = rs.getInt("attempt");
          step.flow = rs.getString("flow");
          step.flowVersion = Sql.getNullableInt(rs, "flow_version");
          step.executionMode = rs.getString("execution_mode");
          step.executionReason = rs.getString("execution_reason");
          step.runAsUserId = rs.getString("run_as_user_id");
          step.runMode = rs.getString("run_mode");
          String outputs = rs.getString("outputs");
          step.outputs = outputs == null ? Map.of() : readMap(outputs);
          step.error = rs.getString("error");
          step.startedAt = JdbcValues.getNullableInstant(rs, "started_at");
          step.endedAt = JdbcValues.getNullableInstant(rs, "ended_at");
          step.discontinuedBy = rs.getString("discontinued_by");
          run.steps.add(step);
        }
      }
    }
    // Stage entry order, then definition order: "latest instance" lookups rely on it.
    run.steps.sort(
        (a, b) -> {
          int byStage =
              Integer.compare(
                  stageOrder.getOrDefault(a.stageInstanceId, 0),
                  stageOrder.getOrDefault(b.stageInstanceId, 0));
          return byStage != 0 ? byStage : Integer.compare(a.stepIndex, b.stepIndex);
        });
  }

  private void loadWorkItems(Connection connection, RunState run) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT * FROM work_items WHERE run_id = ? ORDER BY created_at, approver_index, id")) {
      statement.setString(1, run.id);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          RunState.WorkItem item =
              new RunState.WorkItem(
                  rs.getString("id"),
                  rs.getString("step_instance_id"),
                  rs.getString("step_name"),
                  JdbcValues.getNullableInstant(rs, "created_at"));
          item.status = io.orchestrion.api.run.WorkItemStatus.valueOf(rs.getString("status"));
          item.assigneeType = rs.getString("assignee_type");
          item.assigneeId = rs.getString("assignee_id");
          item.decision = rs.getString("decision");
          item.comments = rs.getString("comments");
          item.decidedBy = rs.getString("decided_by");
          item.decidedOnBehalfOf = rs.getString("decided_on_behalf_of");
          item.decidedAt = JdbcValues.getNullableInstant(rs, "decided_at");
          item.dueAt = JdbcValues.getNullableInstant(rs, "due_at");
          item.updatedAt = JdbcValues.getNullableInstant(rs, "updated_at");
          item.approverIndex = rs.getInt("approver_index");
          int level = rs.getInt("chain_level");
          item.chainLevel = rs.wasNull() ? null : level;
          item.stepAttempt = rs.getInt("step_attempt");
          run.workItems.add(item);
        }
      }
    }
  }

  private void writeWorkItems(Connection connection, RunState run) throws SQLException {
    List<RunState.WorkItem> inserts = run.workItems.stream().filter(item -> item.isNew).toList();
    List<RunState.WorkItem> updates =
        run.workItems.stream().filter(item -> !item.isNew && item.dirty).toList();
    if (!inserts.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO work_items (status, assignee_type, assignee_id, decision, comments,"
                  + " decided_by, decided_at, due_at, updated_at, decided_on_behalf_of, id,"
                  + " run_id, submission_id, step_instance_id, step_name, created_at,"
                  + " approver_index, chain_level, step_attempt)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (RunState.WorkItem item : inserts) {
          bindWorkItemState(statement, item);
          statement.setString(11, item.id);
          statement.setString(12, run.id);
          statement.setString(13, run.submission.id);
          statement.setString(14, item.stepInstanceId);
          statement.setString(15, item.stepName);
          JdbcValues.setNullableInstant(statement, 16, item.createdAt);
          statement.setInt(17, item.approverIndex);
          if (item.chainLevel == null) {
            statement.setNull(18, java.sql.Types.INTEGER);
          } else {
            statement.setInt(18, item.chainLevel);
          }
          statement.setInt(19, item.stepAttempt);
          statement.addBatch();
        }
        executeBatch(statement, inserts.size());
      }
    }
    if (!updates.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE work_items SET status = ?, assignee_type = ?, assignee_id = ?, decision = ?,"
                  + " comments = ?, decided_by = ?, decided_at = ?, due_at = ?, updated_at = ?,"
                  + " decided_on_behalf_of = ? WHERE id = ?")) {
        for (RunState.WorkItem item : updates) {
          bindWorkItemState(statement, item);
          statement.setString(11, item.id);
          statement.addBatch();
        }
        executeBatch(statement, updates.size());
      }
    }
    for (RunState.WorkItem item : run.workItems) {
      item.isNew = false;
      item.dirty = false;
    }
  }

  private static void bindWorkItemState(PreparedStatement statement, RunState.WorkItem item)
      throws SQLException {
    statement.setString(1, item.status.name());
    statement.setString(2, item.assigneeType);
    statement.setString(3, item.assigneeId);
    Sql.setNullableString(statement, 4, item.decision);
    Sql.setNullableString(statement, 5, Sql.truncate(item.comments));
    Sql.setNullableString(statement, 6, item.decidedBy);
    JdbcValues.setNullableInstant(statement, 7, item.decidedAt);
    JdbcValues.setNullableInstant(statement, 8, item.dueAt);
    JdbcValues.setNullableInstant(statement, 9, item.updatedAt);
    Sql.setNullableString(statement, 10, item.decidedOnBehalfOf);
  }

  Optional<RunEngine.StoredEvent> findEvent(Transaction tx, String eventId) throws SQLException {
    try (PreparedStatement statement =
        tx.connection()
            .prepareStatement(
                "SELECT run_id, kind, step_instance_id, step_status, attempt, payload FROM events"
                    + " WHERE event_id = ?")) {
      statement.setString(1, eventId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String stepStatus = rs.getString("step_status");
        return Optional.of(
            new RunEngine.StoredEvent(
                rs.getString("run_id"),
                io.orchestrion.api.run.EventKind.valueOf(rs.getString("kind")),
                rs.getString("step_instance_id"),
                stepStatus == null ? null : StepStatus.valueOf(stepStatus),
                rs.getInt("attempt"),
                rs.getString("payload")));
      }
    }
  }

  /**
   * Schedules an evaluation, due at {@code at}, of every IN_PROGRESS run about one of {@code
   * recordKeys} ({@code objectType/id}) other than {@code exceptRunId}. Returns how many.
   */
  int scheduleRechecksAbout(Transaction tx, Set<String> recordKeys, String exceptRunId, Instant at)
      throws SQLException {
    if (recordKeys.isEmpty()) {
      return 0;
    }
    List<String> runIds = new ArrayList<>();
    String marks = String.join(", ", Collections.nCopies(recordKeys.size(), "?"));
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT run_id FROM submissions WHERE open_record_key IN (" + marks + ")")) {
      int index = 1;
      for (String key : recordKeys) {
        select.setString(index++, key);
      }
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          if (!rs.getString(1).equals(exceptRunId)) {
            runIds.add(rs.getString(1));
          }
        }
      }
    }
    if (runIds.isEmpty()) {
      return 0;
    }
    List<NewJob> rechecks = new ArrayList<>();
    for (String runId : runIds) {
      rechecks.add(NewJob.recheck(runId, at));
    }
    JobTable.insert(tx.connection(), rechecks, at);
    return runIds.size();
  }

  /** See {@link JobTable#takeEarlierRungs}. */
  List<Integer> takeEarlierRungs(Transaction tx, String workItemId, int rung) throws SQLException {
    return JobTable.takeEarlierRungs(tx.connection(), workItemId, rung);
  }

  /** Writes everything the pass changed or created, then clears the change marks. */
  void flush(Transaction tx, RunState run) throws SQLException {
    Connection connection = tx.connection();
    // Read before writeWorkItems clears the flags: the items this unit of work closed.
    Set<String> closedItems = closedWorkItems(run);
    writeSubmission(connection, run.submission);
    writeRun(connection, run);
    writeStages(connection, run);
    writeSteps(connection, run);
    writeWorkItems(connection, run);
    writeJobs(connection, run, closedItems);
    writeEvents(connection, run);
    writeAudit(connection, run);
  }

  private void writeSubmission(Connection connection, RunState.Submission submission)
      throws SQLException {
    if (submission.isNew) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO submissions (id, object_type, record_id, orchestration,"
                  + " orchestration_version, status, submitter_id, comments, run_id, error,"
                  + " created_at, updated_at, open_record_key)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        statement.setString(1, submission.id);
        statement.setString(2, submission.objectType);
        statement.setString(3, submission.recordId);
        statement.setString(4, submission.orchestration);
        statement.setInt(5, submission.orchestrationVersion);
        statement.setString(6, submission.status.name());
        statement.setString(7, submission.submitterId);
        Sql.setNullableString(statement, 8, submission.comments);
        statement.setString(9, submission.runId);
        Sql.setNullableString(statement, 10, Sql.truncate(submission.error));
        JdbcValues.setNullableInstant(statement, 11, submission.createdAt);
        JdbcValues.setNullableInstant(statement, 12, submission.updatedAt);
        Sql.setNullableString(statement, 13, submission.openRecordKey());
        statement.executeUpdate();
      }
    } else if (submission.dirty) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE submissions SET status = ?, error = ?, updated_at = ?, open_record_key = ?"
                  + " WHERE id = ?")) {
        statement.setString(1, submission.status.name());
        Sql.setNullableString(statement, 2, Sql.truncate(submission.error));
        JdbcValues.setNullableInstant(statement, 3, submission.updatedAt);
        Sql.setNullableString(statement, 4, submission.openRecordKey());
        statement.setString(5, submission.id);
        statement.executeUpdate();
      }
    }
    submission.isNew = false;
    submission.dirty = false;
  }

  private void writeRun(Connection connection, RunState run) throws SQLException {
    if (run.isNew) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO runs (id, submission_id, definition_id, status, current_stage_id,"
                  + " variables, error, created_at, updated_at, observed, outcome, rejected,"
                  + " last_approver_id, evaluations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                  + " ?)")) {
        statement.setString(1, run.id);
        statement.setString(2, run.submission.id);
        statement.setLong(3, run.definitionId);
        statement.setString(4, run.status.name());
        Sql.setNullableString(statement, 5, run.currentStageId);
        statement.setString(6, writeJson(run.variables));
        Sql.setNullableString(statement, 7, Sql.truncate(run.error));
        JdbcValues.setNullableInstant(statement, 8, run.createdAt);
        JdbcValues.setNullableInstant(statement, 9, run.submission.updatedAt);
        Sql.setNullableString(
            statement, 10, run.observed.isEmpty() ? null : writeJson(run.observed));
        Sql.setNullableString(statement, 11, run.outcome);
        statement.setBoolean(12, run.rejected);
        Sql.setNullableString(statement, 13, run.lastApproverId);
        Sql.setNullableString(
            statement, 14, run.evaluations.isEmpty() ? null : writeJson(run.evaluations));
        statement.executeUpdate();
      }
    } else if (run.dirty) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE runs SET status = ?, current_stage_id = ?, variables = ?, error = ?,"
                  + " updated_at = ?, observed = ?, outcome = ?, rejected = ?, last_approver_id = ?,"
                  + " evaluations = ? WHERE id = ?")) {
        statement.setString(1, run.status.name());
        Sql.setNullableString(statement, 2, run.currentStageId);
        statement.setString(3, writeJson(run.variables));
        Sql.setNullableString(statement, 4, Sql.truncate(run.error));
        JdbcValues.setNullableInstant(statement, 5, run.submission.updatedAt);
        Sql.setNullableString(
            statement, 6, run.observed.isEmpty() ? null : writeJson(run.observed));
        Sql.setNullableString(statement, 7, run.outcome);
        statement.setBoolean(8, run.rejected);
        Sql.setNullableString(statement, 9, run.lastApproverId);
        Sql.setNullableString(
            statement, 10, run.evaluations.isEmpty() ? null : writeJson(run.evaluations));
        statement.setString(11, run.id);
        statement.executeUpdate();
      }
    }
    run.isNew = false;
    run.dirty = false;
  }

  private void writeStages(Connection connection, RunState run) throws SQLException {
    List<RunState.StageInstance> inserts =
        run.stages.stream().filter(stage -> stage.isNew).toList();
    List<RunState.StageInstance> updates =
        run.stages.stream().filter(stage -> !stage.isNew && stage.dirty).toList();
    if (!inserts.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO stage_instances (id, run_id, name, stage_index, entry_number, status,"
                  + " started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (RunState.StageInstance stage : inserts) {
          statement.setString(1, stage.id);
          statement.setString(2, run.id);
          statement.setString(3, stage.name);
          statement.setInt(4, stage.stageIndex);
          statement.setInt(5, stage.entryNumber);
          statement.setString(6, stage.status.name());
          JdbcValues.setNullableInstant(statement, 7, stage.startedAt);
          JdbcValues.setNullableInstant(statement, 8, stage.endedAt);
          statement.addBatch();
        }
        executeBatch(statement, inserts.size());
      }
    }
    if (!updates.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE stage_instances SET status = ?, ended_at = ? WHERE id = ?")) {
        for (RunState.StageInstance stage : updates) {
          statement.setString(1, stage.status.name());
          JdbcValues.setNullableInstant(statement, 2, stage.endedAt);
          statement.setString(3, stage.id);
          statement.addBatch();
        }
        executeBatch(statement, updates.size());
      }
    }
    for (RunState.StageInstance stage : run.stages) {
      stage.isNew = false;
      stage.dirty = false;
    }
  }

  private void writeSteps(Connection connection, RunState run) throws SQLException {
    List<RunState.StepInstance> inserts = run.steps.stream().filter(step -> step.isNew).toList();
    List<RunState.StepInstance> updates =
        run.steps.stream().filter(step -> !step.isNew && step.dirty).toList();
    if (!inserts.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO step_instances (status, attempt, flow, flow_version, execution_mode,"
                  + " execution_reason, run_as_user_id, run_mode, outputs, error, started_at,"
                  + " ended_at, discontinued_by, id, run_id, stage_instance_id, name, step_index,"
                  + " kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (RunState.StepInstance step : inserts) {
          bindStepState(statement, step);
          statement.setString(14, step.id);
          statement.setString(15, run.id);
          statement.setString(16, step.stageInstanceId);
          statement.setString(17, step.name);
          statement.setInt(18, step.stepIndex);
          statement.setString(19, step.kind);
          statement.addBatch();
        }
        executeBatch(statement, inserts.size());
      }
    }
    if (!updates.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE step_instances SET status = ?, attempt = ?, flow = ?, flow_version = ?,"
                  + " execution_mode = ?, execution_reason = ?, run_as_user_id = ?, run_mode = ?,"
                  + " outputs = ?, error = ?, started_at = ?, ended_at = ?, discontinued_by = ?"
                  + " WHERE id = ?")) {
        for (RunState.StepInstance step : updates) {
          bindStepState(statement, step);
          statement.setString(14, step.id);
          statement.addBatch();
        }
        executeBatch(statement, updates.size());
      }
    }
    for (RunState.StepInstance step : run.steps) {
      step.isNew = false;
      step.dirty = false;
    }
  }

  private void bindStepState(PreparedStatement statement, RunState.StepInstance step)
      throws SQLException {
    statement.setString(1, step.status.name());
    statement.setInt(2, step.attempt);
    Sql.setNullableString(statement, 3, step.flow);
    Sql.setNullableInt(statement, 4, step.flowVersion);
    Sql.setNullableString(statement, 5, step.executionMode);
    Sql.setNullableString(statement, 6, step.executionReason);
    Sql.setNullableString(statement, 7, step.runAsUserId);
    Sql.setNullableString(statement, 8, step.runMode);
    Sql.setNullableString(statement, 9, step.outputs.isEmpty() ? null : writeJson(step.outputs));
    Sql.setNullableString(statement, 10, Sql.truncate(step.error));
    JdbcValues.setNullableInstant(statement, 11, step.startedAt);
    JdbcValues.setNullableInstant(statement, 12, step.endedAt);
    Sql.setNullableString(statement, 13, step.discontinuedBy);
  }

  /** The work items decided or canceled in this unit of work (their rung jobs go). */
  private static Set<String> closedWorkItems(RunState run) {
    Set<String> closed = new LinkedHashSet<>();
    for (RunState.WorkItem item : run.workItems) {
      if ((item.dirty || item.isNew) && !ApprovalRules.isOpen(item.status)) {
        closed.add(item.id);
      }
    }
    return closed;
  }

  private void writeJobs(Connection connection, RunState run, Set<String> closedItems)
      throws SQLException {
    JobTable.deleteStepJobs(connection, run.canceledStepJobs);
    run.canceledStepJobs.clear();
    // A closed item's rungs: one created in this unit is simply not written, a stored one deleted.
    run.newJobs.removeIf(job -> job.workItemId().filter(closedItems::contains).isPresent());
    JobTable.deleteWorkItemJobs(connection, closedItems);
    if (run.recheckAt != null) {
      JobTable.deleteRechecks(connection, run.id);
      run.newJobs.add(NewJob.recheck(run.id, run.recheckAt));
      run.recheckAt = null;
    }
    JobTable.insert(connection, run.newJobs, run.submission.updatedAt);
  }

  private void writeEvents(Connection connection, RunState run) throws SQLException {
    EventRows.write(connection, run, this::writeJson);
  }

  private void writeAudit(Connection connection, RunState run) throws SQLException {
    if (run.auditEntries.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO audit_entries (submission_id, action, performer_id, performer_role,"
                + " channel, comments, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (RunState.AuditEntry entry : run.auditEntries) {
        statement.setString(1, run.submission.id);
        statement.setString(2, entry.action());
        statement.setString(3, entry.performerId());
        statement.setString(4, entry.performerRole());
        statement.setString(5, entry.channel());
        Sql.setNullableString(statement, 6, entry.comments());
        JdbcValues.setNullableInstant(statement, 7, entry.at());
        statement.addBatch();
      }
      executeBatch(statement, run.auditEntries.size());
    }
    run.auditEntries.clear();
  }

  private static void executeBatch(PreparedStatement statement, int size) throws SQLException {
    int[] counts = statement.executeBatch();
    if (counts.length != size) {
      throw new SQLException("batch of " + size + " rows reported " + counts.length + " results");
    }
  }

  Map<String, Object> readMap(String json) {
    if (json == null || json.isEmpty()) {
      return new LinkedHashMap<>();
    }
    try {
      return mapper.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "stored JSON cannot be read: " + e.getMessage(), e);
    }
  }

  String writeJson(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "value cannot be written as JSON: " + e.getMessage(),
          e);
    }
  }
}
