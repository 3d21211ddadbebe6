package io.orchestrion.spi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.spi.testing.TestingConditionSetup.ReportedProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestingConditionSetupTest {
  @Test
  void defaultsToTheStartConditionOfALoneStep() {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(Map.of("step", "Review"));

    assertThat(setup.config()).containsExactly(Map.entry("step", "Review"));
    assertThat(setup.stepName()).contains("Step");
    assertThat(setup.stageStepNames()).containsExactly("Step");
  }

  @Test
  void describesOtherStepsAndStageExits() {
    TestingConditionSetup base = TestingConditionSetup.withConfig(Map.of());

    TestingConditionSetup step = base.withStep("Notify", List.of("Review", "Notify"));
    TestingConditionSetup exit = base.withStageExit(List.of("Review", "Notify"));

    assertThat(step.stepName()).contains("Notify");
    assertThat(step.stageStepNames()).containsExactly("Review", "Notify");
    assertThat(exit.stepName()).isEmpty();
    assertThat(exit.stageStepNames()).containsExactly("Review", "Notify");
    assertThat(exit.requiredStepNames()).containsExactly("Review", "Notify");
    assertThat(exit.withRequiredStepNames(List.of("Review")).requiredStepNames())
        .containsExactly("Review");
  }

  @Test
  void keepsJsonNullValues() {
    Map<String, Object> config = new HashMap<>();
    config.put("days", null);

    assertThat(TestingConditionSetup.withConfig(config).config()).containsEntry("days", null);
  }

  @Test
  void recordsProblemsInOrder() {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(Map.of());

    setup.problem("from", "is required");
    setup.problem("", "makes no sense");

    assertThat(setup.hasProblems()).isTrue();
    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem("from", "is required"), new ReportedProblem("", "makes no sense"));
    assertThat(setup.problemProperties()).containsExactly("from", "");
    assertThatThrownBy(setup::assertNoProblems)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "expected no configuration problems but got [from: is required, <condition>: makes no"
                + " sense]");
  }

  @Test
  void assertNoProblemsPassesWhenNothingWasReported() {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(Map.of());

    setup.assertNoProblems();

    assertThat(setup.problems()).isEmpty();
  }
}
