package io.orchestrion.engine.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.object.DataType;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.spi.ConditionContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5.2: IS_CHANGED compares with the value seen before. A host that keeps no earlier values
 * (and so does not override {@link ConditionContext#previousValue}) has seen nothing: a set value
 * counts as changed, a null one as unchanged.
 */
class IsChangedDefaultTest {
  @Test
  void isChangedHoldsForASetValueWhenTheHostKeepsNoEarlierValues() {
    List<String> problems = new ArrayList<>();
    RequirementSet changed =
        RequirementSet.compile(
                List.of(
                    Map.of(
                        "left", Map.of("ref", "$Record.Status"),
                        "operator", "IS_CHANGED",
                        "right", Map.of("value", true))),
                "ALL",
                reference -> Optional.of(DataType.TEXT),
                (path, message) -> problems.add(path + ": " + message))
            .orElseThrow(() -> new AssertionError(problems));

    assertThat(changed.evaluate(new ForgetfulHost("Approved")).met()).isTrue();
    assertThat(changed.evaluate(new ForgetfulHost(null)).met()).isFalse();
  }

  /** A host that resolves references but does not override {@code previousValue}. */
  private record ForgetfulHost(String status) implements ConditionContext {
    @Override
    public Instant now() {
      return Instant.parse("2025-03-01T09:00:00Z");
    }

    @Override
    public ZoneId timeZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public String runId() {
      return "run-1";
    }

    @Override
    public Optional<StepStatus> stepStatus(String stepName) {
      return Optional.empty();
    }

    @Override
    public Optional<Object> resolve(String reference) {
      return reference.equals("$Record.Status") ? Optional.ofNullable(status) : Optional.empty();
    }
  }
}
