package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.Plugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** An immutable {@link ActionRegistry} over a fixed list of actions; ids must be unique. */
public final class SimpleActionRegistry implements ActionRegistry {
  private static final Pattern ACTION_ID = Pattern.compile("[a-z][a-z0-9_.-]*");

  private final Map<String, RegisteredAction> actions;

  /**
   * @throws OrchestrionException INVALID_DEFINITION for an invalid or duplicate action id, naming
   *     the plugins involved
   */
  public SimpleActionRegistry(List<RegisteredAction> actions) {
    Map<String, RegisteredAction> byId = new LinkedHashMap<>();
    for (RegisteredAction action : actions) {
      if (!ACTION_ID.matcher(action.id()).matches()) {
        throw new OrchestrionException(
            StandardErrorCode.INVALID_DEFINITION,
            "action id '"
                + action.id()
                + "' of plugin '"
                + action.pluginId()
                + "' does not match "
                + ACTION_ID.pattern());
      }
      RegisteredAction previous = byId.putIfAbsent(action.id(), action);
      if (previous != null) {
        throw new OrchestrionException(
            StandardErrorCode.INVALID_DEFINITION,
            "action '"
                + action.id()
                + "' is contributed twice: by plugin '"
                + previous.pluginId()
                + "' and by plugin '"
                + action.pluginId()
                + "'");
      }
    }
    this.actions = Map.copyOf(byId);
  }

  /** The actions of the given plugins, each called with the class loader of its plugin class. */
  public static SimpleActionRegistry fromPlugins(List<? extends Plugin> plugins) {
    List<RegisteredAction> actions = new ArrayList<>();
    for (Plugin plugin : plugins) {
      for (ActionFactory factory : plugin.getActionFactories()) {
        actions.add(
            new RegisteredAction(
                plugin.id(),
                factory.descriptor(),
                factory.create(),
                plugin.getClass().getClassLoader()));
      }
    }
    return new SimpleActionRegistry(actions);
  }

  @Override
  public Optional<RegisteredAction> find(String id) {
    return Optional.ofNullable(actions.get(id));
  }

  public List<RegisteredAction> all() {
    return List.copyOf(actions.values());
  }
}
