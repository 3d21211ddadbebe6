package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.testing.PluginContract;
import io.orchestrion.spi.testing.TestingActionInvocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MyPluginTest {
  @Test
  void serviceLoaderFindsThePluginAndItFollowsTheContract() {
    Plugin plugin = PluginContract.assertOnClassPath("${pluginId}");

    assertThat(plugin).isInstanceOf(MyPlugin.class);
    assertThat(PluginContract.violations(plugin)).isEmpty();
  }

  @Test
  void theGreetingComesFromThePluginSettings() throws Exception {
    MyPlugin plugin = new MyPlugin();
    plugin.configure(new PluginContext("${pluginId}", Map.of("greeting", "Bonjour"), Map.of()));

    Map<String, Object> outputs =
        TestingActionInvocation.invoke(
            plugin.getActionFactories().getFirst(), Map.of("name", "Ada"));

    assertThat(outputs).containsEntry("greeting", "Bonjour, Ada!");
  }

  @Test
  void aBlankGreetingIsRejected() {
    assertThatThrownBy(
            () ->
                new MyPlugin()
                    .configure(
                        new PluginContext("${pluginId}", Map.of("greeting", " "), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plugins.${pluginId}.greeting");
  }
}
