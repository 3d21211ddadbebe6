package io.orchestrion.engine.plugins;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.flow.ActionRegistry;
import io.orchestrion.flow.RegisteredAction;
import io.orchestrion.flow.SimpleActionRegistry;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.notification.NotificationListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugins, validates their ids and rejects duplicates, and exposes their contributions as
 * registries. Built-in contributions (the engine's condition types, the flow runtime's actions) go
 * through the same checks as third-party ones, whether these come from the class path or from the
 * plugin directory (see {@link #load}).
 */
public final class PluginManager {
  private static final Logger log = LoggerFactory.getLogger(PluginManager.class);
  private static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern ACTION_ID = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern LISTENER_ID = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern CONDITION_TYPE_ID = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final Map<String, RegisteredConditionType> conditionTypes;
  private final ActionRegistry actionRegistry;
  private final List<String> pluginIds;
  private final List<RegisteredListener> notificationListeners;

  public PluginManager(List<LoadedPlugin> plugins) {
    this(plugins, PluginConfiguration.empty());
  }

  /**
   * Checks the plugins' ids, gives each its {@link PluginContext} from {@code configuration}
   * ({@link Plugin#configure}), then registers their contributions.
   */
  public PluginManager(List<LoadedPlugin> plugins, PluginConfiguration configuration) {
    Map<String, LoadedPlugin> byId = new LinkedHashMap<>();
    for (LoadedPlugin loaded : plugins) {
      Plugin plugin = loaded.plugin();
      ClassLoader loader = loaded.classLoader();
      String className = plugin.getClass().getName();
      String pluginId = PluginCalls.call(className, loader, plugin::id);
      check(PLUGIN_ID, pluginId, "plugin id", describe(className, loaded));
      LoadedPlugin previous = byId.putIfAbsent(pluginId, loaded);
      if (previous != null) {
        throw startupError(
            "Duplicate plugin id '%s': %s and %s"
                .formatted(
                    pluginId,
                    describe(previous.plugin().getClass().getName(), previous),
                    describe(className, loaded)));
      }
    }
    Map<String, PluginContext> contexts = configuration.resolve(byId.keySet());
    Map<String, RegisteredConditionType> conditions = new LinkedHashMap<>();
    List<RegisteredAction> actions = new ArrayList<>();
    Map<String, String> actionOwners = new LinkedHashMap<>();
    Map<String, RegisteredListener> listeners = new LinkedHashMap<>();
    for (var idAndPlugin : byId.entrySet()) {
      String pluginId = idAndPlugin.getKey();
      LoadedPlugin loaded = idAndPlugin.getValue();
      Plugin plugin = loaded.plugin();
      ClassLoader loader = loaded.classLoader();
      String className = plugin.getClass().getName();
      PluginContext context = contexts.get(pluginId);
      configure(pluginId, loaded, context);
      for (ConditionTypeFactory factory :
          PluginCalls.call(pluginId, loader, plugin::getConditionTypeFactories)) {
        String id = PluginCalls.call(pluginId, loader, factory::id);
        check(CONDITION_TYPE_ID, id, "condition type id", describe(pluginId, loaded));
        RegisteredConditionType existing =
            conditions.putIfAbsent(id, new RegisteredConditionType(pluginId, factory, loader));
        if (existing != null) {
          throw startupError(
              "Condition type '%s' is contributed by both plugin %s and plugin %s"
                  .formatted(
                      id,
                      describe(existing.pluginId(), byId.get(existing.pluginId())),
                      describe(pluginId, loaded)));
        }
      }
      for (ActionFactory factory : PluginCalls.call(pluginId, loader, plugin::getActionFactories)) {
        var descriptor = PluginCalls.call(pluginId, loader, factory::descriptor);
        check(ACTION_ID, descriptor.id(), "action id", describe(pluginId, loaded));
        String owner = actionOwners.putIfAbsent(descriptor.id(), pluginId);
        if (owner != null) {
          throw startupError(
              "Action '%s' is contributed by both plugin %s and plugin %s"
                  .formatted(
                      descriptor.id(),
                      describe(owner, byId.get(owner)),
                      describe(pluginId, loaded)));
        }
        actions.add(
            new RegisteredAction(
                pluginId, descriptor, PluginCalls.call(pluginId, loader, factory::create), loader));
      }
      for (NotificationListener listener :
          PluginCalls.call(pluginId, loader, plugin::getNotificationListeners)) {
        String id = PluginCalls.call(pluginId, loader, listener::id);
        check(LISTENER_ID, id, "notification listener id", describe(pluginId, loaded));
        var kinds = PluginCalls.call(pluginId, loader, listener::kinds);
        if (kinds == null || kinds.isEmpty()) {
          throw startupError(
              "Notification listener '%s' of plugin %s wants no event kind"
                  .formatted(id, describe(pluginId, loaded)));
        }
        RegisteredListener existing =
            listeners.putIfAbsent(
                id, new RegisteredListener(pluginId, id, Set.copyOf(kinds), listener, loader));
        if (existing != null) {
          throw startupError(
              "Notification listener '%s' is contributed by both plugin %s and plugin %s"
                  .formatted(
                      id,
                      describe(existing.pluginId(), byId.get(existing.pluginId())),
                      describe(pluginId, loaded)));
        }
      }
      log.info(
          "Loaded plugin '{}' ({}, {}{})", pluginId, className, loaded.source(), summary(context));
    }
    this.conditionTypes = Map.copyOf(conditions);
    this.actionRegistry = new SimpleActionRegistry(actions);
    this.pluginIds = List.copyOf(byId.keySet());
    this.notificationListeners = List.copyOf(listeners.values());
  }

  private static void configure(String pluginId, LoadedPlugin loaded, PluginContext context) {
    try {
      PluginCalls.call(
          pluginId,
          loaded.classLoader(),
          () -> {
            loaded.plugin().configure(context);
            return null;
          });
    } catch (OrchestrionException e) {
      throw startupError(
          "Plugin %s is not configured correctly: %s"
              .formatted(describe(pluginId, loaded), configurationProblem(e)),
          e);
    }
  }

  /** The plugin's own message for a bad setting; the wrapped one for anything else. */
  private static String configurationProblem(OrchestrionException e) {
    return e.getCause() instanceof IllegalArgumentException cause && cause.getMessage() != null
        ? cause.getMessage()
        : e.getMessage();
  }

  /** For the start-up log: how many settings, and the secrets' names (never values). */
  private static String summary(PluginContext context) {
    if (context.settings().isEmpty() && context.secrets().isEmpty()) {
      return "";
    }
    return ", %d setting(s), secrets %s"
        .formatted(context.settings().size(), context.secrets().keySet());
  }

  /** The given built-in plugins followed by every plugin on the class path. */
  public static PluginManager loadFromClassPath(List<Plugin> builtIns, ClassLoader classLoader) {
    return load(builtIns, classLoader, Optional.empty());
  }

  /**
   * The given built-in plugins, then every plugin that {@link ServiceLoader} finds through {@code
   * hostLoader} (the class path), then the plugins of each sub-directory of {@code pluginDirectory}
   * in the order of their names, each sub-directory with its own class loader (see {@link
   * PluginClassLoader}) that takes the engine-api packages from {@code hostLoader}.
   *
   * @throws OrchestrionException PLUGIN_ERROR naming the directory, jar, plugin or id at fault
   */
  public static PluginManager load(
      List<Plugin> builtIns, ClassLoader hostLoader, Optional<Path> pluginDirectory) {
    return load(builtIns, hostLoader, pluginDirectory, PluginConfiguration.empty());
  }

  /**
   * Like {@link #load(List, ClassLoader, Optional)}, each plugin configured with its settings and
   * secrets from {@code configuration}.
   */
  public static PluginManager load(
      List<Plugin> builtIns,
      ClassLoader hostLoader,
      Optional<Path> pluginDirectory,
      PluginConfiguration configuration) {
    List<LoadedPlugin> plugins = new ArrayList<>();
    builtIns.forEach(plugin -> plugins.add(LoadedPlugin.builtIn(plugin)));
    for (Plugin plugin : ServiceLoader.load(Plugin.class, hostLoader)) {
      plugins.add(LoadedPlugin.fromClassPath(plugin));
    }
    pluginDirectory.ifPresent(
        directory -> plugins.addAll(PluginDirectory.load(directory, hostLoader)));
    return new PluginManager(plugins, configuration);
  }

  public Optional<RegisteredConditionType> conditionType(String id) {
    return Optional.ofNullable(conditionTypes.get(id));
  }

  public ActionRegistry actions() {
    return actionRegistry;
  }

  public List<String> pluginIds() {
    return pluginIds;
  }

  /** The plugins' notification listeners, in plugin order. */
  public List<RegisteredListener> notificationListeners() {
    return notificationListeners;
  }

  private static void check(Pattern pattern, String id, String what, String owner) {
    if (id == null || !pattern.matcher(id).matches()) {
      throw startupError(
          "Invalid %s '%s' from %s: it must match %s".formatted(what, id, owner, pattern));
    }
  }

  private static String describe(String name, LoadedPlugin plugin) {
    return "'%s' (%s)".formatted(name, plugin.source());
  }

  private static OrchestrionException startupError(String message) {
    return new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, message);
  }

  private static OrchestrionException startupError(String message, Throwable cause) {
    return new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, message, cause);
  }
}
