package io.orchestrion.spi.testing;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionInvocation;
import io.orchestrion.spi.ActionParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Helpers to call an action the way a flow's Action element does, without an engine.
 *
 * <pre>{@code
 * Map<String, Object> outputs =
 *     TestingActionInvocation.invoke(new MailSendActionFactory(), Map.of("to", "ada@example.com"));
 * }</pre>
 */
public final class TestingActionInvocation {
  /** The user automated interviews run as when nothing else is configured. */
  public static final String AUTOMATED_PROCESS_USER_ID = "automated-process";

  private TestingActionInvocation() {}

  /**
   * An invocation with the given inputs, a fixed idempotency key, as the automated process user in
   * {@link RunMode#SYSTEM_WITHOUT_SHARING}.
   */
  public static ActionInvocation invocation(Map<String, Object> inputs) {
    return new ActionInvocation(
        inputs,
        "test-idempotency-key-1",
        AUTOMATED_PROCESS_USER_ID,
        RunMode.SYSTEM_WITHOUT_SHARING);
  }

  /**
   * Checks the inputs against the factory's descriptor as deploy-time checks would (required inputs
   * present, no undeclared inputs), creates the action and invokes it once.
   *
   * @throws AssertionError when the inputs do not match the descriptor
   * @throws Exception whatever the action throws
   */
  public static Map<String, Object> invoke(ActionFactory factory, Map<String, Object> inputs)
      throws Exception {
    return invoke(factory, invocation(inputs));
  }

  /** Like {@link #invoke(ActionFactory, Map)} with a complete invocation. */
  public static Map<String, Object> invoke(ActionFactory factory, ActionInvocation invocation)
      throws Exception {
    requireNonNull(factory, "factory is null");
    List<String> problems = inputProblems(factory.descriptor().inputs(), invocation.inputs());
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "inputs do not match action '" + factory.descriptor().id() + "': " + problems);
    }
    Action action = factory.create();
    Map<String, Object> outputs = action.invoke(invocation);
    if (outputs == null) {
      throw new AssertionError(
          "action '" + factory.descriptor().id() + "' returned null; return an empty map instead");
    }
    return outputs;
  }

  private static List<String> inputProblems(
      List<ActionParameter> declared, Map<String, Object> inputs) {
    List<String> problems = new ArrayList<>();
    for (ActionParameter parameter : declared) {
      if (parameter.required() && inputs.get(parameter.name()) == null) {
        problems.add("required input '" + parameter.name() + "' is missing");
      }
    }
    for (String name : inputs.keySet()) {
      if (declared.stream().noneMatch(parameter -> parameter.name().equals(name))) {
        problems.add("input '" + name + "' is not declared");
      }
    }
    return problems;
  }
}
