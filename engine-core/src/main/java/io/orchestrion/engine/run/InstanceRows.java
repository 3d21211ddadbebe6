package io.orchestrion.engine.run;

import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.WorkItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a run's stage instances, step instances and work items: the new ones in one batched INSERT
 * per table, the changed ones in one batched UPDATE per table, the others not at all.
 */
final class InstanceRows {
  private InstanceRows() {}

  static void writeStages(Connection connection, RunState run) throws SQLException {
    List<StageInstance> inserts = run.stages().stream().filter(StageInstance::isNew).toList();
    List<StageInstance> updates = run.stages().stream().filter(StageInstance::isChanged).toList();
    if (!inserts.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO stage_instances (id, run_id, name, stage_index, entry_number, status,"
                  + " started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (StageInstance stage : inserts) {
          statement.setString(1, stage.id());
          statement.setString(2, run.id());
          statement.setString(3, stage.name());
          statement.setInt(4, stage.stageIndex());
          statement.setInt(5, stage.entryNumber());
          statement.setString(6, stage.status().name());
          JdbcValues.setNullableInstant(statement, 7, stage.startedAt());
          JdbcValues.setNullableInstant(statement, 8, stage.endedAt().orElse(null));
          statement.addBatch();
        }
        executeBatch(statement, inserts.size());
      }
    }
    if (!updates.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "UPDATE stage_instances SET status = ?, ended_at = ? WHERE id = ?")) {
        for (StageInstance stage : updates) {
          statement.setString(1, stage.status().name());
          JdbcValues.setNullableInstant(statement, 2, stage.endedAt().orElse(null));
          statement.setString(3, stage.id());
          statement.addBatch();
        }
        executeBatch(statement, updates.size());
      }
    }
  }

  /** {@code outputsJson}: the JSON text of a step's (non-empty) outputs. */
  static void writeSteps(
      Connection connection, RunState run, Function<StepInstance, String> outputsJson)
      throws SQLException {
    List<StepInstance> inserts = run.steps().stream().filter(StepInstance::isNew).toList();
    List<StepInstance> updates = run.steps().stream().filter(StepInstance::isChanged).toList();
    if (!inserts.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO step_instances (status, attempt, flow, flow_version, execution_mode,"
                  + " execution_reason, run_as_user_id, run_mode, outputs, error, started_at,"
                  + " ended_at, discontinued_by, id, run_id, stage_instance_id, name, step_index,"
                  + " kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (StepInstance step : inserts) {
          bindStepState(statement, step, outputsJson);
          statement.setString(14, step.id());
          statement.setString(15, run.id());
          statement.setString(16, step.stageInstanceId());
          statement.setString(17, step.name());
          statement.setInt(18, step.stepIndex());
          statement.setString(19, step.kind().name());
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
        for (StepInstance step : updates) {
          bindStepState(statement, step, outputsJson);
          statement.setString(14, step.id());
          statement.addBatch();
        }
        executeBatch(statement, updates.size());
      }
    }
  }

  private static void bindStepState(
      PreparedStatement statement, StepInstance step, Function<StepInstance, String> outputsJson)
      throws SQLException {
    statement.setString(1, step.status().name());
    statement.setInt(2, step.attempt());
    Sql.setNullableString(statement, 3, step.flow().orElse(null));
    Sql.setNullableInt(statement, 4, step.flowVersion().orElse(null));
    Sql.setNullableString(statement, 5, step.executionMode().map(Enum::name).orElse(null));
    Sql.setNullableString(statement, 6, step.executionReason().orElse(null));
    Sql.setNullableString(statement, 7, step.runAsUserId().orElse(null));
    Sql.setNullableString(statement, 8, step.runMode().map(Enum::name).orElse(null));
    Sql.setNullableString(statement, 9, step.outputs().isEmpty() ? null : outputsJson.apply(step));
    Sql.setNullableString(statement, 10, Sql.truncate(step.error().orElse(null)));
    JdbcValues.setNullableInstant(statement, 11, step.startedAt().orElse(null));
    JdbcValues.setNullableInstant(statement, 12, step.endedAt().orElse(null));
    Sql.setNullableString(statement, 13, step.discontinuedBy().orElse(null));
  }

  static void writeWorkItems(Connection connection, RunState run) throws SQLException {
    List<WorkItem> inserts = run.workItems().stream().filter(WorkItem::isNew).toList();
    List<WorkItem> updates = run.workItems().stream().filter(WorkItem::isChanged).toList();
    if (!inserts.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO work_items (status, assignee_type, assignee_id, decision, comments,"
                  + " decided_by, decided_at, due_at, updated_at, decided_on_behalf_of, id,"
                  + " run_id, submission_id, step_instance_id, step_name, created_at,"
                  + " approver_index, chain_level, step_attempt)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (WorkItem item : inserts) {
          bindWorkItemState(statement, item);
          statement.setString(11, item.id());
          statement.setString(12, run.id());
          statement.setString(13, run.submission().id());
          statement.setString(14, item.stepInstanceId());
          statement.setString(15, item.stepName());
          JdbcValues.setNullableInstant(statement, 16, item.createdAt());
          statement.setInt(17, item.approverIndex());
          Sql.setNullableInt(statement, 18, item.chainLevel().orElse(null));
          statement.setInt(19, item.stepAttempt());
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
        for (WorkItem item : updates) {
          bindWorkItemState(statement, item);
          statement.setString(11, item.id());
          statement.addBatch();
        }
        executeBatch(statement, updates.size());
      }
    }
  }

  private static void bindWorkItemState(PreparedStatement statement, WorkItem item)
      throws SQLException {
    statement.setString(1, item.status().name());
    statement.setString(2, item.assignee().type().name());
    statement.setString(3, item.assignee().id());
    Sql.setNullableString(statement, 4, item.decision().map(Enum::name).orElse(null));
    Sql.setNullableString(statement, 5, Sql.truncate(item.comments().orElse(null)));
    Sql.setNullableString(statement, 6, item.decidedBy().orElse(null));
    JdbcValues.setNullableInstant(statement, 7, item.decidedAt().orElse(null));
    JdbcValues.setNullableInstant(statement, 8, item.dueAt().orElse(null));
    JdbcValues.setNullableInstant(statement, 9, item.updatedAt());
    Sql.setNullableString(statement, 10, item.decidedOnBehalfOf().orElse(null));
  }

  static void executeBatch(PreparedStatement statement, int size) throws SQLException {
    int[] counts = statement.executeBatch();
    if (counts.length != size) {
      throw new SQLException("batch of " + size + " rows reported " + counts.length + " results");
    }
  }
}
