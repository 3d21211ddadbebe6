package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.SubmissionStatus;
import java.util.Optional;

/** Which submissions to list; empty means any. */
public record SubmissionFilter(
    Optional<String> objectType, Optional<String> recordId, Optional<SubmissionStatus> status) {
  public static final SubmissionFilter ALL =
      new SubmissionFilter(Optional.empty(), Optional.empty(), Optional.empty());

  public SubmissionFilter {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    requireNonNull(status, "status is null");
  }
}
