package io.orchestrion.engine.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.conditions.BuiltInConditionsPlugin;
import io.orchestrion.flow.BuiltInActionsPlugin;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.Plugin;
import io.orchestrion.spi.testing.TestingConditionContext;
import io.orchestrion.spi.testing.TestingConditionSetup;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins from a plugin directory, built as jars at test time: each sub-directory gets its own
 * class loader that sees the engine-api packages of the host and nothing else of it.
 */
class PluginDirectoryTest {
  private static final List<Plugin> BUILT_INS =
      List.of(new BuiltInConditionsPlugin(), new BuiltInActionsPlugin());
  private static final Instant NOW = Instant.parse("2025-03-04T10:00:00Z");

  @TempDir Path plugins;

  private PluginManager load() {
    return PluginManager.load(BUILT_INS, getClass().getClassLoader(), Optional.of(plugins));
  }

  private static ConditionResult evaluate(
      PluginManager manager, String conditionType, Map<String, Object> config) {
    RegisteredConditionType type = manager.conditionType(conditionType).orElseThrow();
    TestingConditionSetup setup = TestingConditionSetup.withConfig(config);
    // As the engine does: every call into the plugin with its loader as context class loader.
    var condition =
        PluginCalls.call(type.pluginId(), type.classLoader(), () -> type.factory().create(setup));
    setup.assertNoProblems();
    return PluginCalls.call(
        type.pluginId(),
        type.classLoader(),
        () ->
            condition.evaluate(
                TestingConditionContext.at(NOW).withReference("$Record.Title", "go")));
  }

  @Test
  void aDirectoryPluginIsRegisteredNextToTheBuiltInsWithItsOwnClassLoader() {
    TestPlugins.gate().writeTo(plugins.resolve("gate/gate-1.0.jar"));

    PluginManager manager = load();

    assertThat(manager.pluginIds())
        .containsExactly("orchestrion-builtin-conditions", "orchestrion-builtin-actions", "gate");
    RegisteredConditionType type = manager.conditionType("TITLE_IS").orElseThrow();
    assertThat(type.pluginId()).isEqualTo("gate");
    assertThat(type.classLoader()).isInstanceOf(PluginClassLoader.class);
    assertThat(((PluginClassLoader) type.classLoader()).directory())
        .isEqualTo(plugins.resolve("gate"));
    assertThat(type.classLoader().getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    assertThat(type.factory().getClass().getClassLoader()).isSameAs(type.classLoader());
    assertThat(evaluate(manager, "TITLE_IS", Map.of("title", "go")).met()).isTrue();
  }

  @Test
  void aDirectoryPluginSeesTheEngineApiButNotTheEngineItsLibrariesOrTheHostsResources() {
    TestPlugins.gate().writeTo(plugins.resolve("gate/gate-1.0.jar"));
    // The host sees all of these: the test checks isolation, not absence.
    assertThat(getClass().getClassLoader().getResource("fixtures/expense.object.json")).isNotNull();

    Map<String, Object> report = evaluate(load(), "TITLE_IS", Map.of("title", "go")).details();

    assertThat(report)
        .containsEntry("com.google.inject.Guice", "ClassNotFoundException")
        .containsEntry("com.fasterxml.jackson.databind.ObjectMapper", "ClassNotFoundException")
        .containsEntry("io.orchestrion.engine.OrchestrionEngine", "ClassNotFoundException")
        .containsEntry("io.orchestrion.flow.FlowInterpreter", "ClassNotFoundException")
        .containsEntry("org.slf4j.LoggerFactory", "ClassNotFoundException")
        .containsEntry("io.orchestrion.spi.Plugin", "visible")
        .containsEntry("io.orchestrion.api.OrchestrionException", "visible")
        .containsEntry("resource fixtures/expense.object.json", "missing")
        .containsEntry("contextClassLoader", "plugin");
  }

  @Test
  void engineApiClassesAreTheHostsSoThatPluginAndEngineShareTheSpiTypes() throws Exception {
    TestPlugins.gate().writeTo(plugins.resolve("gate/gate-1.0.jar"));

    ClassLoader loader = load().conditionType("TITLE_IS").orElseThrow().classLoader();

    assertThat(loader.loadClass("io.orchestrion.spi.Plugin")).isSameAs(Plugin.class);
    assertThat(loader.getResource("io/orchestrion/spi/Plugin.class"))
        .isEqualTo(getClass().getClassLoader().getResource("io/orchestrion/spi/Plugin.class"));
    assertThat(loader.loadClass("java.util.List")).isSameAs(List.class);
  }

  @Test
  void twoPluginsBundlingDifferentVersionsOfTheSameHelperEachSeeTheirOwn() {
    TestPlugins.withHelperVersion("version-one", "VERSION_ONE", "1")
        .writeTo(plugins.resolve("one/one.jar"));
    TestPlugins.withHelperVersion("version-two", "VERSION_TWO", "2")
        .writeTo(plugins.resolve("two/two.jar"));

    PluginManager manager = load();

    assertThat(evaluate(manager, "VERSION_ONE", Map.of()).explanation())
        .isEqualTo("class 1, resource 1");
    assertThat(evaluate(manager, "VERSION_TWO", Map.of()).explanation())
        .isEqualTo("class 2, resource 2");
    assertThatThrownBy(() -> Class.forName("shared.Helper"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void jarsOfASubDirectoryShareOneLoaderAndAreSearchedInTheOrderOfTheirNames() {
    // The plugin's classes in one jar, its helper library in another.
    TestPlugins.withHelperVersion("split", "SPLIT", "1").writeTo(plugins.resolve("split/a.jar"));
    TestPlugins.withHelperVersion("unused", "UNUSED", "2").writeTo(plugins.resolve("split/b.jar"));

    PluginManager manager = load();

    assertThat(manager.pluginIds()).contains("split", "unused");
    // b.jar's plugin finds shared.Helper in a.jar first: one loader, jars sorted by name.
    assertThat(evaluate(manager, "UNUSED", Map.of()).explanation())
        .isEqualTo("class 1, resource 1");
  }

  @Test
  void aConditionTypeOnTheClassPathAndInTheDirectoryIsRejectedNamingBothAndWhereTheyCameFrom()
      throws IOException {
    Path classPathJar =
        TestPlugins.contributing("on-class-path", "SHARED_TYPE")
            .writeTo(Files.createTempDirectory("class-path").resolve("on-class-path.jar"));
    TestPlugins.contributing("in-directory", "SHARED_TYPE")
        .writeTo(plugins.resolve("in-directory/in-directory.jar"));

    try (URLClassLoader host =
        new URLClassLoader(new URL[] {classPathJar.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> PluginManager.load(BUILT_INS, host, Optional.of(plugins)))
          .isInstanceOf(OrchestrionException.class)
          .satisfies(e -> assertPluginError(e))
          .hasMessage(
              "Condition type 'SHARED_TYPE' is contributed by both plugin 'on-class-path' (class"
                  + " path) and plugin 'in-directory' (plugin directory '%s', in-directory.jar)"
                      .formatted(plugins.resolve("in-directory")));
    }
  }

  @Test
  void aDirectoryPluginCannotReplaceABuiltInConditionTypeOrReuseAPluginId() {
    TestPlugins.contributing("sneaky", "STAGE_STARTS").writeTo(plugins.resolve("sneaky/s.jar"));

    assertThatThrownBy(this::load)
        .hasMessageContaining(
            "Condition type 'STAGE_STARTS' is contributed by both plugin"
                + " 'orchestrion-builtin-conditions' (built-in) and plugin 'sneaky'");
  }

  @Test
  void theSamePluginInTwoSubDirectoriesIsADuplicatePluginId() {
    TestPlugins.contributing("twice", "TWICE").writeTo(plugins.resolve("first/twice.jar"));
    TestPlugins.contributing("twice", "TWICE").writeTo(plugins.resolve("second/twice.jar"));

    assertThatThrownBy(this::load)
        .hasMessageContaining("Duplicate plugin id 'twice'")
        .hasMessageContaining(
            "(plugin directory '%s', twice.jar)".formatted(plugins.resolve("first")))
        .hasMessageContaining(
            "(plugin directory '%s', twice.jar)".formatted(plugins.resolve("second")));
  }

  @Test
  void anEmptySubDirectoryIsAStartUpError() throws IOException {
    Files.createDirectories(plugins.resolve("forgotten"));

    assertThatThrownBy(this::load)
        .satisfies(e -> assertPluginError(e))
        .hasMessage(
            "Plugin sub-directory '%s' contains no jar: each sub-directory of the plugin directory"
                    .formatted(plugins.resolve("forgotten"))
                + " holds the jars of one plugin");
  }

  @Test
  void jarsWithoutAPluginAreAStartUpErrorNamingTheSubDirectoryAndTheJars() {
    TestPlugins.libraryOnly().writeTo(plugins.resolve("library/util.jar"));
    TestPlugins.libraryOnly().writeTo(plugins.resolve("library/more.jar"));

    assertThatThrownBy(this::load)
        .satisfies(e -> assertPluginError(e))
        .hasMessage(
            "Plugin sub-directory '%s' has no plugin: none of its jars [more.jar, util.jar] lists"
                    .formatted(plugins.resolve("library"))
                + " an implementation of io.orchestrion.spi.Plugin in"
                + " META-INF/services/io.orchestrion.spi.Plugin");
  }

  @Test
  void aPluginFailingToInstantiateIsAStartUpErrorNamingTheClassTheJarAndTheCause() {
    TestPlugins.failingConstructor().writeTo(plugins.resolve("broken/broken-2.1.jar"));

    assertThatThrownBy(this::load)
        .satisfies(e -> assertPluginError(e))
        .hasMessageStartingWith(
            "Plugin class 'example.broken.BrokenPlugin' in 'broken-2.1.jar' (plugin sub-directory"
                + " '%s') could not be instantiated:".formatted(plugins.resolve("broken")))
        .hasMessageContaining("IllegalStateException: no licence key configured");
  }

  @Test
  void aServicesFileNamingAMissingClassIsAStartUpErrorNamingTheSubDirectory() {
    new TestPluginJar().service("example.gone.GonePlugin").writeTo(plugins.resolve("gone/g.jar"));

    assertThatThrownBy(this::load)
        .satisfies(e -> assertPluginError(e))
        .hasMessageStartingWith(
            "Plugin sub-directory '%s' (jars [g.jar]) lists a plugin that cannot be loaded:"
                .formatted(plugins.resolve("gone")))
        .hasMessageContaining("example.gone.GonePlugin");
  }

  @Test
  void aPluginClassThatCannotBeLinkedIsAStartUpErrorNamingTheMissingClass() {
    TestPlugins.missingSuperclass().writeTo(plugins.resolve("needy/needy.jar"));

    assertThatThrownBy(this::load)
        .satisfies(e -> assertPluginError(e))
        .hasMessageStartingWith(
            "Plugin sub-directory '%s' (jars [needy.jar]) lists a plugin that cannot be loaded:"
                .formatted(plugins.resolve("needy")))
        .hasMessageContaining("example/needy/Base");
  }

  @Test
  void aJarDirectlyInThePluginDirectoryIsAStartUpErrorThatSaysWhereItBelongs() {
    TestPlugins.gate().writeTo(plugins.resolve("gate.jar"));

    assertThatThrownBy(this::load)
        .satisfies(e -> assertPluginError(e))
        .hasMessage(
            "Jar 'gate.jar' lies directly in the plugin directory '%s': put the jars of each plugin"
                    .formatted(plugins)
                + " in a sub-directory of their own, e.g. '%s'"
                    .formatted(plugins.resolve("gate/gate.jar")));
  }

  @Test
  void aMissingPluginDirectoryIsAStartUpError() {
    Path missing = plugins.resolve("nowhere");

    assertThatThrownBy(
            () -> PluginManager.load(BUILT_INS, getClass().getClassLoader(), Optional.of(missing)))
        .satisfies(e -> assertPluginError(e))
        .hasMessage(
            "Plugin directory '%s' does not exist or is not a directory".formatted(missing));
  }

  @Test
  void hiddenEntriesAndPlainFilesAreIgnoredAndAnEmptyDirectoryAddsNoPlugin() throws IOException {
    Files.createDirectories(plugins.resolve(".staging"));
    Files.writeString(plugins.resolve("README.txt"), "one sub-directory per plugin");

    assertThat(load().pluginIds())
        .containsExactly("orchestrion-builtin-conditions", "orchestrion-builtin-actions");
  }

  private static void assertPluginError(Throwable e) {
    assertThat(((OrchestrionException) e).getErrorCode())
        .isEqualTo(StandardErrorCode.PLUGIN_ERROR.toErrorCode());
  }
}
