package io.orchestrion.api.flow;

public enum FlowType {
  /** Launched by background steps (and as subflows); may read and write records. */
  AUTOLAUNCHED,
  /** Answers one Boolean question, output {@code isOrchestrationConditionMet}; no side effects. */
  EVALUATION
}
