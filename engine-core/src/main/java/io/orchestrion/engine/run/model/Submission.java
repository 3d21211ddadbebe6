package io.orchestrion.engine.run.model;

import io.orchestrion.api.run.SubmissionStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * The submission of a run; its lifecycle follows the run's (SPEC §3.1). Part of the {@link
 * RunState} aggregate: changed only by its transitions.
 */
public final class Submission {
  private final String id;
  private final String runId;
  private final String objectType;
  private final String recordId;
  private final String orchestration;
  private final int orchestrationVersion;
  private final String submitterId;
  private final String comments;
  private final Instant createdAt;
  private SubmissionStatus status;
  private String error;
  private Instant updatedAt;
  private Instant storedUpdatedAt;
  private boolean isNew;
  private boolean changed;

  /** A stored submission, as the repository loads it ({@code comments}, {@code error} nullable). */
  public Submission(
      String id,
      String runId,
      String objectType,
      String recordId,
      String orchestration,
      int orchestrationVersion,
      String submitterId,
      String comments,
      Instant createdAt,
      SubmissionStatus status,
      String error,
      Instant updatedAt) {
    this.id = id;
    this.runId = runId;
    this.objectType = objectType;
    this.recordId = recordId;
    this.orchestration = orchestration;
    this.orchestrationVersion = orchestrationVersion;
    this.submitterId = submitterId;
    this.comments = comments;
    this.createdAt = createdAt;
    this.status = status;
    this.error = error;
    this.updatedAt = updatedAt;
    this.storedUpdatedAt = updatedAt;
  }

  static Submission created(
      String runId,
      String objectType,
      String recordId,
      String orchestration,
      int orchestrationVersion,
      String submitterId,
      Optional<String> comments,
      Instant now) {
    Submission submission =
        new Submission(
            Ids.next(),
            runId,
            objectType,
            recordId,
            orchestration,
            orchestrationVersion,
            submitterId,
            comments.orElse(null),
            now,
            SubmissionStatus.IN_PROGRESS,
            null,
            now);
    submission.isNew = true;
    return submission;
  }

  public String id() {
    return id;
  }

  public String runId() {
    return runId;
  }

  public String objectType() {
    return objectType;
  }

  public String recordId() {
    return recordId;
  }

  /** {@code objectType/recordId}, as {@code submissions.open_record_key} names it. */
  public String recordKey() {
    return objectType + "/" + recordId;
  }

  public String orchestration() {
    return orchestration;
  }

  public int orchestrationVersion() {
    return orchestrationVersion;
  }

  public String submitterId() {
    return submitterId;
  }

  public Optional<String> comments() {
    return Optional.ofNullable(comments);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public SubmissionStatus status() {
    return status;
  }

  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** When the run last changed (its status or the submission's). */
  public Instant updatedAt() {
    return updatedAt;
  }

  /**
   * {@code updated_at} as the submission's own row has it: a change of the run alone moves {@link
   * #updatedAt()} (written to {@code runs.updated_at}) but not the submission's row.
   */
  public Instant storedUpdatedAt() {
    return storedUpdatedAt;
  }

  /** The record key while the submission is IN_PROGRESS (at most one per record). */
  public Optional<String> openRecordKey() {
    return status == SubmissionStatus.IN_PROGRESS ? Optional.of(recordKey()) : Optional.empty();
  }

  /** Created in this unit of work: the repository inserts it. */
  public boolean isNew() {
    return isNew;
  }

  /** Loaded and changed in this unit of work: the repository updates it. */
  public boolean isChanged() {
    return changed && !isNew;
  }

  void setStatus(SubmissionStatus status, String error, Instant now) {
    this.status = status;
    this.error = error;
    this.updatedAt = now;
    this.changed = true;
  }

  /** The run changed: the time shows it (runs.updated_at); the submission's row is not written. */
  void touch(Instant now) {
    this.updatedAt = now;
  }

  void markPersisted() {
    if (isNew || changed) {
      storedUpdatedAt = updatedAt; // the repository wrote the row with it
    }
    isNew = false;
    changed = false;
  }
}
