package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.EventKind;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a webhook subscription should be. {@code secret} is required when creating one; when
 * changing one, an empty secret keeps the current secret.
 */
public record WebhookRequest(
    String url,
    Set<EventKind> kinds,
    Optional<String> objectType,
    Optional<String> runId,
    Optional<String> submissionId,
    Optional<String> secret,
    boolean enabled) {
  public WebhookRequest {
    requireNonNull(url, "url is null");
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    requireNonNull(objectType, "objectType is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(submissionId, "submissionId is null");
    requireNonNull(secret, "secret is null");
  }
}
