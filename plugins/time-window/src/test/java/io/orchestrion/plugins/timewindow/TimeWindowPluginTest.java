package io.orchestrion.plugins.timewindow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.testing.PluginContract;
import org.junit.jupiter.api.Test;

class TimeWindowPluginTest {
  @Test
  void serviceLoaderFindsThePluginOnTheClassPath() {
    Plugin plugin = PluginContract.assertOnClassPath("time-window");

    assertThat(plugin).isInstanceOf(TimeWindowPlugin.class);
    assertThat(plugin.getConditionTypeFactories())
        .extracting(ConditionTypeFactory::id)
        .containsExactly("TIME_WINDOW");
    assertThat(plugin.getActionFactories()).isEmpty();
  }

  @Test
  void followsThePluginContract() {
    assertThat(PluginContract.violations(new TimeWindowPlugin())).isEmpty();
  }
}
