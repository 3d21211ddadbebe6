package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.OrchestrionEngine;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A {@link Nested} class inherits the settings and the {@link Deploy} resources around it. */
@OrchestrionTest(startAt = "2031-03-01T08:00:00Z")
@Deploy("expenses/expense.object.json")
class NestedTest {
  @Test
  void theOuterClassHasItsOwn(OrchestrionEngine engine) {
    assertThat(engine.objectTypes().find("Expense")).isPresent();
    assertThat(engine.flows().list(Optional.empty(), 10).items()).isEmpty();
  }

  @Nested
  @Deploy("expenses/cool-off.flow.json")
  class WithAWaitingFlow {
    @Test
    void bothClassesResourcesAreDeployed(OrchestrionEngine engine, VirtualClock clock) {
      assertThat(engine.objectTypes().find("Expense")).isPresent();
      assertThat(engine.flows().versions("Cool_Off")).hasSize(1);
      assertThat(clock.instant()).isEqualTo(Instant.parse("2031-03-01T08:00:00Z"));
    }
  }
}
