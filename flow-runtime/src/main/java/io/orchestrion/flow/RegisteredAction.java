package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionInvocation;
import java.util.Map;

/**
 * An action of a loaded plugin.
 *
 * @param classLoader the plugin's class loader, made the thread context class loader during calls
 */
public record RegisteredAction(
    String pluginId, ActionDescriptor descriptor, Action action, ClassLoader classLoader) {
  public RegisteredAction {
    requireNonNull(pluginId, "pluginId is null");
    requireNonNull(descriptor, "descriptor is null");
    requireNonNull(action, "action is null");
    requireNonNull(classLoader, "classLoader is null");
  }

  public String id() {
    return descriptor.id();
  }

  /**
   * Calls the action with the plugin's class loader as the thread context class loader.
   *
   * @throws OrchestrionException PLUGIN_ERROR naming the plugin and the action when the action
   *     throws anything (or returns null)
   */
  public Map<String, Object> invoke(ActionInvocation invocation) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(classLoader);
    try {
      Map<String, Object> outputs = action.invoke(invocation);
      if (outputs == null) {
        throw new OrchestrionException(
            StandardErrorCode.PLUGIN_ERROR,
            "action '" + id() + "' of plugin '" + pluginId + "' returned null instead of outputs");
      }
      return outputs;
    } catch (OrchestrionException e) {
      if (e.getErrorCode().equals(StandardErrorCode.PLUGIN_ERROR.toErrorCode())
          && e.getMessage().contains("plugin '" + pluginId + "'")) {
        throw e;
      }
      throw failure(e);
    } catch (Exception | LinkageError | StackOverflowError e) {
      // LinkageError: a plugin built against other library versions must not crash the engine.
      throw failure(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private OrchestrionException failure(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return new OrchestrionException(
        StandardErrorCode.PLUGIN_ERROR,
        "action '" + id() + "' of plugin '" + pluginId + "' failed: " + message,
        cause);
  }
}
