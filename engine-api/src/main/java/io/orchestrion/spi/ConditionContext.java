package io.orchestrion.spi;

import io.orchestrion.api.run.StepStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** What a condition can see when it is evaluated during an evaluation pass. */
public interface ConditionContext {
  /** The time of the evaluation pass (the same for every condition of one pass). */
  Instant now();

  /** The orchestration's time zone. */
  ZoneId timeZone();

  String runId();

  /** The status of the latest instance of the named step of the current stage. */
  Optional<StepStatus> stepStatus(String stepName);

  /**
   * Resolves a reference such as {@code $Record.Amount} or {@code $Step.Review.status}; empty when
   * the value is null or the reference is unknown.
   */
  Optional<Object> resolve(String reference);

  /**
   * The value a reference had at the run's previous evaluation pass (at submit for the first pass),
   * for IS_CHANGED (SPEC §5.2); empty when it was null or not observed.
   *
   * <p>The default is for hosts that keep no earlier values: nothing was observed, so it is empty,
   * and IS_CHANGED holds for every value that is set (it must not answer the current value, which
   * would make IS_CHANGED never hold).
   */
  default Optional<Object> previousValue(String reference) {
    return Optional.empty();
  }

  /**
   * Runs the active version of an evaluation flow with the given inputs and returns its output
   * {@code isOrchestrationConditionMet} (SPEC §6.5). Evaluation flows are pure, so this is safe to
   * call at every evaluation.
   *
   * @throws UnsupportedOperationException when the host cannot run flows
   */
  default boolean evaluateFlow(String apiName, Map<String, Object> inputs) {
    throw new UnsupportedOperationException("this host does not run evaluation flows");
  }
}
