package io.orchestrion.engine.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.persistence.JdbcValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/** Reads a row of the {@code events} table (its {@link #COLUMNS}) as an event of the feed. */
public final class StoredEvents {
  /** The columns of {@code events} that {@link #read} maps. */
  public static final String COLUMNS = columns("");

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private StoredEvents() {}

  /** {@link #COLUMNS}, each qualified with {@code alias} (for a join). */
  public static String qualified(String alias) {
    return columns(alias + ".");
  }

  private static String columns(String prefix) {
    return String.join(
        ", ",
        java.util.stream.Stream.of(
                "event_id",
                "sequence",
                "kind",
                "run_id",
                "submission_id",
                "object_type",
                "record_id",
                "stage_name",
                "step_name",
                "step_instance_id",
                "step_status",
                "actor_id",
                "payload",
                "published_at")
            .map(column -> prefix + column)
            .toList());
  }

  public static OrchestrationEvent read(ResultSet rs, ObjectMapper mapper) throws SQLException {
    String stepStatus = rs.getString("step_status");
    Map<String, Object> payload;
    try {
      payload = mapper.readValue(rs.getString("payload"), MAP);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "stored event payload cannot be read: " + e, e);
    }
    return new OrchestrationEvent(
        rs.getString("event_id"),
        rs.getLong("sequence"),
        EventKind.valueOf(rs.getString("kind")),
        rs.getString("run_id"),
        orEmpty(rs.getString("submission_id")),
        orEmpty(rs.getString("object_type")),
        orEmpty(rs.getString("record_id")),
        Optional.ofNullable(rs.getString("stage_name")),
        Optional.ofNullable(rs.getString("step_name")),
        Optional.ofNullable(rs.getString("step_instance_id")),
        Optional.ofNullable(stepStatus).map(StepStatus::valueOf),
        Optional.ofNullable(rs.getString("actor_id")),
        payload,
        JdbcValues.getInstant(rs, "published_at").orElseThrow());
  }

  /** Rows written before V11 whose run had gone have no submission or record: empty strings. */
  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
