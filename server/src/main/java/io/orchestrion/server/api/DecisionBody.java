package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.Decision;
import java.util.Optional;

/** The body of {@code POST /work-items/{id}/decision}. */
public record DecisionBody(Decision decision, Optional<String> comments) {
  public DecisionBody {
    requireNonNull(decision, "decision is null");
    comments = comments == null ? Optional.empty() : comments;
  }
}
