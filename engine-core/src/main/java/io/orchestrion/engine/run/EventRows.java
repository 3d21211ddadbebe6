package io.orchestrion.engine.run;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.run.model.Notifications;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes a unit of work's new events — the orchestration events that make the run evaluate first,
 * then its notifications in the order they happened — as one multi-row INSERT (one per {@value
 * #ROWS_PER_STATEMENT} events, far beyond what one transaction writes), unnumbered: the sequencer
 * numbers them after commit, in commit order. Identity values follow the VALUES order, so the
 * events of one transaction are numbered in that order.
 */
final class EventRows {
  static final int ROWS_PER_STATEMENT = 1000;
  private static final String COLUMNS =
      "INSERT INTO events (event_id, sequence, kind, run_id, submission_id, object_type,"
          + " record_id, stage_name, step_name, step_instance_id, step_status, attempt, actor_id,"
          + " payload, published_at) VALUES ";
  private static final String ROW = "(?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private EventRows() {}

  /** One row to insert. */
  private record Row(
      String eventId,
      String kind,
      Optional<String> stageName,
      Optional<String> stepName,
      Optional<String> stepInstanceId,
      Optional<String> stepStatus,
      Optional<Integer> attempt,
      Optional<String> actorId,
      String payloadJson,
      Instant at) {}

  /** Writes the run's new events and notifications; returns how many rows. */
  static int write(Connection connection, RunState run, Function<Map<String, Object>, String> json)
      throws SQLException {
    List<Row> rows = new ArrayList<>();
    for (RunOutbox.NewEvent event : run.outbox().newEvents()) {
      Optional<StepInstance> step = event.stepInstanceId().flatMap(run::step);
      Optional<String> stageName =
          event.stepInstanceId().isPresent()
              ? step.flatMap(s -> run.stageName(s.stageInstanceId()))
              : run.currentStage().map(StageInstance::name);
      rows.add(
          new Row(
              event.eventId(),
              event.kind().name(),
              stageName,
              step.map(StepInstance::name),
              event.stepInstanceId(),
              event.stepStatus().map(Enum::name),
              event.attempt(),
              event.kind() == EventKind.MANUAL ? run.actorId() : Optional.empty(),
              event.payloadJson(),
              event.publishedAt()));
    }
    for (Notifications.Notification notification : run.notifications().pending()) {
      rows.add(
          new Row(
              notification.eventId(),
              notification.kind().name(),
              notification.stageName(),
              notification.stepName(),
              notification.stepInstanceId(),
              Optional.empty(),
              Optional.empty(),
              notification.actorId(),
              json.apply(notification.payload()),
              notification.at()));
    }
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      insert(connection, run, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
    }
    return rows.size();
  }

  private static void insert(Connection connection, RunState run, List<Row> rows)
      throws SQLException {
    StringBuilder sql = new StringBuilder(COLUMNS);
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? ROW : ", " + ROW);
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int index = 1;
      for (Row row : rows) {
        statement.setString(index++, row.eventId());
        statement.setString(index++, row.kind());
        statement.setString(index++, run.id());
        statement.setString(index++, run.submission().id());
        statement.setString(index++, run.submission().objectType());
        statement.setString(index++, run.submission().recordId());
        Sql.setNullableString(statement, index++, row.stageName().orElse(null));
        Sql.setNullableString(statement, index++, row.stepName().orElse(null));
        Sql.setNullableString(statement, index++, row.stepInstanceId().orElse(null));
        Sql.setNullableString(statement, index++, row.stepStatus().orElse(null));
        Sql.setNullableInt(statement, index++, row.attempt().orElse(null));
        Sql.setNullableString(statement, index++, row.actorId().orElse(null));
        statement.setString(index++, row.payloadJson());
        JdbcValues.setNullableInstant(statement, index++, row.at());
      }
      int inserted = statement.executeUpdate();
      if (inserted != rows.size()) {
        throw new SQLException("inserted " + inserted + " events, not " + rows.size());
      }
    }
  }
}
