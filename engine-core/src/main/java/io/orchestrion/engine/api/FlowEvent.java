package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event for flow interviews waiting on it (a Wait element's resume path): {@code POST
 * /api/v1/flow-events}.
 *
 * @param name the event name the Wait's resume path names
 * @param correlationKey the key the interview computed when it paused, e.g. a record id
 * @param payload values the resume path copies into flow variables
 */
public record FlowEvent(String name, String correlationKey, Map<String, Object> payload) {
  public FlowEvent {
    requireNonNull(name, "name is null");
    requireNonNull(correlationKey, "correlationKey is null");
    payload =
        payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
  }
}
