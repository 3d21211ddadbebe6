package io.orchestrion.server.api;

import io.orchestrion.api.run.OrchestrationEvent;
import java.util.List;

/**
 * Events in sequence order. {@code lastSequence} is the sequence of the last event returned, or the
 * {@code after} that was asked for when there is none: ask again with {@code after=lastSequence} to
 * continue.
 */
public record EventListResponse(List<OrchestrationEvent> items, long lastSequence) {
  public EventListResponse {
    items = List.copyOf(items);
  }
}
