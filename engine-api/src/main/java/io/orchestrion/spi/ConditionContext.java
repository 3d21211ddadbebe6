package io.orchestrion.spi;

import io.orchestrion.api.run.StepStatus;
import java.time.Instant;
import java.time.ZoneId;
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
}
