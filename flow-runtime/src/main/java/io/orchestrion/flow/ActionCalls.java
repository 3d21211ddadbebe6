package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.ActionInvocation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Calls actions with a timeout (SPEC §9: every action call has one). */
final class ActionCalls {
  private ActionCalls() {}

  /**
   * Calls {@code action} on a virtual thread of its own and waits at most {@code timeout} for it. A
   * call that takes longer is abandoned: its thread is interrupted and the call faults, naming the
   * plugin, the action and the limit; whatever the action does afterwards is ignored.
   *
   * @throws FlowFault when the action fails or times out
   * @throws OrchestrionException INTERNAL_ERROR when the calling thread is interrupted (the engine
   *     is stopping): not a fault of the flow
   */
  static Map<String, Object> call(
      RegisteredAction action, ActionInvocation invocation, Duration timeout) {
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    Thread thread =
        Thread.ofVirtual()
            .name("orchestrion-action-" + action.id())
            .start(
                () -> {
                  try {
                    result.complete(action.invoke(invocation));
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
    try {
      return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      throw new FlowFault(
          "action '"
              + action.id()
              + "' of plugin '"
              + action.pluginId()
              + "' did not return within "
              + timeout
              + " (actionTimeout)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof OrchestrionException failure) {
        throw new FlowFault(failure.getMessage());
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new FlowFault(
          "action '" + action.id() + "' of plugin '" + action.pluginId() + "' failed: " + cause);
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "interrupted while waiting for action '" + action.id() + "'",
          e);
    }
  }
}
