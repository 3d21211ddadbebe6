package ${package};

import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import java.util.List;

/**
 * The plugin's entry point, listed in {@code META-INF/services/io.orchestrion.spi.Plugin}. The
 * engine calls {@link #id()}, then {@link #configure(PluginContext)} with the plugin's settings
 * and secrets, then asks for the contributions.
 */
public final class MyPlugin implements Plugin {
  public static final String ID = "${pluginId}";

  private volatile String greeting = GreetActionFactory.DEFAULT_GREETING;

  /** Called by {@link java.util.ServiceLoader}: a public no-argument constructor. */
  public MyPlugin() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public void configure(PluginContext context) {
    greeting = context.setting("greeting").orElse(GreetActionFactory.DEFAULT_GREETING);
    if (greeting.isBlank()) {
      throw new IllegalArgumentException("Setting " + context.describe("greeting") + " is blank");
    }
  }

  @Override
  public List<ConditionTypeFactory> getConditionTypeFactories() {
    return List.of(new AmountAboveConditionTypeFactory());
  }

  @Override
  public List<ActionFactory> getActionFactories() {
    return List.of(new GreetActionFactory(ID + ".greet", greeting));
  }
}
