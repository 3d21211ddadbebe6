package io.orchestrion.spi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.StepStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestingConditionContextTest {
  private static final Instant NOW = Instant.parse("2025-03-03T10:00:00Z");

  @Test
  void answersWithItsFixedValues() {
    TestingConditionContext context =
        TestingConditionContext.at(NOW)
            .withTimeZone(ZoneId.of("Europe/Paris"))
            .withRunId("run-42")
            .withStepStatus("Review", StepStatus.COMPLETED)
            .withReference("$Record.Amount", 500);

    assertThat(context.now()).isEqualTo(NOW);
    assertThat(context.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(context.runId()).isEqualTo("run-42");
    assertThat(context.stepStatus("Review")).contains(StepStatus.COMPLETED);
    assertThat(context.stepStatus("Unknown")).isEmpty();
    assertThat(context.resolve("$Record.Amount")).contains(500);
    assertThat(context.resolve("$Record.Missing")).isEmpty();
  }

  @Test
  void startsInUtcWithNothingElse() {
    TestingConditionContext context = TestingConditionContext.at(NOW);

    assertThat(context.timeZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(context.runId()).isEqualTo("run-1");
    assertThat(context.stepStatuses()).isEmpty();
    assertThat(context.references()).isEmpty();
  }

  @Test
  void withMethodsLeaveTheOriginalUnchanged() {
    TestingConditionContext original = TestingConditionContext.at(NOW);

    TestingConditionContext later =
        original.withNow(NOW.plusSeconds(60)).withStepStatus("Review", StepStatus.ERROR);

    assertThat(original.now()).isEqualTo(NOW);
    assertThat(original.stepStatus("Review")).isEmpty();
    assertThat(later.now()).isEqualTo(NOW.plusSeconds(60));
    assertThat(later.stepStatus("Review")).contains(StepStatus.ERROR);
  }
}
