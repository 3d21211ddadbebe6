package io.orchestrion.spi.notification;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.Experimental;
import io.orchestrion.api.run.OrchestrationEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One event for a {@link NotificationListener}, with what a message about it needs besides the
 * event itself.
 *
 * @param event the event as the feed serves it (kind, run, submission, object type, record id,
 *     stage, step, actor, payload; docs/api.md "Event feed")
 * @param submitterId who submitted the record; empty when the submission is gone
 * @param recordSummary the record's summary as approvers see it: the fields its object type marks
 *     {@code approverVisible}, read when the event is delivered (not when it happened); empty when
 *     none is marked or the record is gone. Values as in the API: text, numbers, booleans, dates as
 *     ISO-8601 strings
 */
@Experimental
public record Notification(
    OrchestrationEvent event, Optional<String> submitterId, Map<String, Object> recordSummary) {
  public Notification {
    requireNonNull(event, "event is null");
    requireNonNull(submitterId, "submitterId is null");
    // Values may be null (an unset field), so Map.copyOf cannot be used.
    recordSummary = Collections.unmodifiableMap(new LinkedHashMap<>(recordSummary));
  }
}
