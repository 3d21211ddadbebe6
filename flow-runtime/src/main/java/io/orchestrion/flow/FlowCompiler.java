package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import jakarta.inject.Inject;

/** Turns a valid flow definition into the form the interpreter runs. Stateless and thread-safe. */
public final class FlowCompiler {
  @Inject
  public FlowCompiler() {}

  /**
   * Analyses and compiles one version of a flow.
   *
   * @throws OrchestrionException INVALID_DEFINITION with the analysis errors when it is invalid
   */
  public CompiledFlow compile(FlowDefinition definition, int version, FlowEnvironment environment) {
    requireNonNull(definition, "definition is null");
    requireNonNull(environment, "environment is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive: " + version);
    }
    Compilation compilation = new Compilation(definition, environment);
    FlowAnalysis analysis = compilation.analyze();
    if (!analysis.valid()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_DEFINITION,
          "Flow " + definition.apiName() + " v" + version,
          analysis.errors());
    }
    return compilation.compiled(version, analysis);
  }
}
