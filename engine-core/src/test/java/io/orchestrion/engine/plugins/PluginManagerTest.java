package io.orchestrion.engine.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.engine.conditions.BuiltInConditionsPlugin;
import io.orchestrion.flow.BuiltInActionsPlugin;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginManagerTest {
  private static LoadedPlugin plugin(String id, String... conditionTypes) {
    return LoadedPlugin.fromClassPath(
        new Plugin() {
          @Override
          public String id() {
            return id;
          }

          @Override
          public List<ConditionTypeFactory> getConditionTypeFactories() {
            return java.util.Arrays.stream(conditionTypes).map(PluginManagerTest::factory).toList();
          }
        });
  }

  private static ConditionTypeFactory factory(String id) {
    return new ConditionTypeFactory() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public ConditionType create(io.orchestrion.spi.ConditionSetup setup) {
        return context -> ConditionResult.met("always");
      }
    };
  }

  @Test
  void builtInsAndClassPathPluginsAreRegisteredTogether() {
    PluginManager manager =
        PluginManager.loadFromClassPath(
            List.of(new BuiltInConditionsPlugin(), new BuiltInActionsPlugin()),
            getClass().getClassLoader());

    assertThat(manager.pluginIds())
        .startsWith("orchestrion-builtin-conditions", "orchestrion-builtin-actions");
    assertThat(manager.conditionType("STAGE_STARTS")).isPresent();
    assertThat(manager.conditionType("STEP_COMPLETED")).isPresent();
    assertThat(manager.conditionType("ALL_STEPS_COMPLETED")).isPresent();
    assertThat(manager.conditionType("NOPE")).isEmpty();
    assertThat(manager.actions().find("log")).isPresent();
  }

  @Test
  void aConditionTypeContributedTwiceIsRejectedNamingBothPlugins() {
    assertThatThrownBy(
            () -> new PluginManager(List.of(plugin("first", "SAME"), plugin("second", "SAME"))))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("SAME")
        .hasMessageContaining("first")
        .hasMessageContaining("second");
  }

  @Test
  void duplicatePluginIdsAndInvalidIdsAreRejected() {
    assertThatThrownBy(() -> new PluginManager(List.of(plugin("twin"), plugin("twin"))))
        .hasMessageContaining("Duplicate plugin id 'twin'");
    assertThatThrownBy(() -> new PluginManager(List.of(plugin("Bad Id"))))
        .hasMessageContaining("Invalid plugin id 'Bad Id'");
    assertThatThrownBy(() -> new PluginManager(List.of(plugin("fine", "lower_case"))))
        .hasMessageContaining("Invalid condition type id 'lower_case'");
  }

  @Test
  void aPluginThatThrowsIsReportedWithItsIdAndTheContextClassLoaderIsRestored() {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    assertThatThrownBy(
            () ->
                PluginCalls.call(
                    "broken",
                    new ClassLoader() {},
                    () -> {
                      throw new IllegalStateException("kaboom");
                    }))
        .isInstanceOf(OrchestrionException.class)
        .hasMessage("Plugin 'broken' failed: IllegalStateException: kaboom");
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
  }
}
