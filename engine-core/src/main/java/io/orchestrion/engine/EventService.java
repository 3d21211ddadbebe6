package io.orchestrion.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.events.StoredEvents;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the event feed (orchestration events and lifecycle notifications) in sequence order (SPEC
 * §4). Only numbered events are listed: the sequencer numbers an event shortly after the
 * transaction that wrote it commits, so "after N" never skips an event.
 */
public final class EventService {
  static final int MAX_PAGE_SIZE = 1000;
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final UnitsOfWork units;
  private final ObjectMapper mapper;
  private final RunAudience audience;

  @Inject
  public EventService(UnitsOfWork units, ObjectMapper mapper, RunAudience audience) {
    this.units = units;
    this.mapper = mapper;
    this.audience = audience;
  }

  public List<OrchestrationEvent> listAfter(long afterSequence, Optional<String> runId, int limit) {
    return listAfter(afterSequence, EventFilter.ALL.withRunId(runId), limit);
  }

  /** Numbered events after {@code afterSequence} that pass {@code filter}, in sequence order. */
  public List<OrchestrationEvent> listAfter(long afterSequence, EventFilter filter, int limit) {
    return listAfter(afterSequence, filter, limit, Optional.empty());
  }

  public List<OrchestrationEvent> listAfterVisibleTo(
      String userId, long afterSequence, Optional<String> runId, int limit) {
    return listAfterVisibleTo(userId, afterSequence, EventFilter.ALL.withRunId(runId), limit);
  }

  /**
   * Like {@link #listAfter(long, EventFilter, int)}, only events of the runs {@code userId} may see
   * ({@link RunAudience}), filtered in SQL.
   */
  public List<OrchestrationEvent> listAfterVisibleTo(
      String userId, long afterSequence, EventFilter filter, int limit) {
    return listAfter(
        afterSequence,
        filter,
        limit,
        audience.seesAll(userId)
            ? Optional.empty()
            : Optional.of(audience.runCondition("run_id", userId)));
  }

  /**
   * The highest sequence numbered so far: where a reader that wants only new events starts. Read
   * from the sequencer's row, which only ever grows.
   */
  public long lastSequence() {
    return units.call(
        uow -> {
          try (PreparedStatement statement =
                  uow.connection()
                      .prepareStatement("SELECT last_sequence FROM event_sequencer WHERE id = 1");
              ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  private List<OrchestrationEvent> listAfter(
      long afterSequence, EventFilter filter, int limit, Optional<RunAudience.Condition> visible) {
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "limit must be between 1 and %d, not %d".formatted(MAX_PAGE_SIZE, limit));
    }
    if (afterSequence < 0) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST, "after must not be negative: " + afterSequence);
    }
    List<EventKind> kinds = filter.kinds().stream().sorted().toList();
    // A submission's events are found through its run (one run per submission): events have no
    // index by submission (V19); the subquery is the index condition on events_by_run.
    String sql =
        "SELECT "
            + StoredEvents.COLUMNS
            + " FROM events WHERE sequence > ?"
            + (filter.runId().isPresent() ? " AND run_id = ?" : "")
            + (filter.submissionId().isPresent()
                ? " AND run_id = (SELECT run_id FROM submissions WHERE id = ?)"
                : "")
            + (kinds.isEmpty()
                ? ""
                : " AND kind IN ("
                    + String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"))
                    + ")")
            + visible.map(condition -> " AND " + condition.sql()).orElse("")
            + " ORDER BY sequence FETCH FIRST "
            + limit
            + " ROWS ONLY";
    return units.call(
        uow -> {
          List<OrchestrationEvent> events = new ArrayList<>();
          try (PreparedStatement statement = uow.connection().prepareStatement(sql)) {
            int index = 1;
            statement.setLong(index++, afterSequence);
            if (filter.runId().isPresent()) {
              statement.setString(index++, filter.runId().get());
            }
            if (filter.submissionId().isPresent()) {
              statement.setString(index++, filter.submissionId().get());
            }
            for (EventKind kind : kinds) {
              statement.setString(index++, kind.name());
            }
            if (visible.isPresent()) {
              for (Object parameter : visible.get().parameters()) {
                statement.setObject(index++, parameter);
              }
            }
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                events.add(event(rs));
              }
            }
          }
          return events;
        });
  }

  /** An event by its id, numbered or not (sequence 0 until numbered). */
  public Optional<OrchestrationEvent> find(String eventId) {
    return units.call(
        uow -> {
          try (PreparedStatement statement =
              uow.connection()
                  .prepareStatement(
                      "SELECT " + StoredEvents.COLUMNS + " FROM events WHERE event_id = ?")) {
            statement.setString(1, eventId);
            try (ResultSet rs = statement.executeQuery()) {
              return rs.next() ? Optional.of(event(rs)) : Optional.empty();
            }
          }
        });
  }

  private OrchestrationEvent event(ResultSet rs) throws SQLException {
    return StoredEvents.read(rs, mapper);
  }
}
