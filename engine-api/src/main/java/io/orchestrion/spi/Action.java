package io.orchestrion.spi;

import java.util.Map;

/** The implementation of an action. Must be thread-safe. */
public interface Action {
  /**
   * Runs the action. Throw an exception to fail the flow element (it takes its fault connector if
   * it has one); the message is shown with the plugin's id.
   *
   * @return output values by output name, of the declared types
   */
  Map<String, Object> invoke(ActionInvocation invocation) throws Exception;
}
