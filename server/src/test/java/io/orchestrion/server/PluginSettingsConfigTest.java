package io.orchestrion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.spi.PluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugins.<id>.<key>} in the config file and ORCHESTRION_PLUGINS_* in the environment. */
class PluginSettingsConfigTest {
  private static final String SECRET = "tok-55e1-never-printed";

  @TempDir Path directory;

  @Test
  void propertiesFileThenEnvironment() throws Exception {
    Path file = directory.resolve("orchestrion.properties");
    Files.writeString(
        file,
        """
        port=9001
        plugins.http-callout.allow=http://127.0.0.1:
        plugins.http-callout.endpoints.crm.url=http://127.0.0.1:1/from-file
        plugins.http-callout.secrets.crm.token=from-file
        """);
    ServerConfig config =
        ServerConfigLoader.load(
            Optional.of(file),
            Map.of(
                "ORCHESTRION_PLUGINS_HTTP_CALLOUT_SECRETS_CRM_TOKEN",
                SECRET,
                "ORCHESTRION_PLUGINS_HTTP_CALLOUT_ENDPOINTS_CRM_METHOD",
                "PUT"),
            Map.of());

    PluginContext context =
        config.pluginConfiguration().resolve(List.of("http-callout")).get("http-callout");
    assertThat(config.port()).isEqualTo(9001);
    assertThat(context.settings())
        .containsOnly(
            Map.entry("allow", "http://127.0.0.1:"),
            Map.entry("endpoints.crm.url", "http://127.0.0.1:1/from-file"),
            Map.entry("endpoints.crm.method", "PUT"));
    assertThat(context.requireSecret("crm.token").reveal()).isEqualTo(SECRET);
    assertThat(config.toString())
        .contains("plugins.http-callout.secrets.crm.token")
        .doesNotContain(SECRET)
        .doesNotContain("from-file");
  }

  @Test
  void jsonFileWithNestedPluginObjects() throws Exception {
    Path file = directory.resolve("orchestrion.json");
    Files.writeString(
        file,
        """
        {"port": 9002,
         "plugins": {"http-callout": {"allow": "http://127.0.0.1:",
                                      "endpoints": {"crm": {"url": "http://127.0.0.1:1/crm",
                                                            "retries": 3}},
                                      "secrets": {"crm.token": "%s"}}}}
        """
            .formatted(SECRET));

    ServerConfig config = ServerConfigLoader.load(Optional.of(file), Map.of(), Map.of());

    PluginContext context =
        config.pluginConfiguration().resolve(List.of("http-callout")).get("http-callout");
    assertThat(context.settings())
        .containsOnly(
            Map.entry("allow", "http://127.0.0.1:"),
            Map.entry("endpoints.crm.url", "http://127.0.0.1:1/crm"),
            Map.entry("endpoints.crm.retries", "3"));
    assertThat(context.requireSecret("crm.token").reveal()).isEqualTo(SECRET);
  }

  @Test
  void aSettingForAPluginThatIsNotLoadedStopsTheServerNamingIt() throws Exception {
    Path file = directory.resolve("orchestrion.properties");
    Files.writeString(file, "plugins.htp-callout.secrets.token=" + SECRET + "\n");
    ServerConfig config = ServerConfigLoader.load(Optional.of(file), Map.of(), Map.of());

    assertThatThrownBy(() -> config.pluginConfiguration().resolve(List.of("http-callout")))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("setting 'plugins.htp-callout.secrets.token' names no loaded plugin")
        .hasMessageNotContaining(SECRET);
  }
}
