package io.orchestrion.engine.plugins;

/** Sources of the plugins that the plugin-directory tests compile at test time. */
final class TestPlugins {
  private TestPlugins() {}

  /**
   * The probe every test plugin bundles in its own package: which host classes and resources the
   * plugin's code can reach, and whether the context class loader is the plugin's.
   */
  static String probe(String packageName) {
    return """
        package %s;

        import java.util.LinkedHashMap;
        import java.util.List;
        import java.util.Map;

        final class Probe {
          private Probe() {}

          static Map<String, Object> report() {
            Map<String, Object> report = new LinkedHashMap<>();
            for (String name : List.of(
                "com.google.inject.Guice",
                "com.fasterxml.jackson.databind.ObjectMapper",
                "io.orchestrion.engine.OrchestrionEngine",
                "io.orchestrion.flow.FlowInterpreter",
                "org.slf4j.LoggerFactory",
                "io.orchestrion.spi.Plugin",
                "io.orchestrion.api.OrchestrionException")) {
              report.put(name, load(name));
            }
            ClassLoader own = Probe.class.getClassLoader();
            report.put("resource fixtures/expense.object.json",
                own.getResource("fixtures/expense.object.json") == null ? "missing" : "visible");
            report.put("contextClassLoader",
                Thread.currentThread().getContextClassLoader() == own ? "plugin" : "other");
            return report;
          }

          private static String load(String name) {
            try {
              Class.forName(name);
              return "visible";
            } catch (ClassNotFoundException e) {
              return "ClassNotFoundException";
            }
          }
        }
        """
        .formatted(packageName);
  }

  /**
   * Plugin {@code gate} with condition type {@code TITLE_IS} (config {@code title}): met when the
   * record's Title is that title; its details are the probe's report. Its action {@code
   * gate.report} returns the probe's report as its output {@code report}.
   */
  static TestPluginJar gate() {
    return new TestPluginJar()
        .source("example.gate.Probe", probe("example.gate"))
        .source(
            "example.gate.GatePlugin",
            """
            package example.gate;

            import io.orchestrion.api.object.DataType;
            import io.orchestrion.spi.Action;
            import io.orchestrion.spi.ActionDescriptor;
            import io.orchestrion.spi.ActionFactory;
            import io.orchestrion.spi.ActionParameter;
            import io.orchestrion.spi.ConditionResult;
            import io.orchestrion.spi.ConditionSetup;
            import io.orchestrion.spi.ConditionType;
            import io.orchestrion.spi.ConditionTypeFactory;
            import io.orchestrion.spi.Plugin;
            import java.util.List;
            import java.util.Map;

            public final class GatePlugin implements Plugin {
              @Override
              public String id() {
                return "gate";
              }

              @Override
              public List<ConditionTypeFactory> getConditionTypeFactories() {
                return List.of(new ConditionTypeFactory() {
                  @Override
                  public String id() {
                    return "TITLE_IS";
                  }

                  @Override
                  public ConditionType create(ConditionSetup setup) {
                    Object title = setup.config().get("title");
                    if (!(title instanceof String)) {
                      setup.problem("title", "must be a text, was " + title);
                    }
                    for (String key : setup.config().keySet()) {
                      if (!key.equals("title")) {
                        setup.problem(key, "unknown property '" + key + "'");
                      }
                    }
                    return context -> {
                      Object actual = context.resolve("$Record.Title").orElse(null);
                      ConditionResult result = title.equals(actual)
                          ? ConditionResult.met("the title is '" + title + "'")
                          : ConditionResult.notMet("the title is '" + actual + "', not '" + title + "'");
                      return result.withDetails(Probe.report());
                    };
                  }
                });
              }

              @Override
              public List<ActionFactory> getActionFactories() {
                return List.of(new ActionFactory() {
                  @Override
                  public ActionDescriptor descriptor() {
                    return new ActionDescriptor("gate.report", "Reports what the plugin sees",
                        List.of(), List.of(ActionParameter.required("report", DataType.TEXT)),
                        false);
                  }

                  @Override
                  public Action create() {
                    return invocation -> Map.of("report", Probe.report().toString());
                  }
                });
              }
            }
            """)
        .service("example.gate.GatePlugin");
  }

  /**
   * A plugin bundling its own {@code shared.Helper} class and {@code shared/version.txt} resource
   * (the same names in every version); its condition type {@code <conditionType>} is met with the
   * explanation "class <version>, resource <version>".
   */
  static TestPluginJar withHelperVersion(String pluginId, String conditionType, String version) {
    String packageName = "example." + pluginId.replace('-', '_');
    return new TestPluginJar()
        .source(
            "shared.Helper",
            """
            package shared;

            import java.io.IOException;
            import java.io.InputStream;
            import java.nio.charset.StandardCharsets;

            public final class Helper {
              private Helper() {}

              public static String version() {
                // Through the context class loader, as libraries look their resources up.
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                try (InputStream in = context.getResourceAsStream("shared/version.txt")) {
                  String resource = in == null
                      ? "missing"
                      : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                  return "class %s, resource " + resource;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
            """
                .formatted(version))
        .resource("shared/version.txt", version)
        .source(
            packageName + ".VersionPlugin",
            """
            package %s;

            import io.orchestrion.spi.ConditionResult;
            import io.orchestrion.spi.ConditionSetup;
            import io.orchestrion.spi.ConditionType;
            import io.orchestrion.spi.ConditionTypeFactory;
            import io.orchestrion.spi.Plugin;
            import java.util.List;

            public final class VersionPlugin implements Plugin {
              @Override
              public String id() {
                return "%s";
              }

              @Override
              public List<ConditionTypeFactory> getConditionTypeFactories() {
                return List.of(new ConditionTypeFactory() {
                  @Override
                  public String id() {
                    return "%s";
                  }

                  @Override
                  public ConditionType create(ConditionSetup setup) {
                    return context -> ConditionResult.met(shared.Helper.version());
                  }
                });
              }
            }
            """
                .formatted(packageName, pluginId, conditionType))
        .service(packageName + ".VersionPlugin");
  }

  /** A plugin {@code <pluginId>} contributing one always-met condition type. */
  static TestPluginJar contributing(String pluginId, String conditionType) {
    String packageName = "example." + pluginId.replace('-', '_');
    return new TestPluginJar()
        .source(
            packageName + ".SimplePlugin",
            """
            package %s;

            import io.orchestrion.spi.ConditionResult;
            import io.orchestrion.spi.ConditionSetup;
            import io.orchestrion.spi.ConditionType;
            import io.orchestrion.spi.ConditionTypeFactory;
            import io.orchestrion.spi.Plugin;
            import java.util.List;

            public final class SimplePlugin implements Plugin {
              @Override
              public String id() {
                return "%s";
              }

              @Override
              public List<ConditionTypeFactory> getConditionTypeFactories() {
                return List.of(new ConditionTypeFactory() {
                  @Override
                  public String id() {
                    return "%s";
                  }

                  @Override
                  public ConditionType create(ConditionSetup setup) {
                    return context -> ConditionResult.met("always");
                  }
                });
              }
            }
            """
                .formatted(packageName, pluginId, conditionType))
        .service(packageName + ".SimplePlugin");
  }

  /** A plugin whose constructor throws. */
  static TestPluginJar failingConstructor() {
    return new TestPluginJar()
        .source(
            "example.broken.BrokenPlugin",
            """
            package example.broken;

            import io.orchestrion.spi.Plugin;

            public final class BrokenPlugin implements Plugin {
              public BrokenPlugin() {
                throw new IllegalStateException("no licence key configured");
              }

              @Override
              public String id() {
                return "broken";
              }
            }
            """)
        .service("example.broken.BrokenPlugin");
  }

  /** A plugin whose class extends a class that the jar lacks. */
  static TestPluginJar missingSuperclass() {
    return new TestPluginJar()
        .source(
            "example.needy.Base",
            """
            package example.needy;

            public abstract class Base {}
            """)
        .source(
            "example.needy.NeedyPlugin",
            """
            package example.needy;

            import io.orchestrion.spi.Plugin;

            public final class NeedyPlugin extends Base implements Plugin {
              @Override
              public String id() {
                return "needy";
              }
            }
            """)
        .service("example.needy.NeedyPlugin")
        .omit("example.needy.Base");
  }

  /** A library jar: classes, no plugin. */
  static TestPluginJar libraryOnly() {
    return new TestPluginJar()
        .source(
            "example.library.Util",
            """
            package example.library;

            public final class Util {
              private Util() {}
            }
            """);
  }
}
