package io.orchestrion.engine.plugins;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The class loader of one sub-directory of the plugin directory. Its parent is the platform class
 * loader, so a plugin sees the JDK and its own jars but none of the host's libraries (Guice,
 * Jackson, the engine itself) nor other plugins. The one exception is the engine-api packages
 * ({@code io.orchestrion.api} and {@code io.orchestrion.spi} with their sub-packages), classes and
 * resources alike, which come from the host's loader: the plugin and the engine must share the SPI
 * types for the engine to call the plugin at all.
 *
 * <p>Other classes come from the plugin's jars first and then from the platform loader, so that a
 * plugin's bundled libraries win. Packages of the JDK's own modules are the exception: their
 * classes come from the platform first, because a plugin jar bundling an old copy of a JDK API
 * (xml-apis, say) would otherwise split it between the plugin and the JDK code that uses it.
 */
final class PluginClassLoader extends URLClassLoader {
  private static final List<String> SHARED_CLASS_PREFIXES =
      List.of("io.orchestrion.api.", "io.orchestrion.spi.");
  private static final List<String> SHARED_RESOURCE_PREFIXES =
      List.of("io/orchestrion/api/", "io/orchestrion/spi/");

  /** Packages of the JDK modules the platform loader sees (boot and platform modules). */
  private static final Set<String> JDK_PACKAGES =
      ModuleLayer.boot().modules().stream()
          .filter(
              module ->
                  module.getClassLoader() == null
                      || module.getClassLoader() == ClassLoader.getPlatformClassLoader())
          .flatMap(module -> module.getPackages().stream())
          .collect(Collectors.toUnmodifiableSet());

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader host;
  private final Path directory;

  PluginClassLoader(Path directory, List<Path> jars, ClassLoader host) {
    super("plugin:" + directory.getFileName(), urls(jars), getPlatformClassLoader());
    this.directory = requireNonNull(directory, "directory is null");
    this.host = requireNonNull(host, "host is null");
  }

  /** The plugin's sub-directory. */
  Path directory() {
    return directory;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (startsWithAny(name, SHARED_CLASS_PREFIXES)) {
      return host.loadClass(name);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        loaded = isJdkClass(name) ? parentThenOwn(name) : ownThenParent(name);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  private Class<?> ownThenParent(String name) throws ClassNotFoundException {
    try {
      return findClass(name);
    } catch (ClassNotFoundException notInThePluginsJars) {
      return getParent().loadClass(name);
    }
  }

  private Class<?> parentThenOwn(String name) throws ClassNotFoundException {
    try {
      return getParent().loadClass(name);
    } catch (ClassNotFoundException notInTheJdk) {
      return findClass(name);
    }
  }

  @Override
  public URL getResource(String name) {
    if (startsWithAny(name, SHARED_RESOURCE_PREFIXES)) {
      return host.getResource(name);
    }
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (startsWithAny(name, SHARED_RESOURCE_PREFIXES)) {
      return host.getResources(name);
    }
    List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
    urls.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(urls);
  }

  @Override
  public String toString() {
    return "PluginClassLoader[" + directory + "]";
  }

  private static boolean isJdkClass(String name) {
    int lastDot = name.lastIndexOf('.');
    return lastDot > 0 && JDK_PACKAGES.contains(name.substring(0, lastDot));
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static URL[] urls(List<Path> jars) {
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new UncheckedIOException(e);
      }
    }
    return urls;
  }
}
