package io.orchestrion.engine.run;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.engine.events.EventSequencer;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.run.model.Notifications;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Writes the events of a transaction — per run, the orchestration events that make the run evaluate
 * first, then its notifications in the order they happened — as the transaction's last writes
 * ({@link Transaction#beforeCommit}): one multi-row INSERT (one per {@value #ROWS_PER_STATEMENT}
 * events, far beyond what one transaction writes), numbered at insert once the transaction has the
 * sequencer's lock (the INSERT takes it itself, {@link EventSequencer#numberingInInsert}; a
 * statement of its own past {@value #ROWS_PER_STATEMENT} rows, {@link EventSequencer#reserve}),
 * unnumbered where the dialect does not wait for it and another transaction holds it (the sequencer
 * numbers them after commit). Either way the events of one transaction are numbered in the order
 * written: at insert in VALUES order, after commit in identity order, which follows the VALUES
 * order. Events of a savepoint rolled back are never written.
 */
final class EventRows implements Transaction.BeforeCommit<EventRows.Row> {
  static final int ROWS_PER_STATEMENT = 1000;
  private static final String COLUMNS =
      "INSERT INTO events (event_id, sequence, kind, run_id, submission_id, object_type,"
          + " record_id, stage_name, step_name, step_instance_id, step_status, attempt, actor_id,"
          + " payload, published_at) VALUES ";
  // A row's values after its event id and sequence, which come first.
  private static final String ROW_AFTER_SEQUENCE = ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String ROW = "(?, ?" + ROW_AFTER_SEQUENCE;

  private final EventSequencer sequencer;

  @Inject
  EventRows(EventSequencer sequencer) {
    this.sequencer = sequencer;
  }

  /** One row to insert. */
  record Row(
      String eventId,
      String kind,
      String runId,
      String submissionId,
      String objectType,
      String recordId,
      Optional<String> stageName,
      Optional<String> stepName,
      Optional<String> stepInstanceId,
      Optional<String> stepStatus,
      Optional<Integer> attempt,
      Optional<String> actorId,
      String payloadJson,
      Instant at) {}

  /**
   * Hands the run's new events and notifications to the transaction, to be written just before it
   * commits; returns how many rows.
   */
  int write(Transaction tx, RunState run, Function<Map<String, Object>, String> json) {
    int rows = 0;
    for (RunOutbox.NewEvent event : run.outbox().newEvents()) {
      Optional<StepInstance> step = event.stepInstanceId().flatMap(run::step);
      Optional<String> stageName =
          event.stepInstanceId().isPresent()
              ? step.flatMap(s -> run.stageName(s.stageInstanceId()))
              : run.currentStage().map(StageInstance::name);
      tx.beforeCommit(
          this,
          row(
              run,
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
      rows++;
    }
    for (Notifications.Notification notification : run.notifications().pending()) {
      tx.beforeCommit(
          this,
          row(
              run,
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
      rows++;
    }
    return rows;
  }

  private static Row row(
      RunState run,
      String eventId,
      String kind,
      Optional<String> stageName,
      Optional<String> stepName,
      Optional<String> stepInstanceId,
      Optional<String> stepStatus,
      Optional<Integer> attempt,
      Optional<String> actorId,
      String payloadJson,
      Instant at) {
    return new Row(
        eventId,
        kind,
        run.id(),
        run.submission().id(),
        run.submission().objectType(),
        run.submission().recordId(),
        stageName,
        stepName,
        stepInstanceId,
        stepStatus,
        attempt,
        actorId,
        payloadJson,
        at);
  }

  /** Last of the transaction's writes: numbering takes the sequencer's lock until the commit. */
  @Override
  public boolean writesLast() {
    return true;
  }

  /** Writes the transaction's events, numbered when the sequencer's lock is free. */
  @Override
  public void write(Transaction tx, List<Row> rows) throws SQLException {
    List<String> eventIds = rows.stream().map(Row::eventId).toList();
    Optional<EventSequencer.InsertNumbering> inInsert =
        rows.size() <= ROWS_PER_STATEMENT
            ? sequencer.numberingInInsert(tx, rows.size())
            : Optional.empty();
    if (inInsert.isPresent()) {
      sequencer.reservedInInsert(tx, eventIds, insert(tx, rows, inInsert.get()));
      return;
    }
    OptionalLong first = sequencer.reserve(tx, eventIds);
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      OptionalLong firstOfStatement =
          first.isPresent() ? OptionalLong.of(first.getAsLong() + from) : OptionalLong.empty();
      insert(
          tx,
          rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)),
          firstOfStatement);
    }
  }

  /** Inserts {@code rows} numbered from {@code first}, or unnumbered when it is empty. */
  private static void insert(Transaction tx, List<Row> rows, OptionalLong first)
      throws SQLException {
    String sql = COLUMNS + String.join(", ", Collections.nCopies(rows.size(), ROW));
    try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
      int index = 1;
      long sequence = first.orElse(0);
      for (Row row : rows) {
        statement.setString(index++, row.eventId());
        if (first.isPresent()) {
          statement.setLong(index++, sequence++);
        } else {
          statement.setNull(index++, Types.BIGINT);
        }
        index = bindAfterSequence(statement, index, row);
      }
      int inserted = statement.executeUpdate();
      if (inserted != rows.size()) {
        throw new SQLException("inserted " + inserted + " events, not " + rows.size());
      }
    }
  }

  /**
   * Inserts {@code rows} numbered by the statement itself ({@code numbering}); returns the largest
   * number given, empty when the reserve found the sequencer's lock taken and they went in
   * unnumbered.
   */
  private static OptionalLong insert(
      Transaction tx, List<Row> rows, EventSequencer.InsertNumbering numbering)
      throws SQLException {
    StringBuilder sql = new StringBuilder(numbering.opening()).append(COLUMNS);
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? "(?, " : ", (?, ")
          .append(numbering.sequenceOfRow(i))
          .append(ROW_AFTER_SEQUENCE);
    }
    sql.append(numbering.closing());
    try (PreparedStatement statement = tx.connection().prepareStatement(sql.toString())) {
      int index = 1;
      for (Row row : rows) {
        statement.setString(index++, row.eventId());
        index = bindAfterSequence(statement, index, row);
      }
      int inserted = 0;
      long last = 0;
      boolean numbered = false;
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          inserted++;
          long sequence = rs.getLong(1);
          if (!rs.wasNull()) {
            numbered = true;
            last = Math.max(last, sequence);
          }
        }
      }
      if (inserted != rows.size()) {
        throw new SQLException("inserted " + inserted + " events, not " + rows.size());
      }
      return numbered ? OptionalLong.of(last) : OptionalLong.empty();
    }
  }

  /** Binds a row's values after its event id and sequence; returns the next parameter index. */
  private static int bindAfterSequence(PreparedStatement statement, int first, Row row)
      throws SQLException {
    int index = first;
    statement.setString(index++, row.kind());
    statement.setString(index++, row.runId());
    statement.setString(index++, row.submissionId());
    statement.setString(index++, row.objectType());
    statement.setString(index++, row.recordId());
    Sql.setNullableString(statement, index++, row.stageName().orElse(null));
    Sql.setNullableString(statement, index++, row.stepName().orElse(null));
    Sql.setNullableString(statement, index++, row.stepInstanceId().orElse(null));
    Sql.setNullableString(statement, index++, row.stepStatus().orElse(null));
    Sql.setNullableInt(statement, index++, row.attempt().orElse(null));
    Sql.setNullableString(statement, index++, row.actorId().orElse(null));
    statement.setString(index++, row.payloadJson());
    JdbcValues.setNullableInstant(statement, index++, row.at());
    return index;
  }
}
