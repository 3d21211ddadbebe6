package io.orchestrion.engine.approvals;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.WorkItemStatus;
import java.time.Instant;
import java.util.Optional;

/** A work item as the API shows it (SPEC §8). */
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
    Instant updatedAt) {
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
  }
}
