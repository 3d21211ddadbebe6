package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A request to approve one record with the active version of an orchestration.
 *
 * @param orchestration the orchestration's api name; it must be for the record's object type
 */
public record SubmitRequest(
    String objectType, String recordId, String orchestration, Optional<String> comments) {
  public SubmitRequest {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(recordId, "recordId is null");
    requireNonNull(orchestration, "orchestration is null");
    comments = comments == null ? Optional.empty() : comments;
  }
}
