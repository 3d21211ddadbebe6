package io.orchestrion.engine.run;

import io.orchestrion.engine.persistence.Transaction;
import org.slf4j.MDC;

/**
 * The logging context (SLF4J MDC) of the run being worked on: {@code runId}, {@code submissionId}
 * and, while a step's flow runs, {@code step}. Set when a run is loaded or created; workers run
 * each job on a thread of its own and the HTTP server clears the keys after each request, so a
 * value never outlives the work it describes by more than the thread's current task; the keys are
 * also removed when the transaction that set them commits, for embedders' threads.
 */
public final class RunLogContext {
  public static final String RUN_ID = "runId";
  public static final String SUBMISSION_ID = "submissionId";
  public static final String STEP = "step";

  private RunLogContext() {}

  /**
   * Sets the keys for {@code run} until {@code tx} commits (a rolled-back command leaves them to
   * the thread's next command or the server's end of request).
   */
  static void enter(Transaction tx, RunState run) {
    tx.afterCommit(RunLogContext::clear);
    MDC.put(RUN_ID, run.id);
    MDC.put(SUBMISSION_ID, run.submission.id);
    MDC.remove(STEP);
  }

  static void step(String stageAndStep) {
    MDC.put(STEP, stageAndStep);
  }

  /** Removes the keys (the server calls it when a request ends). */
  public static void clear() {
    MDC.remove(RUN_ID);
    MDC.remove(SUBMISSION_ID);
    MDC.remove(STEP);
  }
}
