package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of a condition.
 *
 * @param met whether the condition holds now
 * @param recheckAt when not met: a time at which the answer may change without any event (a time
 *     window opening); the engine keeps a durable timer and evaluates the run again then
 * @param explanation a short human-readable reason, shown by "explain"
 * @param details structured facts behind the answer for "explain" (SPEC §5.5), JSON-like values
 *     (maps, lists, strings, numbers, booleans); empty when the condition has none
 */
public record ConditionResult(
    boolean met, Optional<Instant> recheckAt, String explanation, Map<String, Object> details) {
  public ConditionResult {
    requireNonNull(recheckAt, "recheckAt is null");
    requireNonNull(explanation, "explanation is null");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public ConditionResult(boolean met, Optional<Instant> recheckAt, String explanation) {
    this(met, recheckAt, explanation, Map.of());
  }

  /** This result with {@code details} for explanations. */
  public ConditionResult withDetails(Map<String, Object> details) {
    return new ConditionResult(met, recheckAt, explanation, details);
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
