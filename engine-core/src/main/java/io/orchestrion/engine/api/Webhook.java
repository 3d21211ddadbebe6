package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A webhook subscription: the events of the feed it receives (its kinds, empty for every kind, and
 * filters) are POSTed to {@code url}, signed with its secret, which is never shown.
 */
public record Webhook(
    String id,
    String url,
    Set<EventKind> kinds,
    Optional<String> objectType,
    Optional<String> runId,
    Optional<String> submissionId,
    boolean enabled,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {
  public Webhook {
    requireNonNull(id, "id is null");
    requireNonNull(url, "url is null");
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    requireNonNull(objectType, "objectType is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(submissionId, "submissionId is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }
}
