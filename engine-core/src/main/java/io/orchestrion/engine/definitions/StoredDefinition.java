package io.orchestrion.engine.definitions;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.DefinitionStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * One version of a definition as stored.
 *
 * @param document the definition as canonical JSON
 * @param checksum SHA-256 of {@code document}, lower-case hex
 * @param analysis the analysis JSON stored with it (e.g. a flow's sync/async classification)
 * @param activatedAt when the version was last activated
 */
public record StoredDefinition(
    long id,
    DefinitionKind kind,
    String apiName,
    int version,
    DefinitionStatus status,
    String document,
    String checksum,
    String analysis,
    Instant createdAt,
    Optional<Instant> activatedAt) {
  public StoredDefinition {
    requireNonNull(kind, "kind is null");
    requireNonNull(apiName, "apiName is null");
    requireNonNull(status, "status is null");
    requireNonNull(document, "document is null");
    requireNonNull(checksum, "checksum is null");
    requireNonNull(analysis, "analysis is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(activatedAt, "activatedAt is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1: " + version);
    }
  }

  public boolean isActive() {
    return status == DefinitionStatus.ACTIVE;
  }

  /** "Flow 'Score_Risk' version 3", for messages. */
  public String describe() {
    return kind.displayName() + " '" + apiName + "' version " + version;
  }
}
