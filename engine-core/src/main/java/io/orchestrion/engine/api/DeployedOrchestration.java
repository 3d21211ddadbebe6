package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.Problem;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A deployed version of an orchestration, with the warnings of its validation. */
public record DeployedOrchestration(
    String apiName,
    int version,
    DefinitionStatus status,
    OrchestrationDefinition definition,
    List<Problem> warnings,
    Instant createdAt,
    Optional<Instant> activatedAt) {
  public DeployedOrchestration {
    requireNonNull(apiName, "apiName is null");
    requireNonNull(status, "status is null");
    requireNonNull(definition, "definition is null");
    warnings = List.copyOf(warnings);
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(activatedAt, "activatedAt is null");
  }
}
