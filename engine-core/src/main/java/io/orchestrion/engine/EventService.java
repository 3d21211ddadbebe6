package io.orchestrion.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.api.EventPage;
import io.orchestrion.engine.events.StoredEvents;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.sql.Connection;
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

  /**
   * How many sequences a read whose filter no index serves looks at, at most (kinds, or the
   * reader's visibility, without a run or submission): about 700 submissions' events of the
   * approval scenario, a few milliseconds of index walk.
   */
  public static final long SCAN_WINDOW = 10_000;

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final UnitsOfWork units;
  private final ObjectMapper mapper;
  private final RunAudience audience;
  private final long scanWindow;

  @Inject
  public EventService(UnitsOfWork units, ObjectMapper mapper, RunAudience audience) {
    this(units, mapper, audience, SCAN_WINDOW);
  }

  private EventService(
      UnitsOfWork units, ObjectMapper mapper, RunAudience audience, long scanWindow) {
    this.units = units;
    this.mapper = mapper;
    this.audience = audience;
    this.scanWindow = scanWindow;
  }

  /** This service with another window, for tests that cannot write 10,000 events. */
  EventService withScanWindow(long scanWindow) {
    return new EventService(units, mapper, audience, scanWindow);
  }

  /**
   * Numbered events after {@code afterSequence}, of one run or of all, in sequence order: every
   * such event up to {@code limit} (these reads are served by an index and need no window).
   */
  public List<OrchestrationEvent> listAfter(long afterSequence, Optional<String> runId, int limit) {
    return read(afterSequence, EventFilter.ALL.withRunId(runId), limit, Optional.empty()).items();
  }

  /**
   * Numbered events after {@code afterSequence} that pass {@code filter}, in sequence order. A
   * filter by kind without a run or submission reads a window of at most {@link #SCAN_WINDOW}
   * sequences ({@link EventPage}): continue from {@link EventPage#readThrough()}.
   */
  public EventPage page(long afterSequence, EventFilter filter, int limit) {
    return read(afterSequence, filter, limit, Optional.empty());
  }

  /**
   * Like {@link #page}, only events of the runs {@code userId} may see ({@link RunAudience}),
   * filtered in SQL; for a user who does not see every run that is a windowed read too.
   */
  public EventPage pageVisibleTo(String userId, long afterSequence, EventFilter filter, int limit) {
    return read(
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
    return units.call(uow -> lastSequence(uow.connection()));
  }

  private static long lastSequence(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT last_sequence FROM event_sequencer WHERE id = 1");
        ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  /**
   * The read behind every listing. The sequencer's counter is read first: every event numbered at
   * or below it has committed (EventSequencer's rule), so the events query, bounded by it, sees all
   * of them, and the page may say it read through it. When the filter leaves the query to walk the
   * {@code sequence} index and test each event (kinds, the reader's visibility), the walk is
   * bounded to {@link #SCAN_WINDOW} sequences (the service's window): a rare kind or a reader who
   * sees few runs costs at most that many rows per read, not the whole feed.
   */
  private EventPage read(
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
    boolean byIndex = filter.runId().isPresent() || filter.submissionId().isPresent();
    boolean windowed = !byIndex && (!kinds.isEmpty() || visible.isPresent());
    // A submission's events are found through its run (one run per submission): events have no
    // index by submission (V19); the subquery is the index condition on events_by_run. Nor by kind
    // (V21): a kind is tested on each event of the window.
    String sql =
        "SELECT "
            + StoredEvents.COLUMNS
            + " FROM events WHERE sequence > ? AND sequence <= ?"
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
    return units.callWritten(
        uow -> {
          long end = lastSequence(uow.connection());
          long upTo =
              windowed && end - afterSequence > scanWindow ? afterSequence + scanWindow : end;
          List<OrchestrationEvent> events = new ArrayList<>();
          try (PreparedStatement statement = uow.connection().prepareStatement(sql)) {
            int index = 1;
            statement.setLong(index++, afterSequence);
            statement.setLong(index++, upTo);
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
          boolean full = events.size() == limit;
          long readThrough = full ? events.getLast().sequence() : Math.max(afterSequence, upTo);
          return new EventPage(events, readThrough, !full && upTo >= end);
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
