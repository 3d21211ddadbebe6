package io.orchestrion.engine.run.model;

import io.orchestrion.api.orchestration.StepDefinition;

/** The two kinds of step (SPEC §3); stored by name in {@code step_instances.kind}. */
public enum StepKind {
  APPROVAL,
  BACKGROUND;

  public static StepKind of(StepDefinition definition) {
    return definition instanceof StepDefinition.ApprovalStep ? APPROVAL : BACKGROUND;
  }
}
