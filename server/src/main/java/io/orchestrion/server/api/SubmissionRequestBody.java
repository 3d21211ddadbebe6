package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.SubmitRequest;
import java.util.Optional;

/** The body of {@code POST /submissions}. */
public record SubmissionRequestBody(
    String objectType, String recordId, String orchestration, Optional<String> comments) {
  public SubmissionRequestBody {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    requireNonNull(orchestration, "orchestration is null");
    comments = comments == null ? Optional.empty() : comments;
  }

  SubmitRequest toSubmitRequest() {
    return new SubmitRequest(objectType, recordId, orchestration, comments);
  }
}
