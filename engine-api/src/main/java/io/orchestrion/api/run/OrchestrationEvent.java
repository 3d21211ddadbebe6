package io.orchestrion.api.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of the durable event feed (SPEC §4): an orchestration event that makes a run evaluate
 * (STEP_RESULT, MANUAL, OVERDUE) or a notification of a lifecycle change.
 *
 * @param sequence global, increasing in commit order; 0 while not yet numbered
 * @param submissionId, objectType, recordId the submission of the run and the record it is about
 * @param stage the stage instance's name the event is about or happened in, if any
 * @param step the step's name the event is about, if any
 * @param stepInstanceId for STEP_RESULT, OVERDUE, STEP_STARTED and work item events
 * @param stepStatus COMPLETED or ERROR for STEP_RESULT events
 * @param actorId the user whose request caused the event; empty when the engine itself did (a
 *     worker, a timer)
 * @param payload the flow's output values for STEP_RESULT events; free-form for MANUAL events; the
 *     kind's documented fields for notifications
 */
public record OrchestrationEvent(
    String eventId,
    long sequence,
    EventKind kind,
    String runId,
    String submissionId,
    String objectType,
    String recordId,
    Optional<String> stage,
    Optional<String> step,
    Optional<String> stepInstanceId,
    Optional<StepStatus> stepStatus,
    Optional<String> actorId,
    Map<String, Object> payload,
    Instant publishedAt) {
  public OrchestrationEvent {
    requireNonNull(eventId, "eventId is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(submissionId, "submissionId is null");
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(step, "step is null");
    requireNonNull(stepInstanceId, "stepInstanceId is null");
    requireNonNull(stepStatus, "stepStatus is null");
    requireNonNull(actorId, "actorId is null");
    payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    requireNonNull(publishedAt, "publishedAt is null");
  }
}
