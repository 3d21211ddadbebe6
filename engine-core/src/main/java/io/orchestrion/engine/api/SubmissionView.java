package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.SubmissionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An approval submission as the API shows it, with its audit history oldest first. */
public record SubmissionView(
    String id,
    String objectType,
    String recordId,
    String orchestration,
    int orchestrationVersion,
    SubmissionStatus status,
    String submitterId,
    Optional<String> comments,
    String runId,
    Optional<String> error,
    Instant createdAt,
    Instant updatedAt,
    List<AuditEntryView> history) {
  public SubmissionView {
    requireNonNull(id, "id is null");
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    requireNonNull(orchestration, "orchestration is null");
    requireNonNull(status, "status is null");
    requireNonNull(submitterId, "submitterId is null");
    requireNonNull(comments, "comments is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(error, "error is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
    history = List.copyOf(history);
  }

  /** This submission with {@code entries} as its history. */
  public SubmissionView withHistory(List<AuditEntryView> entries) {
    return new SubmissionView(
        id,
        objectType,
        recordId,
        orchestration,
        orchestrationVersion,
        status,
        submitterId,
        comments,
        runId,
        error,
        createdAt,
        updatedAt,
        entries);
  }
}
