package io.orchestrion.engine.api;

/** A decider's answer to a work item: APPROVE or REJECT. */
public enum Decision {
  APPROVE,
  REJECT
}
