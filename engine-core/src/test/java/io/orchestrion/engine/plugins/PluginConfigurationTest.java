package io.orchestrion.engine.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Settings and secrets from a file, the environment or a program reach their plugin. */
class PluginConfigurationTest {
  private static final String SECRET = "tok-8a1c-do-not-print";

  @Test
  void fileEnvironmentAndProgramEntriesReachTheirPlugins() {
    PluginConfiguration configuration =
        PluginConfiguration.empty()
            .withFileEntry("http-callout.endpoints.crm.url", "http://127.0.0.1:1/file")
            .withFileEntry("http-callout.allow", "http://127.0.0.1:")
            .withFileEntry("http.other", "for plugin http")
            .and(
                PluginConfiguration.fromEnvironment(
                    Map.of(
                        "ORCHESTRION_PLUGINS_HTTP_CALLOUT_ENDPOINTS_CRM_URL",
                            "http://127.0.0.1:1/env",
                        "ORCHESTRION_PLUGINS_HTTP_CALLOUT_SECRETS_CRM_TOKEN", SECRET,
                        "ORCHESTRION_PORT", "8080",
                        "PATH", "/usr/bin")))
            .withSetting("time-window", "zone", "Europe/Paris");

    Map<String, PluginContext> contexts =
        configuration.resolve(List.of("http", "http-callout", "time-window", "none"));

    PluginContext callout = contexts.get("http-callout");
    // The environment comes after the file, so it wins; the longest plugin id is the owner.
    assertThat(callout.settings())
        .containsExactly(
            Map.entry("allow", "http://127.0.0.1:"),
            Map.entry("endpoints.crm.url", "http://127.0.0.1:1/env"));
    assertThat(callout.secret("crm.token").orElseThrow().reveal()).isEqualTo(SECRET);
    assertThat(contexts.get("http").settings())
        .containsExactly(Map.entry("other", "for plugin http"));
    assertThat(contexts.get("time-window").setting("zone")).contains("Europe/Paris");
    assertThat(contexts.get("none").settings()).isEmpty();
    assertThat(configuration.toString())
        .contains("ORCHESTRION_PLUGINS_HTTP_CALLOUT_SECRETS_CRM_TOKEN")
        .doesNotContain(SECRET)
        .doesNotContain("http://127.0.0.1:1/env");
  }

  @Test
  void anEntryForNoLoadedPluginStopsTheStartUpWithoutItsValue() {
    PluginConfiguration configuration =
        PluginConfiguration.fromEnvironment(
            Map.of("ORCHESTRION_PLUGINS_HTTP_CALOUT_SECRETS_TOKEN", SECRET));

    assertThatThrownBy(() -> configuration.resolve(List.of("http-callout")))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.PLUGIN_ERROR.toErrorCode()))
        .hasMessage(
            "environment variable ORCHESTRION_PLUGINS_HTTP_CALOUT_SECRETS_TOKEN names no loaded"
                + " plugin (loaded plugins: [http-callout])")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void anInvalidKeyIsNamedWithItsSource() {
    PluginConfiguration configuration =
        PluginConfiguration.empty().withFileEntry("http-callout.baseUrl", SECRET);

    assertThatThrownBy(() -> configuration.resolve(List.of("http-callout")))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining(
            "Invalid key 'baseUrl' in setting 'plugins.http-callout.baseUrl' for plugin"
                + " 'http-callout'")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void theManagerConfiguresEachPluginBeforeAskingForItsContributionsAndLogsNoSecret() {
    AtomicReference<PluginContext> seen = new AtomicReference<>();
    Plugin plugin =
        new Plugin() {
          @Override
          public String id() {
            return "configured";
          }

          @Override
          public void configure(PluginContext context) {
            seen.set(context);
          }
        };
    Logger logger = (Logger) LoggerFactory.getLogger(PluginManager.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      new PluginManager(
          List.of(LoadedPlugin.fromClassPath(plugin)),
          PluginConfiguration.empty()
              .withSetting("configured", "greeting", "hello")
              .withSecret("configured", "api.key", SECRET));
    } finally {
      logger.detachAppender(appender);
    }

    assertThat(seen.get().pluginId()).isEqualTo("configured");
    assertThat(seen.get().setting("greeting")).contains("hello");
    assertThat(seen.get().secret("api.key").orElseThrow().reveal()).isEqualTo(SECRET);
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line -> assertThat(line).contains("Loaded plugin 'configured'", "secrets [api.key]"))
        .noneSatisfy(line -> assertThat(line).contains(SECRET));
  }

  @Test
  void aPluginThatRejectsItsSettingsStopsTheStartUpNamingThePlugin() {
    Plugin plugin =
        new Plugin() {
          @Override
          public String id() {
            return "picky";
          }

          @Override
          public void configure(PluginContext context) {
            context.requireSetting("endpoint");
          }
        };

    assertThatThrownBy(
            () ->
                new PluginManager(
                    List.of(LoadedPlugin.fromClassPath(plugin)), PluginConfiguration.empty()))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.PLUGIN_ERROR.toErrorCode()))
        .hasMessage(
            "Plugin 'picky' (class path) is not configured correctly: Setting"
                + " 'plugins.picky.endpoint' (environment ORCHESTRION_PLUGINS_PICKY_ENDPOINT) is"
                + " missing");
  }
}
