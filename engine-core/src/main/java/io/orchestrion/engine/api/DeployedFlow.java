package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.flow.FlowAnalysis;
import java.time.Instant;
import java.util.Optional;

/** A deployed version of a flow with its analysis (validation, sync/async classification). */
public record DeployedFlow(
    String apiName,
    int version,
    DefinitionStatus status,
    FlowDefinition definition,
    FlowAnalysis analysis,
    Instant createdAt,
    Optional<Instant> activatedAt) {
  public DeployedFlow {
    requireNonNull(apiName, "apiName is null");
    requireNonNull(status, "status is null");
    requireNonNull(definition, "definition is null");
    requireNonNull(analysis, "analysis is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(activatedAt, "activatedAt is null");
  }
}
