package io.orchestrion.api.run;

/** How a background step runs: inline in the evaluation pass, or on a worker (SPEC §4). */
public enum ExecutionMode {
  SYNC,
  ASYNC
}
