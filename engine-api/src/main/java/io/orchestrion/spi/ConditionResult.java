package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer of a condition.
 *
 * @param met whether the condition holds now
 * @param recheckAt when not met: a time at which the answer may change without any event (a time
 *     window opening); the engine keeps a durable timer and evaluates the run again then
 * @param explanation a short human-readable reason, shown by "explain"
 */
public record ConditionResult(boolean met, Optional<Instant> recheckAt, String explanation) {
  public ConditionResult {
    requireNonNull(recheckAt, "recheckAt is null");
    requireNonNull(explanation, "explanation is null");
  }

  public static ConditionResult met(String explanation) {
    return new ConditionResult(true, Optional.empty(), explanation);
  }

  public static ConditionResult notMet(String explanation) {
    return new ConditionResult(false, Optional.empty(), explanation);
  }

  public static ConditionResult notMetUntil(Instant recheckAt, String explanation) {
    return new ConditionResult(false, Optional.of(recheckAt), explanation);
  }
}
