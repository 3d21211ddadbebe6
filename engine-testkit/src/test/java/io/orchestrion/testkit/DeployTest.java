package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.engine.OrchestrionEngine;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link Deploy} on the class and on the method, definitions recognised by shape and deployed in
 * dependency order, and errors that name the resource and the JSON path at fault.
 */
@OrchestrionTest(startAt = "2030-06-01T12:00:00Z", timeZone = "Europe/Paris")
@Deploy("expenses/expense.object.json")
class DeployTest {
  @Test
  void theClassResourcesAreDeployedForEveryTest(OrchestrionEngine engine, VirtualClock clock) {
    assertThat(engine.objectTypes().find("Expense")).isPresent();
    assertThat(engine.flows().list(java.util.Optional.empty(), 10).items()).isEmpty();
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
    assertThat(engine.config().timeZone()).hasToString("Europe/Paris");
    assertThat(engine.config().startWorkers()).isFalse();
    assertThat(engine.workersRunning()).isFalse();
  }

  @Test
  // Given orchestration first: the kit deploys flows before orchestrations anyway.
  @Deploy({
    "expenses/expense-approval.orchestration.json",
    "/expenses/cool-off.flow.json",
    "expenses/mark-in-review.flow.json"
  })
  void aMethodAddsItsOwnInDependencyOrder(TestEngine engine) {
    assertThat(engine.engine().orchestrations().versions("Expense_Approval")).hasSize(1);
    assertThat(engine.engine().flows().versions("Cool_Off")).hasSize(1);
  }

  @Test
  void aMissingResourceIsNamed(TestEngine engine) {
    assertThatThrownBy(() -> engine.deploy("expenses/nothing.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no definition resource 'expenses/nothing.json' on the class path");
  }

  @Test
  void aResourceOfNoKnownShapeIsRefused(TestEngine engine) {
    assertThatThrownBy(() -> engine.deploy("bad/neither.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad/neither.json' is neither an object type");
    assertThatThrownBy(() -> engine.deploy("bad/not-json.json"))
        .hasMessageStartingWith("definition resource 'bad/not-json.json' is not JSON");
  }

  @Test
  void anUnknownPropertyNamesTheResourceAndItsPath(TestEngine engine) {
    assertThatThrownBy(() -> engine.deploy("bad/unknown-property.flow.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad/unknown-property.flow.json: ")
        .hasMessageContaining("$.elements[0].durration");
  }

  @Test
  void aDefinitionTheEngineRefusesNamesTheResourceAndTheProblems(TestEngine engine) {
    // The orchestration's flows were never deployed.
    assertThatThrownBy(() -> engine.deploy("expenses/expense-approval.orchestration.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expenses/expense-approval.orchestration.json: ")
        .hasMessageContaining("Mark_In_Review")
        .hasMessageContaining("$.stages[0].steps[0]");
  }
}
