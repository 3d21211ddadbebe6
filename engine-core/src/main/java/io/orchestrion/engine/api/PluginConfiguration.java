package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings and secrets of plugins, before the plugins are loaded: what the engine's plugin
 * manager turns into one {@link PluginContext} per plugin. Entries come from a configuration file
 * ({@code plugins.<plugin id>.<key>}), from the environment ({@code
 * ORCHESTRION_PLUGINS_<PLUGIN_ID>_<KEY>}) or from an embedder ({@link #withSetting}, {@link
 * #withSecret}); a later entry for the same plugin and key wins. Keys under {@code secrets.} are
 * secrets.
 *
 * <p>Which plugin a file or environment entry belongs to is only known once the plugins are loaded
 * (plugin ids may contain dots and dashes): the longest plugin id that the entry's name starts
 * with. An entry that names no loaded plugin stops the start-up, like any other misconfigured
 * plugin.
 *
 * <p>Values never appear in {@link #toString()} nor in error messages: a value may be a secret.
 */
public final class PluginConfiguration {
  /** The prefix of plugin settings in a configuration file. */
  public static final String FILE_PREFIX = "plugins.";

  /** The prefix of plugin settings in the environment. */
  public static final String ENVIRONMENT_PREFIX = "ORCHESTRION_PLUGINS_";

  private static final PluginConfiguration EMPTY = new PluginConfiguration(List.of());

  /** Where an entry came from, which decides how its name splits into plugin id and key. */
  public enum Source {
    /** An embedder's call: plugin id and key given apart. */
    PROGRAM,
    /** {@code plugins.<plugin id>.<key>}, the name holding {@code <plugin id>.<key>}. */
    FILE,
    /**
     * {@code ORCHESTRION_PLUGINS_<PLUGIN_ID>_<KEY>}, the name holding {@code <PLUGIN_ID>_<KEY>}.
     */
    ENVIRONMENT
  }

  /**
   * One setting or secret as given.
   *
   * @param pluginId the plugin's id for {@link Source#PROGRAM}, empty otherwise
   * @param name the key ({@link Source#PROGRAM}) or the name after the source's prefix
   */
  public record Entry(Source source, Optional<String> pluginId, String name, String value) {
    public Entry {
      requireNonNull(source, "source is null");
      requireNonNull(pluginId, "pluginId is null");
      requireNonNull(name, "name is null");
      requireNonNull(value, "value is null");
    }

    /** Where the entry came from, by its full name: never its value. */
    public String describe() {
      return switch (source) {
        case PROGRAM -> "plugin '" + pluginId.orElseThrow() + "' setting '" + name + "'";
        case FILE -> "setting '" + FILE_PREFIX + name + "'";
        case ENVIRONMENT -> "environment variable " + ENVIRONMENT_PREFIX + name;
      };
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  private final List<Entry> entries;

  private PluginConfiguration(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static PluginConfiguration empty() {
    return EMPTY;
  }

  /**
   * The {@code ORCHESTRION_PLUGINS_*} variables of an environment (others are ignored), in the
   * order of their names.
   */
  public static PluginConfiguration fromEnvironment(Map<String, String> environment) {
    PluginConfiguration configuration = EMPTY;
    for (var variable : new TreeMap<>(environment).entrySet()) {
      if (variable.getKey().startsWith(ENVIRONMENT_PREFIX) && variable.getValue() != null) {
        configuration =
            configuration.with(
                new Entry(
                    Source.ENVIRONMENT,
                    Optional.empty(),
                    variable.getKey().substring(ENVIRONMENT_PREFIX.length()),
                    variable.getValue()));
      }
    }
    return configuration;
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** With the setting {@code key} of plugin {@code pluginId}. */
  public PluginConfiguration withSetting(String pluginId, String key, String value) {
    return with(new Entry(Source.PROGRAM, Optional.of(pluginId), key, value));
  }

  /** With the secret {@code name} of plugin {@code pluginId} (key {@code secrets.<name>}). */
  public PluginConfiguration withSecret(String pluginId, String name, String value) {
    return withSetting(pluginId, PluginContext.SECRETS_PREFIX + name, value);
  }

  /** With a file entry, {@code name} being the key without {@code plugins.}. */
  public PluginConfiguration withFileEntry(String name, String value) {
    return with(new Entry(Source.FILE, Optional.empty(), name, value));
  }

  /** With the entries of {@code later} after this one's (they win). */
  public PluginConfiguration and(PluginConfiguration later) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(later.entries);
    return new PluginConfiguration(all);
  }

  private PluginConfiguration with(Entry entry) {
    List<Entry> all = new ArrayList<>(entries);
    all.add(entry);
    return new PluginConfiguration(all);
  }

  /**
   * One context per plugin id (plugins without entries get an empty one).
   *
   * @throws OrchestrionException PLUGIN_ERROR naming the entry that names no loaded plugin or whose
   *     key is invalid
   */
  public Map<String, PluginContext> resolve(Collection<String> pluginIds) {
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    Map<String, Map<String, Secret>> secrets = new LinkedHashMap<>();
    for (String id : pluginIds) {
      settings.put(id, new TreeMap<>());
      secrets.put(id, new TreeMap<>());
    }
    for (Entry entry : entries) {
      String pluginId = pluginOf(entry, pluginIds);
      String key = keyOf(entry, pluginId);
      if (!PluginContext.KEY.matcher(key).matches()) {
        throw error(
            "Invalid key '%s' in %s for plugin '%s': keys are lower-case words of letters and digits separated by dots (%s)"
                .formatted(key, entry.describe(), pluginId, PluginContext.KEY));
      }
      if (key.startsWith(PluginContext.SECRETS_PREFIX)) {
        String name = key.substring(PluginContext.SECRETS_PREFIX.length());
        secrets.get(pluginId).put(name, Secret.of(name, entry.value()));
      } else if (key.equals("secrets")) {
        throw error(
            "%s for plugin '%s' names no secret: use secrets.<name>"
                .formatted(entry.describe(), pluginId));
      } else {
        settings.get(pluginId).put(key, entry.value());
      }
    }
    Map<String, PluginContext> contexts = new LinkedHashMap<>();
    for (String id : pluginIds) {
      contexts.put(id, new PluginContext(id, settings.get(id), secrets.get(id)));
    }
    return contexts;
  }

  private static String pluginOf(Entry entry, Collection<String> pluginIds) {
    String best = null;
    for (String id : pluginIds) {
      boolean matches =
          switch (entry.source()) {
            case PROGRAM -> entry.pluginId().orElseThrow().equals(id);
            case FILE -> entry.name().startsWith(id + ".");
            case ENVIRONMENT -> entry.name().startsWith(PluginContext.environmentWord(id) + "_");
          };
      if (matches && (best == null || id.length() > best.length())) {
        best = id;
      }
    }
    if (best == null) {
      throw error(
          "%s names no loaded plugin (loaded plugins: %s)".formatted(entry.describe(), pluginIds));
    }
    return best;
  }

  private static String keyOf(Entry entry, String pluginId) {
    return switch (entry.source()) {
      case PROGRAM -> entry.name();
      case FILE -> entry.name().substring(pluginId.length() + 1);
      case ENVIRONMENT ->
          entry.name().substring(pluginId.length() + 1).toLowerCase(Locale.ROOT).replace('_', '.');
    };
  }

  private static OrchestrionException error(String message) {
    return new OrchestrionException(StandardErrorCode.PLUGIN_ERROR, message);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PluginConfiguration that && entries.equals(that.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** The entries' names; never their values. */
  @Override
  public String toString() {
    return "PluginConfiguration" + entries;
  }
}
