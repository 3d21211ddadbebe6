package io.orchestrion.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.PluginConfiguration;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a {@link ServerConfig} from three layers, each overriding the one before: an optional
 * config file ({@code .properties} or {@code .json}, keys as in {@link ServerSetting#key()}),
 * environment variables ({@link ServerSetting#environmentVariable()}), and command-line flags. The
 * environment is passed in so that tests do not depend on the machine's.
 */
public final class ServerConfigLoader {
  /** Names the config file when no {@code --config} flag is given. */
  public static final String CONFIG_FILE_VARIABLE = "ORCHESTRION_CONFIG";

  private ServerConfigLoader() {}

  /**
   * @param configFile the {@code --config} flag, if given
   * @param environment the process environment ({@code System.getenv()})
   * @param flags settings given as command-line flags
   */
  public static ServerConfig load(
      Optional<Path> configFile,
      Map<String, String> environment,
      Map<ServerSetting, String> flags) {
    Map<ServerSetting, String> values = new EnumMap<>(ServerSetting.class);
    PluginConfiguration plugins = PluginConfiguration.empty();
    Optional<Path> file =
        configFile.or(
            () ->
                Optional.ofNullable(environment.get(CONFIG_FILE_VARIABLE))
                    .filter(value -> !value.isBlank())
                    .map(Path::of));
    if (file.isPresent()) {
      FileContents contents = read(file.get());
      values.putAll(contents.settings());
      plugins = contents.plugins();
    }
    for (ServerSetting setting : ServerSetting.values()) {
      String value = environment.get(setting.environmentVariable());
      if (value != null && !value.isBlank()) {
        values.put(setting, value);
      }
    }
    values.putAll(flags);
    // Environment after file: ORCHESTRION_PLUGINS_<ID>_<KEY> overrides plugins.<id>.<key>.
    plugins = plugins.and(PluginConfiguration.fromEnvironment(environment));
    return ServerSettingsParser.parse(values, plugins);
  }

  /** The server settings of a config file and its plugin settings ({@code plugins.<id>.<key>}). */
  private record FileContents(Map<ServerSetting, String> settings, PluginConfiguration plugins) {}

  static Map<ServerSetting, String> readFile(Path path) {
    return read(path).settings();
  }

  private static FileContents read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST, "Cannot read config file '" + path + "': " + e, e);
    }
    Map<String, String> raw =
        path.getFileName().toString().endsWith(".json")
            ? parseJson(path, text)
            : parseProperties(path, text);
    Map<ServerSetting, String> values = new EnumMap<>(ServerSetting.class);
    PluginConfiguration plugins = PluginConfiguration.empty();
    TreeSet<String> unknown = new TreeSet<>();
    for (var entry : raw.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(PluginConfiguration.FILE_PREFIX)) {
        plugins =
            plugins.withFileEntry(
                key.substring(PluginConfiguration.FILE_PREFIX.length()), entry.getValue());
      } else {
        ServerSetting.byKey(key)
            .ifPresentOrElse(
                setting -> values.put(setting, entry.getValue()), () -> unknown.add(key));
      }
    }
    if (!unknown.isEmpty()) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Unknown setting(s) "
              + unknown
              + " in config file '"
              + path
              + "'; known settings: "
              + List.of(ServerSetting.values()).stream().map(ServerSetting::key).toList()
              + " and plugins.<plugin id>.<key>");
    }
    return new FileContents(values, plugins);
  }

  private static Map<String, String> parseProperties(Path path, String text) {
    Properties properties = new Properties();
    try (Reader reader = new StringReader(text)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST, "Cannot parse config file '" + path + "': " + e, e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      values.put(name, properties.getProperty(name));
    }
    return values;
  }

  private static Map<String, String> parseJson(Path path, String text) {
    Map<String, Object> document;
    try {
      document = new ObjectMapper().readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Cannot parse config file '" + path + "': " + e.getOriginalMessage(),
          e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    document.forEach(
        (key, value) -> {
          if (key.equals("plugins") && value instanceof Map<?, ?> plugins) {
            // {"plugins": {"http-callout": {"allow": "...", "secrets": {"crm.token": "..."}}}}
            flatten(path, "plugins", plugins, values);
            return;
          }
          if (value instanceof Map || value instanceof List) {
            throw new OrchestrionException(
                StandardErrorCode.INVALID_REQUEST,
                "ServerSetting '" + key + "' in config file '" + path + "' must be a plain value");
          }
          if (value != null) {
            values.put(key, value.toString());
          }
        });
    return values;
  }

  /** Nested objects under {@code plugins} as dotted keys; lists are not settings. */
  private static void flatten(
      Path path, String prefix, Map<?, ?> object, Map<String, String> values) {
    object.forEach(
        (name, value) -> {
          String key = prefix + "." + name;
          if (value instanceof Map<?, ?> nested) {
            flatten(path, key, nested, values);
          } else if (value instanceof List) {
            throw new OrchestrionException(
                StandardErrorCode.INVALID_REQUEST,
                "ServerSetting '" + key + "' in config file '" + path + "' must be a plain value");
          } else if (value != null) {
            values.put(key, value.toString());
          }
        });
  }
}
