package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.WorkItemStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A work item as the API shows it (SPEC §8).
 *
 * @param decidedOnBehalfOf the user on whose behalf {@code decidedBy}, their delegate, decided
 * @param onBehalfOf in a delegate's view of an open item (their inbox, the item): the assigned user
 *     on whose behalf they may decide it now; empty otherwise
 */
public record WorkItemView(
    String id,
    String runId,
    String submissionId,
    String submitterId,
    String stepInstanceId,
    String stepName,
    WorkItemStatus status,
    String assigneeType,
    String assigneeId,
    Optional<String> decision,
    Optional<String> comments,
    Optional<String> decidedBy,
    Optional<Instant> decidedAt,
    Optional<Instant> dueAt,
    Instant createdAt,
    Instant updatedAt,
    String objectType,
    String recordId,
    Map<String, Object> recordSummary,
    Optional<String> decidedOnBehalfOf,
    Optional<String> onBehalfOf) {
  public WorkItemView {
    requireNonNull(id, "id is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(submissionId, "submissionId is null");
    requireNonNull(submitterId, "submitterId is null");
    requireNonNull(stepInstanceId, "stepInstanceId is null");
    requireNonNull(stepName, "stepName is null");
    requireNonNull(status, "status is null");
    requireNonNull(assigneeType, "assigneeType is null");
    requireNonNull(assigneeId, "assigneeId is null");
    requireNonNull(decision, "decision is null");
    requireNonNull(comments, "comments is null");
    requireNonNull(decidedBy, "decidedBy is null");
    requireNonNull(decidedAt, "decidedAt is null");
    requireNonNull(dueAt, "dueAt is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    // Field values may be null (an unset field), so Map.copyOf cannot be used.
    recordSummary = Collections.unmodifiableMap(new LinkedHashMap<>(recordSummary));
    requireNonNull(decidedOnBehalfOf, "decidedOnBehalfOf is null");
    requireNonNull(onBehalfOf, "onBehalfOf is null");
  }

  /** This item with the approver-visible fields of its record. */
  public WorkItemView withRecordSummary(Map<String, Object> summary) {
    return with(summary, onBehalfOf);
  }

  /** This item as seen by the delegate of {@code user}, who may decide it on their behalf. */
  public WorkItemView withOnBehalfOf(Optional<String> user) {
    return with(recordSummary, user);
  }

  private WorkItemView with(Map<String, Object> summary, Optional<String> user) {
    return new WorkItemView(
        id,
        runId,
        submissionId,
        submitterId,
        stepInstanceId,
        stepName,
        status,
        assigneeType,
        assigneeId,
        decision,
        comments,
        decidedBy,
        decidedAt,
        dueAt,
        createdAt,
        updatedAt,
        objectType,
        recordId,
        summary,
        decidedOnBehalfOf,
        user);
  }
}
