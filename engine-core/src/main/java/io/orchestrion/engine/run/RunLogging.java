package io.orchestrion.engine.run;

import io.orchestrion.engine.api.RunLogContext;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.work.UnitOfWork;
import org.slf4j.MDC;

/**
 * Sets the keys of {@link RunLogContext} for the run being worked on: when a run is loaded or
 * created, until the transaction commits (a rolled-back command leaves them to the thread's next
 * command or the host's {@link RunLogContext#clear}), and the step whose flow runs.
 */
final class RunLogging {
  private RunLogging() {}

  static void enter(UnitOfWork uow, RunState run) {
    uow.afterCommit(RunLogContext::clear);
    MDC.put(RunLogContext.RUN_ID, run.id());
    MDC.put(RunLogContext.SUBMISSION_ID, run.submission().id());
    MDC.remove(RunLogContext.STEP);
  }

  static void step(String stageAndStep) {
    MDC.put(RunLogContext.STEP, stageAndStep);
  }
}
