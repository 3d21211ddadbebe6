package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes events to paused flow interviews (SPEC §6.2 Wait on an event). An event resumes every
 * interview waiting for its name and correlation key at the moment it is published; it is not kept
 * for interviews that start waiting later. Each resumed interview continues on a worker, on the
 * resume path of the event, after the commit, on whichever node claims it first: the commit wakes
 * every node's poller ({@link WorkSignals#jobsDue}).
 */
public final class FlowEventService {
  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_KEY_LENGTH = 500;

  private final UnitsOfWork units;
  private final ObjectMapper mapper;

  @Inject
  public FlowEventService(UnitsOfWork units, ObjectMapper mapper) {
    this.units = requireNonNull(units, "units is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
  }

  /**
   * Resumes the interviews waiting for the event.
   *
   * @return how many interviews it resumed (0 when none waits for it)
   * @throws OrchestrionException INVALID_REQUEST for a blank or too long name or key
   */
  public int publish(FlowEvent event) {
    requireNonNull(event, "event is null");
    validate(event);
    String resumeEvent = json(event);
    return units.call(
        uow -> {
          Connection connection = uow.connection();
          int resumed = 0;
          for (String jobId : waitingJobs(connection, event)) {
            // Deleting the job's waits is the claim: the first trigger (this event, another
            // event, the timer) to delete them wins.
            if (deleteWaits(connection, jobId) > 0
                && resume(connection, jobId, resumeEvent, uow.now())) {
              resumed++;
            }
          }
          if (resumed > 0) {
            // The resumed jobs' leases are free: whichever node is free takes them, at once.
            uow.jobsDue();
          }
          return resumed;
        });
  }

  private static void validate(FlowEvent event) {
    List<Problem> problems = new ArrayList<>();
    if (event.name().isBlank() || event.name().length() > MAX_NAME_LENGTH) {
      problems.add(
          new Problem("$.name", "name must be 1 to " + MAX_NAME_LENGTH + " characters, not blank"));
    }
    if (event.correlationKey().isEmpty() || event.correlationKey().length() > MAX_KEY_LENGTH) {
      problems.add(
          new Problem(
              "$.correlationKey", "correlationKey must be 1 to " + MAX_KEY_LENGTH + " characters"));
    }
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST, "Flow event '" + event.name() + "'", problems);
    }
  }

  private String json(FlowEvent event) {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("name", event.name());
    stored.put("payload", event.payload());
    try {
      return mapper.writeValueAsString(stored);
    } catch (JsonProcessingException e) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Flow event '" + event.name() + "'",
          List.of(new Problem("$.payload", "cannot be written as JSON: " + e.getMessage())));
    }
  }

  private static List<String> waitingJobs(Connection connection, FlowEvent event)
      throws SQLException {
    List<String> jobs = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT DISTINCT job_id FROM flow_event_waits"
                + " WHERE event_name = ? AND correlation_key = ? ORDER BY job_id")) {
      statement.setString(1, event.name());
      statement.setString(2, event.correlationKey());
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          jobs.add(rs.getString(1));
        }
      }
    }
    return jobs;
  }

  private static int deleteWaits(Connection connection, String jobId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM flow_event_waits WHERE job_id = ?")) {
      statement.setString(1, jobId);
      return statement.executeUpdate();
    }
  }

  /** Makes the job due now with the event; false when the job is gone (its step moved on). */
  private static boolean resume(
      Connection connection, String jobId, String resumeEvent, Instant now) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE jobs SET resume_event = ?, due_at = ? WHERE id = ? AND interview IS NOT NULL")) {
      statement.setString(1, resumeEvent);
      statement.setObject(2, JdbcValues.utc(now));
      statement.setString(3, jobId);
      return statement.executeUpdate() == 1;
    }
  }
}
