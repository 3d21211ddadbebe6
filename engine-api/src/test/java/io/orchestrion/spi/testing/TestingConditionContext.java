package io.orchestrion.spi.testing;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.spi.ConditionContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ConditionContext} with fixed answers, for evaluating a condition in a test. Immutable:
 * the {@code with*} methods return modified copies.
 *
 * <pre>{@code
 * ConditionResult result =
 *     condition.evaluate(
 *         TestingConditionContext.at(Instant.parse("2025-03-03T10:00:00Z"))
 *             .withTimeZone(ZoneId.of("Europe/Paris"))
 *             .withStepStatus("Review", StepStatus.COMPLETED));
 * }</pre>
 *
 * @param now the time of the evaluation pass
 * @param timeZone the orchestration's time zone
 * @param stepStatuses the status of the latest instance of each step of the current stage; a step
 *     that is absent has no instance
 * @param references the values of references such as {@code $Record.Amount}; an absent reference
 *     resolves to empty (which is also how a null value looks to a condition)
 */
public record TestingConditionContext(
    Instant now,
    ZoneId timeZone,
    String runId,
    Map<String, StepStatus> stepStatuses,
    Map<String, Object> references)
    implements ConditionContext {
  public TestingConditionContext {
    requireNonNull(now, "now is null");
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(runId, "runId is null");
    stepStatuses = Map.copyOf(stepStatuses);
    references = Map.copyOf(references);
  }

  /** A context at {@code now} in UTC, for run {@code "run-1"}, with no steps and no references. */
  public static TestingConditionContext at(Instant now) {
    return new TestingConditionContext(now, ZoneOffset.UTC, "run-1", Map.of(), Map.of());
  }

  public TestingConditionContext withNow(Instant now) {
    return new TestingConditionContext(now, timeZone, runId, stepStatuses, references);
  }

  public TestingConditionContext withTimeZone(ZoneId timeZone) {
    return new TestingConditionContext(now, timeZone, runId, stepStatuses, references);
  }

  public TestingConditionContext withRunId(String runId) {
    return new TestingConditionContext(now, timeZone, runId, stepStatuses, references);
  }

  public TestingConditionContext withStepStatus(String stepName, StepStatus status) {
    Map<String, StepStatus> copy = new HashMap<>(stepStatuses);
    copy.put(
        requireNonNull(stepName, "stepName is null"), requireNonNull(status, "status is null"));
    return new TestingConditionContext(now, timeZone, runId, copy, references);
  }

  public TestingConditionContext withReference(String reference, Object value) {
    Map<String, Object> copy = new HashMap<>(references);
    copy.put(
        requireNonNull(reference, "reference is null"), requireNonNull(value, "value is null"));
    return new TestingConditionContext(now, timeZone, runId, stepStatuses, copy);
  }

  @Override
  public Optional<StepStatus> stepStatus(String stepName) {
    return Optional.ofNullable(stepStatuses.get(stepName));
  }

  @Override
  public Optional<Object> resolve(String reference) {
    return Optional.ofNullable(references.get(reference));
  }
}
