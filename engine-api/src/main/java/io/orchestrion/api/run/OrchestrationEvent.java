package io.orchestrion.api.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The durable notification that makes a run evaluate its current stage (SPEC §4).
 *
 * @param sequence global, increasing in commit order; 0 while not yet numbered
 * @param stepInstanceId for STEP_RESULT and OVERDUE events
 * @param stepStatus COMPLETED or ERROR for STEP_RESULT events
 * @param payload the flow's output values for STEP_RESULT events; free-form for MANUAL events
 */
public record OrchestrationEvent(
    String eventId,
    long sequence,
    EventKind kind,
    String runId,
    Optional<String> stepInstanceId,
    Optional<StepStatus> stepStatus,
    Map<String, Object> payload,
    Instant publishedAt) {
  public OrchestrationEvent {
    requireNonNull(eventId, "eventId is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(stepInstanceId, "stepInstanceId is null");
    requireNonNull(stepStatus, "stepStatus is null");
    payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    requireNonNull(publishedAt, "publishedAt is null");
  }
}
