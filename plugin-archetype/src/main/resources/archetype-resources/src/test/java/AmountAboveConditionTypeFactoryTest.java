package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.testing.TestingConditionContext;
import io.orchestrion.spi.testing.TestingConditionSetup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmountAboveConditionTypeFactoryTest {
  private static final String AMOUNT = "${symbol_dollar}Record.Amount";
  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

  private static ConditionType deploy(Map<String, Object> config) {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(config);
    ConditionType condition = new AmountAboveConditionTypeFactory().create(setup);
    setup.assertNoProblems();
    return condition;
  }

  @Test
  void isMetAboveTheThresholdOnly() {
    ConditionType condition = deploy(Map.of("value", AMOUNT, "above", 1000));

    assertThat(
            condition
                .evaluate(TestingConditionContext.at(NOW).withReference(AMOUNT, new BigDecimal("1500")))
                .met())
        .isTrue();
    assertThat(
            condition
                .evaluate(TestingConditionContext.at(NOW).withReference(AMOUNT, new BigDecimal("1000")))
                .met())
        .isFalse();
    assertThat(condition.evaluate(TestingConditionContext.at(NOW)).met()).isFalse();
  }

  @Test
  void reportsEveryConfigurationProblem() {
    TestingConditionSetup setup =
        TestingConditionSetup.withConfig(Map.of("above", "many", "colour", "red"));

    new AmountAboveConditionTypeFactory().create(setup);

    assertThat(setup.problemProperties()).containsExactlyInAnyOrder("colour", "value", "above");
  }
}
