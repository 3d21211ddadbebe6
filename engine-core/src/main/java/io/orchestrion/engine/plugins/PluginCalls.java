package io.orchestrion.engine.plugins;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.util.function.Supplier;

/**
 * Calls into plugin code with the plugin's class loader as the thread context class loader, and
 * turns any failure into a PLUGIN_ERROR naming the plugin, so that a plugin can fail a condition
 * but never crash the engine.
 */
public final class PluginCalls {
  private PluginCalls() {}

  public static <T> T call(String pluginId, ClassLoader loader, Supplier<T> call) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return call.get();
    } catch (OrchestrionException e) {
      throw e;
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      throw new OrchestrionException(
          StandardErrorCode.PLUGIN_ERROR,
          "Plugin '%s' failed: %s".formatted(pluginId, describe(e)),
          e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null
        ? e.getClass().getName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
