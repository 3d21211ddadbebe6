package io.orchestrion.engine.orchestration;

import io.orchestrion.api.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of validating an orchestration: problems, warnings, and the compiled form if valid.
 */
public record OrchestrationValidation(
    List<Problem> errors, List<Problem> warnings, Optional<CompiledOrchestration> compiled) {
  public OrchestrationValidation {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public boolean valid() {
    return errors.isEmpty();
  }
}
