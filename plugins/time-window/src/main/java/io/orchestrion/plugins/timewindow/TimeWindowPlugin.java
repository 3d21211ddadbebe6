package io.orchestrion.plugins.timewindow;

import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import java.util.List;

/**
 * The plugin's entry point, listed in {@code META-INF/services/io.orchestrion.spi.Plugin} so that
 * {@link java.util.ServiceLoader} finds it. It only returns its contributions: the engine validates
 * their ids and registers them.
 */
public final class TimeWindowPlugin implements Plugin {
  public static final String ID = "time-window";

  /** Called by {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public TimeWindowPlugin() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<ConditionTypeFactory> getConditionTypeFactories() {
    return List.of(new TimeWindowConditionTypeFactory());
  }
}
