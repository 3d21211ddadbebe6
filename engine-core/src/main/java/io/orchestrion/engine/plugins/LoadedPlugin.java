package io.orchestrion.engine.plugins;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.Plugin;

/**
 * A plugin instance and where it came from.
 *
 * @param source for logs and start-up errors: {@code built-in}, {@code class path}, or {@code
 *     plugin directory '<sub-directory>', <jar of the plugin class>}
 */
public record LoadedPlugin(Plugin plugin, String source) {
  public static final String BUILT_IN = "built-in";
  public static final String CLASS_PATH = "class path";

  public LoadedPlugin {
    requireNonNull(plugin, "plugin is null");
    requireNonNull(source, "source is null");
  }

  public static LoadedPlugin builtIn(Plugin plugin) {
    return new LoadedPlugin(plugin, BUILT_IN);
  }

  public static LoadedPlugin fromClassPath(Plugin plugin) {
    return new LoadedPlugin(plugin, CLASS_PATH);
  }

  /** The loader of the plugin's classes: the context class loader around calls into it. */
  public ClassLoader classLoader() {
    return plugin.getClass().getClassLoader();
  }
}
