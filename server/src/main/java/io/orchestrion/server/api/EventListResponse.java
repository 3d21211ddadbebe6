package io.orchestrion.server.api;

import io.orchestrion.api.run.OrchestrationEvent;
import java.util.List;

/**
 * Events in sequence order. {@code lastSequence} is how far the feed was read: the last event's
 * sequence when the page is full, else the highest sequence the read looked at (which may be past
 * the last event returned, also when none was). Ask again with {@code after=lastSequence} to
 * continue. {@code atEnd}: the read reached the end of the feed; a page with fewer items than the
 * limit is not the end when a filter by kind, or the reader's visibility, bounded the read to a
 * window of sequences ({@code EventService.SCAN_WINDOW}).
 */
public record EventListResponse(List<OrchestrationEvent> items, long lastSequence, boolean atEnd) {
  public EventListResponse {
    items = List.copyOf(items);
  }
}
