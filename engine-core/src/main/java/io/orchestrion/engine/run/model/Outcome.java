package io.orchestrion.engine.run.model;

/**
 * Where a stage transition routed a run to end it (SPEC §5.4): {@code goTo} APPROVE or REJECT;
 * stored by name in {@code runs.outcome}.
 */
public enum Outcome {
  APPROVE,
  REJECT
}
