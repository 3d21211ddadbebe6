package io.orchestrion.engine.api;

import io.orchestrion.api.run.OrchestrationEvent;
import java.util.List;

/**
 * One read of the event feed (SPEC §4): the events found, in sequence order, and how far the feed
 * was read.
 *
 * <p>{@code readThrough} is where the next read continues ({@code after=readThrough}): the last
 * event's sequence when the page is full, else the highest sequence the read looked at. A read
 * whose filter no index serves (kinds or the reader's visibility, without a run or submission)
 * looks at a bounded window of sequences, so a page may be empty and still move {@code readThrough}
 * forward. {@code atEnd} says the read reached the end of the feed as it was when the read began:
 * nothing more to read until new events are numbered.
 */
public record EventPage(List<OrchestrationEvent> items, long readThrough, boolean atEnd) {
  public EventPage {
    items = List.copyOf(items);
    if (!items.isEmpty() && items.getLast().sequence() > readThrough) {
      throw new IllegalArgumentException(
          "readThrough %d is before the last event's sequence %d"
              .formatted(readThrough, items.getLast().sequence()));
    }
  }
}
