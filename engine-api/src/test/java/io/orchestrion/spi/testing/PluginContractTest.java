package io.orchestrion.spi.testing;

import static io.orchestrion.spi.testing.ContractTestPlugins.action;
import static io.orchestrion.spi.testing.ContractTestPlugins.conditionType;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.ConditionTypeFactory;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import io.orchestrion.spi.testing.ContractTestPlugins.BrokenPlugin;
import io.orchestrion.spi.testing.ContractTestPlugins.ClashingPlugin;
import io.orchestrion.spi.testing.ContractTestPlugins.GoodPlugin;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginContractTest {
  @TempDir Path directory;

  /** A plugin whose contributions are given by the test. */
  private record ConfiguredPlugin(
      String id, List<ConditionTypeFactory> conditionTypes, List<ActionFactory> actions)
      implements Plugin {
    @Override
    public List<ConditionTypeFactory> getConditionTypeFactories() {
      return conditionTypes;
    }

    @Override
    public List<ActionFactory> getActionFactories() {
      return actions;
    }
  }

  @Test
  void aPluginFollowingTheRulesHasNoViolations() {
    assertThat(PluginContract.violations(new GoodPlugin())).isEmpty();
    PluginContract.assertValid(new GoodPlugin());
  }

  /** Needs setting {@code url}; refuses a missing one, leaking its secret when told to. */
  private static final class SettingsPlugin implements Plugin {
    private final boolean leak;
    private String url;

    SettingsPlugin(boolean leak) {
      this.leak = leak;
    }

    @Override
    public String id() {
      return "settings";
    }

    @Override
    public void configure(PluginContext context) {
      if (leak && context.setting("url").isEmpty()) {
        throw new IllegalArgumentException(
            "no url; token was " + context.requireSecret("token").reveal());
      }
      url = context.requireSetting("url");
    }

    @Override
    public List<ActionFactory> getActionFactories() {
      if (url == null) {
        throw new IllegalStateException("asked for actions before configure");
      }
      return List.of();
    }
  }

  @Test
  void configuresThePluginBeforeAskingForItsContributions() {
    PluginContext good = new PluginContext("settings", Map.of("url", "http://localhost"), Map.of());
    assertThat(PluginContract.violations(new SettingsPlugin(false), good)).isEmpty();
    PluginContract.assertValid(new SettingsPlugin(false), good);

    assertThat(
            PluginContract.violations(new SettingsPlugin(false), PluginContext.empty("settings")))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("configure(...) refused the settings")
        .contains("'plugins.settings.url'");
    assertThat(PluginContract.violations(new SettingsPlugin(false), PluginContext.empty("other")))
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("configured with the context of plugin 'other'");
  }

  @Test
  void reportsASecretValueInARefusal() {
    PluginContext withSecret =
        new PluginContext(
            "settings", Map.of(), Map.of("token", Secret.of("token", "s3cr3t-v4lue")));

    List<String> violations = PluginContract.violations(new SettingsPlugin(true), withSecret);

    assertThat(violations)
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .contains("put the value of secret 'token' in its message")
        .doesNotContain("s3cr3t-v4lue");
  }

  @Test
  void reportsEveryBadIdAtOnce() {
    Plugin plugin =
        new ConfiguredPlugin(
            "Time Window",
            List.of(conditionType("time_window"), conditionType("OK_TYPE")),
            List.of(action("Send-Mail", List.of()), action("9lives", List.of())));

    assertThat(PluginContract.violations(plugin))
        .containsExactly(
            "plugin 'Time Window' ("
                + ConfiguredPlugin.class.getName()
                + "): id 'Time Window'"
                + " does not match [a-z][a-z0-9_.-]*",
            "plugin 'Time Window' ("
                + ConfiguredPlugin.class.getName()
                + "): condition type id"
                + " 'time_window' does not match [A-Z][A-Z0-9_]*",
            "plugin 'Time Window' ("
                + ConfiguredPlugin.class.getName()
                + "): action id"
                + " 'Send-Mail' does not match [a-z][a-z0-9_.-]*",
            "plugin 'Time Window' ("
                + ConfiguredPlugin.class.getName()
                + "): action id '9lives'"
                + " does not match [a-z][a-z0-9_.-]*");
  }

  @Test
  void acceptsDotsDashesAndUnderscoresInLowerCaseIds() {
    Plugin plugin =
        new ConfiguredPlugin(
            "acme.time-window_2",
            List.of(conditionType("TIME_WINDOW_2")),
            List.of(action("mail.send-now_2", List.of())));

    assertThat(PluginContract.violations(plugin)).isEmpty();
  }

  @Test
  void rejectsDuplicatesWithinAPlugin() {
    Plugin plugin =
        new ConfiguredPlugin(
            "twice",
            List.of(conditionType("SAME"), conditionType("SAME")),
            List.of(
                action("echo", List.of()),
                action(
                    "echo2",
                    List.of(
                        ActionParameter.required("text", DataType.TEXT),
                        ActionParameter.optional("text", DataType.NUMBER)))));

    assertThat(PluginContract.violations(plugin))
        .containsExactly(
            "plugin 'twice' ("
                + ConfiguredPlugin.class.getName()
                + "): condition type 'SAME' is also contributed by plugin 'twice'",
            "plugin 'twice' ("
                + ConfiguredPlugin.class.getName()
                + "): action 'echo2' declares input 'text' twice");
  }

  @Test
  void rejectsDuplicatesAcrossPlugins() {
    Plugin sameId =
        new ConfiguredPlugin("good", List.of(), List.of(action("good.echo", List.of())));

    List<String> violations =
        PluginContract.violations(List.of(new GoodPlugin(), new ClashingPlugin(), sameId));

    assertThat(violations)
        .containsExactly(
            "plugin 'clashing' ("
                + ClashingPlugin.class.getName()
                + "): condition type 'ALWAYS' is also contributed by plugin 'good'",
            "plugin 'good' ("
                + ConfiguredPlugin.class.getName()
                + "): id 'good' is also the id of "
                + GoodPlugin.class.getName(),
            "plugin 'good' ("
                + ConfiguredPlugin.class.getName()
                + "): action 'good.echo' is also contributed by plugin 'good'");
    assertThatThrownBy(
            () -> PluginContract.assertValid(List.of(new GoodPlugin(), new ClashingPlugin())))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("condition type 'ALWAYS' is also contributed by plugin 'good'");
  }

  @Test
  void turnsNullsAndExceptionsFromPluginCodeIntoViolations() {
    Plugin plugin =
        new Plugin() {
          @Override
          public String id() {
            return "faulty";
          }

          @Override
          public List<ConditionTypeFactory> getConditionTypeFactories() {
            throw new IllegalStateException("boom");
          }

          @Override
          public List<ActionFactory> getActionFactories() {
            return null;
          }
        };

    assertThat(PluginContract.violations(plugin))
        .containsExactly(
            "plugin 'faulty' ("
                + plugin.getClass().getName()
                + "): getConditionTypeFactories() failed: java.lang.IllegalStateException: boom",
            "plugin 'faulty' ("
                + plugin.getClass().getName()
                + "): getActionFactories() returned null");
  }

  @Test
  void callsPluginCodeWithThePluginClassLoaderAsContextClassLoader() {
    ClassLoader outside = new URLClassLoader(new URL[0], null);
    ClassLoader[] seen = new ClassLoader[1];
    Plugin plugin =
        new Plugin() {
          @Override
          public String id() {
            seen[0] = Thread.currentThread().getContextClassLoader();
            return "tccl";
          }
        };
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(outside);
    try {
      PluginContract.assertValid(plugin);
      assertThat(seen[0]).isSameAs(plugin.getClass().getClassLoader());
      assertThat(thread.getContextClassLoader()).isSameAs(outside);
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @Test
  void loadsPluginsListedInMetaInfServices() throws IOException {
    try (URLClassLoader loader = pluginDirectory(GoodPlugin.class, ClashingPlugin.class)) {
      List<Plugin> plugins = PluginContract.loadPlugins(loader);

      assertThat(plugins).extracting(Plugin::id).containsExactly("good", "clashing");
    }
  }

  @Test
  void reportsAProviderThatCannotBeInstantiated() throws IOException {
    try (URLClassLoader loader = pluginDirectory(BrokenPlugin.class)) {
      assertThatThrownBy(() -> PluginContract.loadPlugins(loader))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("cannot load a plugin listed in META-INF/services")
          .hasMessageContaining(BrokenPlugin.class.getName());
    }
  }

  @Test
  void assertOnClassPathNamesWhatItFound() {
    // engine-api registers no plugin, so the test class path has none.
    assertThat(PluginContract.loadPlugins()).isEmpty();
    assertThatThrownBy(() -> PluginContract.assertOnClassPath("time-window"))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "no plugin with id 'time-window' on the class path; found []. Is it listed in"
                + " META-INF/services/io.orchestrion.spi.Plugin?");
  }

  /** A class loader that sees the test classes plus a services file listing {@code plugins}. */
  private URLClassLoader pluginDirectory(Class<?>... plugins) throws IOException {
    Path services = directory.resolve("META-INF/services/" + Plugin.class.getName());
    Files.createDirectories(services.getParent());
    StringBuilder lines = new StringBuilder("# written by PluginContractTest\n");
    for (Class<?> plugin : plugins) {
      lines.append(plugin.getName()).append('\n');
    }
    Files.writeString(services, lines);
    return new URLClassLoader(
        new URL[] {directory.toUri().toURL()}, PluginContractTest.class.getClassLoader());
  }
}
