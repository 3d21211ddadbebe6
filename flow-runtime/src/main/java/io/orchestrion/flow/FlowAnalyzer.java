package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.FlowDefinition;
import jakarta.inject.Inject;

/**
 * Validates a flow definition against its environment (SPEC §10) and classifies it as synchronous
 * or asynchronous (SPEC §4). Reports every problem at once, each with its JSON path into the flow
 * document. Stateless and thread-safe.
 */
public final class FlowAnalyzer {
  @Inject
  public FlowAnalyzer() {}

  public FlowAnalysis analyze(FlowDefinition definition, FlowEnvironment environment) {
    requireNonNull(definition, "definition is null");
    requireNonNull(environment, "environment is null");
    return new Compilation(definition, environment).analyze();
  }
}
