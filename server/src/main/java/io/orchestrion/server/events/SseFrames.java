package io.orchestrion.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.run.OrchestrationEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of Server-Sent Events frames: an event is {@code id: <sequence>}, {@code event: <kind>},
 * {@code data: <the event's JSON, as one item of GET /api/v1/events>}; a heartbeat is a comment
 * line; the last frame of a stream the server closes is a {@code closed} event with the reason.
 */
final class SseFrames {
  static final String CLOSED_EVENT = "closed";
  static final String HEARTBEAT = ": heartbeat\n\n";

  private final ObjectMapper mapper;

  SseFrames(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  String event(OrchestrationEvent event) {
    return "id: "
        + event.sequence()
        + "\nevent: "
        + event.kind().name()
        + "\ndata: "
        + json(event)
        + "\n\n";
  }

  /**
   * The stream's first frame: how long a client waits before it reconnects, and where it starts.
   */
  static String opening(long after, long retryMillis) {
    return "retry: " + retryMillis + "\n: events after " + after + "\n\n";
  }

  String closed(String reason, String detail, long lastEventId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("reason", reason);
    data.put("detail", detail);
    data.put("lastEventId", lastEventId);
    return "event: " + CLOSED_EVENT + "\ndata: " + json(data) + "\n\n";
  }

  private String json(Object value) {
    try {
      // Jackson escapes line breaks inside strings, so the JSON is one line: one data field.
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
