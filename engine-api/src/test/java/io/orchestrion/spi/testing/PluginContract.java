package io.orchestrion.spi.testing;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks plugins against the rules the engine enforces when it loads them (docs/plugins.md), so
 * that a plugin author finds out in a unit test rather than at the host's start-up:
 *
 * <ul>
 *   <li>the plugin is found by {@link ServiceLoader} through {@code
 *       META-INF/services/io.orchestrion.spi.Plugin} and can be instantiated;
 *   <li>plugin and action ids match {@value #LOWER_CASE_ID}, condition type ids match {@value
 *       #UPPER_CASE_ID};
 *   <li>no id is contributed twice (within a plugin or across the plugins checked together);
 *   <li>no method returns {@code null}, no action declares a parameter name twice.
 * </ul>
 *
 * <p>Like the host, the contract calls plugin code with the plugin's class loader as the thread
 * context class loader.
 *
 * <pre>{@code
 * @Test
 * void pluginIsFoundOnTheClassPath() {
 *   Plugin plugin = PluginContract.assertOnClassPath("time-window");
 *   assertThat(plugin).isInstanceOf(TimeWindowPlugin.class);
 * }
 * }</pre>
 */
public final class PluginContract {
  /** The syntax of plugin ids and action ids, e.g. {@code time-window} or {@code mail.send}. */
  public static final String LOWER_CASE_ID = "[a-z][a-z0-9_.-]*";

  /** The syntax of condition type ids, e.g. {@code TIME_WINDOW}. */
  public static final String UPPER_CASE_ID = "[A-Z][A-Z0-9_]*";

  private static final Pattern PLUGIN_OR_ACTION_ID = Pattern.compile(LOWER_CASE_ID);
  private static final Pattern CONDITION_TYPE_ID = Pattern.compile(UPPER_CASE_ID);

  private PluginContract() {}

  /**
   * Loads every plugin that {@link ServiceLoader} finds through {@code classLoader}, in class path
   * order.
   *
   * @throws AssertionError when a listed provider cannot be loaded or instantiated
   */
  public static List<Plugin> loadPlugins(ClassLoader classLoader) {
    requireNonNull(classLoader, "classLoader is null");
    List<Plugin> plugins = new ArrayList<>();
    Iterator<Plugin> iterator = ServiceLoader.load(Plugin.class, classLoader).iterator();
    try {
      while (iterator.hasNext()) {
        plugins.add(iterator.next());
      }
    } catch (ServiceConfigurationError e) {
      throw new AssertionError("cannot load a plugin listed in META-INF/services: " + e, e);
    }
    return List.copyOf(plugins);
  }

  /** Loads every plugin on the class path this class was loaded from (the test class path). */
  public static List<Plugin> loadPlugins() {
    return loadPlugins(PluginContract.class.getClassLoader());
  }

  /**
   * Checks every plugin on the test class path together and returns the one with {@code pluginId}.
   *
   * @throws AssertionError when no plugin has that id, or when any plugin breaks the contract
   */
  public static Plugin assertOnClassPath(String pluginId) {
    List<Plugin> plugins = loadPlugins();
    assertValid(plugins);
    return plugins.stream()
        .filter(plugin -> plugin.id().equals(pluginId))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no plugin with id '"
                        + pluginId
                        + "' on the class path; found "
                        + plugins.stream().map(Plugin::id).toList()
                        + ". Is it listed in META-INF/services/io.orchestrion.spi.Plugin?"));
  }

  /** Throws an {@link AssertionError} listing every violation of the contract by {@code plugin}. */
  public static void assertValid(Plugin plugin) {
    assertValid(List.of(plugin));
  }

  /**
   * Throws an {@link AssertionError} listing every violation by the given plugins, checked together
   * as if the host loaded them all (so ids must be unique across them).
   */
  public static void assertValid(List<Plugin> plugins) {
    List<String> violations = violations(plugins);
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "plugin contract violated:"
              + System.lineSeparator()
              + "  "
              + String.join(System.lineSeparator() + "  ", violations));
    }
  }

  /** Every violation of the contract by {@code plugin}; empty when it is fine. */
  public static List<String> violations(Plugin plugin) {
    return violations(List.of(plugin));
  }

  /** Every violation by the given plugins checked together; empty when they are fine. */
  public static List<String> violations(List<Plugin> plugins) {
    return violations(plugins, Optional.empty());
  }

  /**
   * Throws an {@link AssertionError} listing every violation by {@code plugin} configured with
   * {@code context}, as the host does: {@link Plugin#configure} is called after {@code id()} and
   * before the factories are asked for.
   */
  public static void assertValid(Plugin plugin, PluginContext context) {
    List<String> violations = violations(plugin, context);
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "plugin contract violated:"
              + System.lineSeparator()
              + "  "
              + String.join(System.lineSeparator() + "  ", violations));
    }
  }

  /**
   * Every violation by {@code plugin} configured with {@code context} (see {@link
   * #assertValid(Plugin, PluginContext)}). Besides the checks of {@link #violations(Plugin)}: the
   * context's plugin id must be the plugin's; {@code configure} may refuse settings only with an
   * {@link IllegalArgumentException}, whose message never contains a secret's value.
   */
  public static List<String> violations(Plugin plugin, PluginContext context) {
    return violations(List.of(plugin), Optional.of(requireNonNull(context, "context is null")));
  }

  private static List<String> violations(List<Plugin> plugins, Optional<PluginContext> context) {
    List<String> violations = new ArrayList<>();
    Map<String, String> pluginIds = new HashMap<>();
    Map<String, String> conditionTypeOwners = new HashMap<>();
    Map<String, String> actionOwners = new HashMap<>();
    for (Plugin plugin : plugins) {
      new PluginCheck(plugin, context, violations)
          .run(pluginIds, conditionTypeOwners, actionOwners);
    }
    return List.copyOf(violations);
  }

  /** The checks of one plugin; a plugin's failures are collected, never propagated. */
  private static final class PluginCheck {
    private final Plugin plugin;
    private final Optional<PluginContext> context;
    private final List<String> violations;
    private String label;

    PluginCheck(Plugin plugin, Optional<PluginContext> context, List<String> violations) {
      this.plugin = requireNonNull(plugin, "plugin is null");
      this.context = context;
      this.violations = violations;
      this.label = "plugin " + plugin.getClass().getName();
    }

    void run(
        Map<String, String> pluginIds,
        Map<String, String> conditionTypeOwners,
        Map<String, String> actionOwners) {
      Optional<String> maybeId = call("id()", plugin::id);
      if (maybeId.isEmpty()) {
        return;
      }
      String id = maybeId.get();
      label = "plugin '" + id + "' (" + plugin.getClass().getName() + ")";
      if (!PLUGIN_OR_ACTION_ID.matcher(id).matches()) {
        violation("id '" + id + "' does not match " + LOWER_CASE_ID);
      }
      String previous = pluginIds.putIfAbsent(id, plugin.getClass().getName());
      if (previous != null) {
        violation("id '" + id + "' is also the id of " + previous);
      }
      if (context.isPresent() && !configure(id, context.get())) {
        return;
      }
      checkConditionTypes(id, conditionTypeOwners);
      checkActions(id, actionOwners);
    }

    /** Calls configure as the host does; false when the plugin refused (then nothing else runs). */
    private boolean configure(String id, PluginContext settings) {
      if (!settings.pluginId().equals(id)) {
        violation("configured with the context of plugin '" + settings.pluginId() + "'");
        return false;
      }
      Thread thread = Thread.currentThread();
      ClassLoader saved = thread.getContextClassLoader();
      thread.setContextClassLoader(plugin.getClass().getClassLoader());
      try {
        plugin.configure(settings);
        return true;
      } catch (IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        for (Secret secret : settings.secrets().values()) {
          if (!secret.reveal().isEmpty() && message.contains(secret.reveal())) {
            violation(
                "configure(...) put the value of secret '" + secret.name() + "' in its message");
            return false;
          }
        }
        violation("configure(...) refused the settings: " + message);
        return false;
      } catch (RuntimeException | LinkageError e) {
        violation(
            "configure(...) failed with "
                + e
                + "; refuse bad settings with an IllegalArgumentException saying which one");
        return false;
      } finally {
        thread.setContextClassLoader(saved);
      }
    }

    private void checkConditionTypes(String pluginId, Map<String, String> owners) {
      List<ConditionTypeFactory> factories =
          call("getConditionTypeFactories()", plugin::getConditionTypeFactories).orElse(List.of());
      for (ConditionTypeFactory factory : factories) {
        if (factory == null) {
          violation("getConditionTypeFactories() contains null");
          continue;
        }
        Optional<String> maybeTypeId = call("id() of " + factory.getClass().getName(), factory::id);
        if (maybeTypeId.isEmpty()) {
          continue;
        }
        String typeId = maybeTypeId.get();
        if (!CONDITION_TYPE_ID.matcher(typeId).matches()) {
          violation("condition type id '" + typeId + "' does not match " + UPPER_CASE_ID);
        }
        String previous = owners.putIfAbsent(typeId, pluginId);
        if (previous != null) {
          violation(
              "condition type '" + typeId + "' is also contributed by plugin '" + previous + "'");
        }
      }
    }

    private void checkActions(String pluginId, Map<String, String> owners) {
      List<ActionFactory> factories =
          call("getActionFactories()", plugin::getActionFactories).orElse(List.of());
      for (ActionFactory factory : factories) {
        if (factory == null) {
          violation("getActionFactories() contains null");
          continue;
        }
        Optional<ActionDescriptor> maybeDescriptor =
            call("descriptor() of " + factory.getClass().getName(), factory::descriptor);
        if (maybeDescriptor.isEmpty()) {
          continue;
        }
        ActionDescriptor descriptor = maybeDescriptor.get();
        String actionId = descriptor.id();
        if (!PLUGIN_OR_ACTION_ID.matcher(actionId).matches()) {
          violation("action id '" + actionId + "' does not match " + LOWER_CASE_ID);
        }
        String previous = owners.putIfAbsent(actionId, pluginId);
        if (previous != null) {
          violation("action '" + actionId + "' is also contributed by plugin '" + previous + "'");
        }
        checkParameterNames(actionId, "input", descriptor.inputs());
        checkParameterNames(actionId, "output", descriptor.outputs());
      }
    }

    private void checkParameterNames(String actionId, String kind, List<ActionParameter> list) {
      Set<String> seen = new HashSet<>();
      for (ActionParameter parameter : list) {
        if (!seen.add(parameter.name())) {
          violation(
              "action '" + actionId + "' declares " + kind + " '" + parameter.name() + "' twice");
        }
      }
    }

    /**
     * Calls plugin code the way the host does: with the plugin's class loader as the thread context
     * class loader, and turning a failure or a null into a violation (and an empty result).
     */
    private <T> Optional<T> call(String what, Supplier<T> code) {
      Thread thread = Thread.currentThread();
      ClassLoader saved = thread.getContextClassLoader();
      thread.setContextClassLoader(plugin.getClass().getClassLoader());
      try {
        T value = code.get();
        if (value == null) {
          violation(what + " returned null");
        }
        return Optional.ofNullable(value);
      } catch (RuntimeException | LinkageError e) {
        violation(what + " failed: " + e);
        return Optional.empty();
      } finally {
        thread.setContextClassLoader(saved);
      }
    }

    private void violation(String message) {
      violations.add(label + ": " + message);
    }
  }
}
