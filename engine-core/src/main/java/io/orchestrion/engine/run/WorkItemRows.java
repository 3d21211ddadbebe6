package io.orchestrion.engine.run;

import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.WorkItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes a run's work items: the new ones in one batched INSERT, the changed ones in one batched
 * UPDATE, the others not at all. (Stage and step instances are a document in the run's row: {@link
 * InstancesDocument}.)
 */
final class WorkItemRows {
  private WorkItemRows() {}

  static void write(Connection connection, RunState run) throws SQLException {
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
