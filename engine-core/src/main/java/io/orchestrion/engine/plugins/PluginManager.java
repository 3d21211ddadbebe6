package io.orchestrion.engine.plugins;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.flow.ActionRegistry;
import io.orchestrion.flow.RegisteredAction;
import io.orchestrion.flow.SimpleActionRegistry;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugins, validates their ids and rejects duplicates, and exposes their contributions as
 * registries. Built-in contributions (the engine's condition types, the flow runtime's actions) go
 * through the same checks as third-party ones.
 */
public final class PluginManager {
  private static final Logger log = LoggerFactory.getLogger(PluginManager.class);
  private static final Pattern PLUGIN_ID = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern ACTION_ID = Pattern.compile("[a-z][a-z0-9_.-]*");
  private static final Pattern CONDITION_TYPE_ID = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final Map<String, RegisteredConditionType> conditionTypes;
  private final ActionRegistry actionRegistry;
  private final List<String> pluginIds;

  public PluginManager(List<Plugin> plugins) {
    Map<String, Plugin> byId = new LinkedHashMap<>();
    Map<String, RegisteredConditionType> conditions = new LinkedHashMap<>();
    List<RegisteredAction> actions = new ArrayList<>();
    Map<String, String> actionOwners = new LinkedHashMap<>();
    for (Plugin plugin : plugins) {
      String pluginId = requireNonNull(plugin.id(), "plugin id is null");
      check(PLUGIN_ID, pluginId, "plugin id", plugin.getClass().getName());
      Plugin previous = byId.putIfAbsent(pluginId, plugin);
      if (previous != null) {
        throw startupError(
            "Duplicate plugin id '%s': %s and %s"
                .formatted(pluginId, previous.getClass().getName(), plugin.getClass().getName()));
      }
      ClassLoader loader = plugin.getClass().getClassLoader();
      for (ConditionTypeFactory factory :
          PluginCalls.call(pluginId, loader, plugin::getConditionTypeFactories)) {
        String id = PluginCalls.call(pluginId, loader, factory::id);
        check(CONDITION_TYPE_ID, id, "condition type id", pluginId);
        RegisteredConditionType existing =
            conditions.putIfAbsent(id, new RegisteredConditionType(pluginId, factory, loader));
        if (existing != null) {
          throw startupError(
              "Condition type '%s' is contributed by both plugin '%s' and plugin '%s'"
                  .formatted(id, existing.pluginId(), pluginId));
        }
      }
      for (ActionFactory factory : PluginCalls.call(pluginId, loader, plugin::getActionFactories)) {
        var descriptor = PluginCalls.call(pluginId, loader, factory::descriptor);
        check(ACTION_ID, descriptor.id(), "action id", pluginId);
        String owner = actionOwners.putIfAbsent(descriptor.id(), pluginId);
        if (owner != null) {
          throw startupError(
              "Action '%s' is contributed by both plugin '%s' and plugin '%s'"
                  .formatted(descriptor.id(), owner, pluginId));
        }
        actions.add(
            new RegisteredAction(
                pluginId, descriptor, PluginCalls.call(pluginId, loader, factory::create), loader));
      }
      log.info("Loaded plugin '{}' ({})", pluginId, plugin.getClass().getName());
    }
    this.conditionTypes = Map.copyOf(conditions);
    this.actionRegistry = new SimpleActionRegistry(actions);
    this.pluginIds = List.copyOf(byId.keySet());
  }

  /** The given built-in plugins followed by every plugin on the class path. */
  public static PluginManager loadFromClassPath(List<Plugin> builtIns, ClassLoader classLoader) {
    List<Plugin> plugins = new ArrayList<>(builtIns);
    for (Plugin plugin : ServiceLoader.load(Plugin.class, classLoader)) {
      plugins.add(plugin);
    }
    return new PluginManager(plugins);
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

  private static void check(Pattern pattern, String id, String what, String owner) {
    if (id == null || !pattern.matcher(id).matches()) {
      throw startupError(
          "Invalid %s '%s' from %s: it must match %s".formatted(what, id, owner, pattern));
    }
  }

  private static OrchestrionException startupError(String message) {
    return new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, message);
  }
}
