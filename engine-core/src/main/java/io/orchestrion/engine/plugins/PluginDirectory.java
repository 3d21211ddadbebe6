package io.orchestrion.engine.plugins;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the plugins of a plugin directory. Each sub-directory holds the jars of one plugin (or of a
 * few plugins shipped together) and gets its own {@link PluginClassLoader}; its plugins are the
 * {@link Plugin} providers listed in those jars' {@code
 * META-INF/services/io.orchestrion.spi.Plugin} files.
 *
 * <p>Anything that looks like a botched installation stops the start-up rather than being skipped,
 * because a skipped plugin only shows up later, as "unknown condition type" when a definition is
 * deployed: a sub-directory without jars, jars without a plugin, a plugin that cannot be
 * instantiated, and a jar lying directly in the plugin directory. Hidden entries (names starting
 * with a dot) and other plain files (a README) are ignored.
 */
final class PluginDirectory {
  private static final Logger log = LoggerFactory.getLogger(PluginDirectory.class);
  private static final String SERVICES_FILE = "META-INF/services/" + Plugin.class.getName();

  private PluginDirectory() {}

  /** The plugins of every sub-directory of {@code directory}, in the order of their names. */
  static List<LoadedPlugin> load(Path directory, ClassLoader host) {
    if (!Files.isDirectory(directory)) {
      throw startupError(
          "Plugin directory '%s' does not exist or is not a directory".formatted(directory));
    }
    List<LoadedPlugin> plugins = new ArrayList<>();
    for (Path entry : sortedEntries(directory)) {
      String name = entry.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (Files.isDirectory(entry)) {
        plugins.addAll(loadSubDirectory(entry, host));
      } else if (name.endsWith(".jar")) {
        throw startupError(
            ("Jar '%s' lies directly in the plugin directory '%s': put the jars of each plugin in"
                    + " a sub-directory of their own, e.g. '%s'")
                .formatted(name, directory, directory.resolve(stripJar(name)).resolve(name)));
      } else {
        log.debug("Ignoring '{}' in the plugin directory: not a sub-directory", entry);
      }
    }
    return plugins;
  }

  private static List<LoadedPlugin> loadSubDirectory(Path subDirectory, ClassLoader host) {
    List<Path> jars =
        sortedEntries(subDirectory).stream()
            .filter(path -> path.getFileName().toString().endsWith(".jar"))
            .filter(Files::isRegularFile)
            .toList();
    if (jars.isEmpty()) {
      throw startupError(
          ("Plugin sub-directory '%s' contains no jar: each sub-directory of the plugin directory"
                  + " holds the jars of one plugin")
              .formatted(subDirectory));
    }
    PluginClassLoader loader = new PluginClassLoader(subDirectory, jars, host);
    try {
      List<LoadedPlugin> plugins = new ArrayList<>();
      for (ServiceLoader.Provider<Plugin> provider : providers(subDirectory, jars, loader)) {
        // ServiceLoader also finds providers visible through the parent; only the sub-directory's
        // own belong to this plugin.
        if (provider.type().getClassLoader() != loader) {
          continue;
        }
        Plugin plugin = instantiate(subDirectory, provider, loader);
        plugins.add(
            new LoadedPlugin(
                plugin, "plugin directory '%s', %s".formatted(subDirectory, jarOf(provider))));
      }
      if (plugins.isEmpty()) {
        throw startupError(
            ("Plugin sub-directory '%s' has no plugin: none of its jars %s lists an implementation"
                    + " of %s in %s")
                .formatted(subDirectory, names(jars), Plugin.class.getName(), SERVICES_FILE));
      }
      return plugins;
    } catch (RuntimeException | Error e) {
      closeQuietly(loader, e);
      throw e;
    }
  }

  private static List<ServiceLoader.Provider<Plugin>> providers(
      Path subDirectory, List<Path> jars, PluginClassLoader loader) {
    try {
      return withContextLoader(
          loader, () -> ServiceLoader.load(Plugin.class, loader).stream().toList());
    } catch (ServiceConfigurationError | LinkageError e) {
      throw startupError(
          "Plugin sub-directory '%s' (jars %s) lists a plugin that cannot be loaded: %s"
              .formatted(subDirectory, names(jars), describe(e)),
          e);
    }
  }

  private static Plugin instantiate(
      Path subDirectory, ServiceLoader.Provider<Plugin> provider, PluginClassLoader loader) {
    try {
      return withContextLoader(loader, provider::get);
    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
      throw startupError(
          "Plugin class '%s' in '%s' (plugin sub-directory '%s') could not be instantiated: %s"
              .formatted(provider.type().getName(), jarOf(provider), subDirectory, describe(e)),
          e);
    }
  }

  // A plugin's static initializer or constructor may look resources up through the context class
  // loader, as every later call into it can.
  private static <T> T withContextLoader(ClassLoader loader, Supplier<T> call) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return call.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String jarOf(ServiceLoader.Provider<Plugin> provider) {
    var codeSource = provider.type().getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      return "(unknown jar)";
    }
    String location = codeSource.getLocation().getPath();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** The innermost cause names what is wrong; the wrappers only say that something was. */
  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message =
        cause.getMessage() == null
            ? cause.getClass().getName()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return cause == e ? message : e.getMessage() + " (" + message + ")";
  }

  private static List<Path> sortedEntries(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw startupError("Cannot list plugin directory '%s': %s".formatted(directory, e), e);
    }
  }

  private static List<String> names(List<Path> jars) {
    return jars.stream().map(jar -> jar.getFileName().toString()).toList();
  }

  private static String stripJar(String name) {
    return name.substring(0, name.length() - ".jar".length());
  }

  private static void closeQuietly(PluginClassLoader loader, Throwable failure) {
    try {
      loader.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static OrchestrionException startupError(String message) {
    return new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, message);
  }

  private static OrchestrionException startupError(String message, Throwable cause) {
    return new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, message, cause);
  }
}
