package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the host gives a plugin before asking for its contributions (see {@link
 * Plugin#configure(PluginContext)}): the plugin's settings and its named secrets.
 *
 * <p>The server reads them from its configuration file ({@code plugins.<plugin id>.<key>}) and from
 * environment variables ({@code ORCHESTRION_PLUGINS_<PLUGIN_ID>_<KEY>}: upper case, every character
 * other than a letter or digit as {@code _}); an embedder passes them programmatically. Keys are
 * lower-case words of letters and digits separated by dots ({@code endpoints.crm.url}), so that
 * both spellings name the same setting. Keys under {@code secrets.} are not settings but {@link
 * Secret}s: {@code plugins.http-callout.secrets.crm.token} is the secret {@code crm.token}.
 */
public final class PluginContext {
  /** A setting key or secret name: lower-case words of letters and digits joined by dots. */
  public static final Pattern KEY = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*");

  /** The prefix of the keys that hold secrets rather than settings. */
  public static final String SECRETS_PREFIX = "secrets.";

  private final String pluginId;
  private final Map<String, String> settings;
  private final Map<String, Secret> secrets;

  /**
   * @param settings by key, without the {@code plugins.<id>.} prefix
   * @param secrets by name, without the {@code plugins.<id>.secrets.} prefix
   * @throws IllegalArgumentException for a key or name that does not match {@link #KEY}
   */
  public PluginContext(String pluginId, Map<String, String> settings, Map<String, Secret> secrets) {
    this.pluginId = requireNonNull(pluginId, "pluginId is null");
    TreeMap<String, String> sortedSettings = new TreeMap<>();
    settings.forEach(
        (key, value) -> {
          checkKey(pluginId, key, "setting key");
          sortedSettings.put(key, requireNonNull(value, "value of setting " + key + " is null"));
        });
    TreeMap<String, Secret> sortedSecrets = new TreeMap<>();
    secrets.forEach(
        (name, secret) -> {
          checkKey(pluginId, name, "secret name");
          sortedSecrets.put(name, requireNonNull(secret, "secret " + name + " is null"));
        });
    this.settings = Collections.unmodifiableMap(sortedSettings);
    this.secrets = Collections.unmodifiableMap(sortedSecrets);
  }

  /** A context without settings or secrets. */
  public static PluginContext empty(String pluginId) {
    return new PluginContext(pluginId, Map.of(), Map.of());
  }

  public String pluginId() {
    return pluginId;
  }

  /** All settings by key, sorted. */
  public Map<String, String> settings() {
    return settings;
  }

  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /**
   * The setting's value.
   *
   * @throws IllegalArgumentException naming the setting in both spellings when it is missing
   */
  public String requireSetting(String key) {
    String value = settings.get(key);
    if (value == null) {
      throw new IllegalArgumentException("Setting " + describe(key) + " is missing");
    }
    return value;
  }

  /**
   * The distinct words that follow {@code prefix.} in setting keys: with settings {@code
   * endpoints.crm.url} and {@code endpoints.billing.url}, {@code names("endpoints")} is {@code
   * [billing, crm]}.
   */
  public Set<String> names(String prefix) {
    String start = prefix + ".";
    Set<String> names = new TreeSet<>();
    for (String key : settings.keySet()) {
      if (key.startsWith(start)) {
        String rest = key.substring(start.length());
        int dot = rest.indexOf('.');
        names.add(dot < 0 ? rest : rest.substring(0, dot));
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** All secrets by name, sorted. Their {@code toString} never shows a value. */
  public Map<String, Secret> secrets() {
    return secrets;
  }

  public Optional<Secret> secret(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  /**
   * The secret called {@code name}.
   *
   * @throws IllegalArgumentException naming the secret's setting (never a value) when it is missing
   */
  public Secret requireSecret(String name) {
    Secret secret = secrets.get(name);
    if (secret == null) {
      throw new IllegalArgumentException(
          "Secret " + describe(SECRETS_PREFIX + name) + " is missing");
    }
    return secret;
  }

  /** {@code plugins.<id>.<key>}: the setting's name in a configuration file. */
  public String configurationKey(String key) {
    return "plugins." + pluginId + "." + key;
  }

  /** {@code ORCHESTRION_PLUGINS_<ID>_<KEY>}: the setting's name in the environment. */
  public String environmentVariable(String key) {
    return environmentVariable(pluginId, key);
  }

  /** {@code ORCHESTRION_PLUGINS_<ID>_<KEY>} for a plugin id and a setting key. */
  public static String environmentVariable(String pluginId, String key) {
    return "ORCHESTRION_PLUGINS_" + environmentWord(pluginId) + "_" + environmentWord(key);
  }

  /** Upper case, every character other than a letter or a digit as {@code _}. */
  public static String environmentWord(String text) {
    return text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** For messages: {@code 'plugins.x.key' (environment ORCHESTRION_PLUGINS_X_KEY)}. */
  public String describe(String key) {
    return "'" + configurationKey(key) + "' (environment " + environmentVariable(key) + ")";
  }

  /** The plugin id, the settings and the names of the secrets; never a secret's value. */
  @Override
  public String toString() {
    return "PluginContext[pluginId="
        + pluginId
        + ", settings="
        + settings
        + ", secrets="
        + secrets.keySet()
        + "]";
  }

  private static void checkKey(String pluginId, String key, String what) {
    requireNonNull(key, what + " is null");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "Invalid %s '%s' for plugin '%s': it must match %s (lower-case words of letters and"
                  .formatted(what, key, pluginId, KEY)
              + " digits separated by dots)");
    }
  }
}
