package io.orchestrion.engine.api;

import org.slf4j.MDC;

/**
 * The logging context (SLF4J MDC) of the run being worked on: {@code runId}, {@code submissionId}
 * and, while a step's flow runs, {@code step}. The engine sets the keys when a run is loaded or
 * created and removes them when the transaction that set them commits; workers run each job on a
 * thread of its own, and a host that runs engine commands on pooled threads (the HTTP server) calls
 * {@link #clear} when its own unit of work ends, so a rolled-back command leaves nothing behind.
 */
public final class RunLogContext {
  public static final String RUN_ID = "runId";
  public static final String SUBMISSION_ID = "submissionId";
  public static final String STEP = "step";

  private RunLogContext() {}

  /** Removes the keys. */
  public static void clear() {
    MDC.remove(RUN_ID);
    MDC.remove(SUBMISSION_ID);
    MDC.remove(STEP);
  }
}
