package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionLogicTest {
  private static boolean evaluate(String logic, int rows, Set<Integer> trueRows) {
    return ConditionLogic.parse(logic, rows).evaluate(trueRows::contains);
  }

  @Test
  void allAndAny() {
    assertThat(evaluate("ALL", 3, Set.of(1, 2, 3))).isTrue();
    assertThat(evaluate("ALL", 3, Set.of(1, 3))).isFalse();
    assertThat(evaluate("any", 3, Set.of(2))).isTrue();
    assertThat(evaluate("ANY", 3, Set.of())).isFalse();
  }

  @Test
  void customLogicWithPrecedenceAndParentheses() {
    String logic = "1 AND (2 OR NOT 3)";
    assertThat(evaluate(logic, 3, Set.of(1))).isTrue();
    assertThat(evaluate(logic, 3, Set.of(1, 3))).isFalse();
    assertThat(evaluate(logic, 3, Set.of(1, 2, 3))).isTrue();
    assertThat(evaluate(logic, 3, Set.of(2))).isFalse();
    // AND binds tighter than OR.
    assertThat(evaluate("1 OR 2 AND 3", 3, Set.of(1))).isTrue();
    assertThat(evaluate("1 OR 2 AND 3", 3, Set.of(2))).isFalse();
  }

  @Test
  void rejectsBadLogic() {
    assertThatThrownBy(() -> ConditionLogic.parse("1 AND 4", 4))
        .hasMessage("logic '1 AND 4' does not mention requirement(s) [2, 3]");
    assertThatThrownBy(() -> ConditionLogic.parse("1 AND 5", 2))
        .hasMessage("requirement 5 does not exist (there are 2)");
    assertThatThrownBy(() -> ConditionLogic.parse("1 XOR 2", 2))
        .hasMessage("unexpected 'XOR' in logic '1 XOR 2'");
    assertThatThrownBy(() -> ConditionLogic.parse("1 AND", 1))
        .hasMessage("logic ends unexpectedly");
    assertThatThrownBy(() -> ConditionLogic.parse("1 & 2", 2))
        .hasMessage("unexpected character '&' in logic '1 & 2'");
    assertThatThrownBy(() -> ConditionLogic.parse("1 " + "AND 1 ".repeat(200), 1))
        .hasMessage("custom logic is longer than 1000 characters");
  }
}
