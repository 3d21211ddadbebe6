package io.orchestrion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionInvocation;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ActionRegistryTest {
  private static final ActionInvocation INVOCATION =
      new ActionInvocation(
          Map.of("message", "hi"), "key-1", "automated-process", RunMode.SYSTEM_WITHOUT_SHARING);

  private static RegisteredAction action(
      String pluginId, String id, io.orchestrion.spi.Action action, ClassLoader loader) {
    return new RegisteredAction(
        pluginId, new ActionDescriptor(id, "test", List.of(), List.of(), false), action, loader);
  }

  @Test
  void builtInLogActionIsRegisteredAndRuns() {
    SimpleActionRegistry registry =
        SimpleActionRegistry.fromPlugins(List.of(new BuiltInActionsPlugin()));

    RegisteredAction log = registry.find("log").orElseThrow();

    assertThat(log.pluginId()).isEqualTo("orchestrion-builtin-actions");
    assertThat(log.descriptor().externalSideEffects()).isFalse();
    assertThat(log.invoke(INVOCATION)).isEmpty();
    assertThat(registry.find("mail.send")).isEmpty();
  }

  @Test
  void rejectsDuplicateAndInvalidIds() {
    ClassLoader loader = getClass().getClassLoader();
    assertThatThrownBy(
            () ->
                new SimpleActionRegistry(
                    List.of(
                        action("one", "log", invocation -> Map.of(), loader),
                        action("two", "log", invocation -> Map.of(), loader))))
        .hasMessage("action 'log' is contributed twice: by plugin 'one' and by plugin 'two'");
    assertThatThrownBy(
            () ->
                new SimpleActionRegistry(
                    List.of(action("one", "Send Mail", invocation -> Map.of(), loader))))
        .hasMessageContaining("action id 'Send Mail' of plugin 'one' does not match");
  }

  @Test
  void invokingSwitchesTheContextClassLoaderAndNamesThePluginOnFailure() throws Exception {
    AtomicReference<ClassLoader> seen = new AtomicReference<>();
    try (URLClassLoader pluginLoader = new URLClassLoader(new URL[0], null)) {
      RegisteredAction failing =
          action(
              "mail-plugin",
              "mail.send",
              invocation -> {
                seen.set(Thread.currentThread().getContextClassLoader());
                throw new IllegalStateException("SMTP down");
              },
              pluginLoader);
      ClassLoader before = Thread.currentThread().getContextClassLoader();

      assertThatThrownBy(() -> failing.invoke(INVOCATION))
          .isInstanceOfSatisfying(
              OrchestrionException.class,
              e ->
                  assertThat(e.getErrorCode())
                      .isEqualTo(StandardErrorCode.PLUGIN_ERROR.toErrorCode()))
          .hasMessage("action 'mail.send' of plugin 'mail-plugin' failed: SMTP down");
      assertThat(seen.get()).isSameAs(pluginLoader);
      assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }
  }
}
