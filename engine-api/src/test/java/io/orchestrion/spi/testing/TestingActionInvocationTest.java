package io.orchestrion.spi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionInvocation;
import io.orchestrion.spi.ActionParameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestingActionInvocationTest {
  /** Greets its input; counts how often it was created to check the helper creates it once. */
  private static final class GreetActionFactory implements ActionFactory {
    int created;

    @Override
    public ActionDescriptor descriptor() {
      return new ActionDescriptor(
          "greet",
          "Greets someone",
          List.of(
              ActionParameter.required("name", DataType.TEXT),
              ActionParameter.optional("punctuation", DataType.TEXT)),
          List.of(ActionParameter.required("greeting", DataType.TEXT)),
          false);
    }

    @Override
    public Action create() {
      created++;
      return invocation ->
          Map.of(
              "greeting",
              "Hello "
                  + invocation.inputs().get("name")
                  + invocation.inputs().getOrDefault("punctuation", "!")
                  + " from "
                  + invocation.runningUserId());
    }
  }

  @Test
  void invocationRunsAsTheAutomatedProcessUser() {
    ActionInvocation invocation = TestingActionInvocation.invocation(Map.of("name", "Ada"));

    assertThat(invocation.inputs()).containsExactly(Map.entry("name", "Ada"));
    assertThat(invocation.runningUserId())
        .isEqualTo(TestingActionInvocation.AUTOMATED_PROCESS_USER_ID);
    assertThat(invocation.runMode()).isEqualTo(RunMode.SYSTEM_WITHOUT_SHARING);
    assertThat(invocation.idempotencyKey()).isNotBlank();
  }

  @Test
  void invokeCreatesTheActionAndReturnsItsOutputs() throws Exception {
    GreetActionFactory factory = new GreetActionFactory();

    Map<String, Object> outputs = TestingActionInvocation.invoke(factory, Map.of("name", "Ada"));

    assertThat(outputs).containsExactly(Map.entry("greeting", "Hello Ada! from automated-process"));
    assertThat(factory.created).isEqualTo(1);
  }

  @Test
  void invokeRejectsInputsThatDoNotMatchTheDescriptor() {
    GreetActionFactory factory = new GreetActionFactory();

    assertThatThrownBy(() -> TestingActionInvocation.invoke(factory, Map.of("nmae", "Ada")))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "inputs do not match action 'greet': "
                + "[required input 'name' is missing, input 'nmae' is not declared]");
    assertThat(factory.created).isZero();
  }
}
