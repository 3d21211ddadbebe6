package io.orchestrion.engine.plugins;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.Plugin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A plugin jar built at test time: Java sources compiled with the system compiler against the
 * engine-api classes only (as a real plugin is), plus resources and the services file, packed with
 * {@code java.util.jar}. Tests depend on no other module's build output this way.
 */
final class TestPluginJar {
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Map<String, String> resources = new LinkedHashMap<>();
  private final List<String> services = new ArrayList<>();
  private final List<String> omitted = new ArrayList<>();

  /** Adds a source; {@code className} is the fully qualified name of its top-level class. */
  TestPluginJar source(String className, String code) {
    sources.put(requireNonNull(className, "className is null"), code);
    return this;
  }

  TestPluginJar resource(String name, String content) {
    resources.put(requireNonNull(name, "name is null"), content);
    return this;
  }

  /** Lists {@code className} in {@code META-INF/services/io.orchestrion.spi.Plugin}. */
  TestPluginJar service(String className) {
    services.add(requireNonNull(className, "className is null"));
    return this;
  }

  /** Leaves the compiled class out of the jar: a dependency the installation forgot. */
  TestPluginJar omit(String className) {
    omitted.add(requireNonNull(className, "className is null"));
    return this;
  }

  /** Compiles and writes the jar, creating its directory; returns {@code jar}. */
  Path writeTo(Path jar) {
    try {
      Path work = Files.createTempDirectory("plugin-build");
      Path classes = Files.createDirectories(work.resolve("classes"));
      if (!sources.isEmpty()) {
        compile(work.resolve("src"), classes);
      }
      for (String className : omitted) {
        Files.delete(classes.resolve(className.replace('.', '/') + ".class"));
      }
      for (var resource : resources.entrySet()) {
        write(classes.resolve(resource.getKey()), resource.getValue());
      }
      if (!services.isEmpty()) {
        write(
            classes.resolve("META-INF/services/" + Plugin.class.getName()),
            String.join("\n", services) + "\n");
      }
      Files.createDirectories(jar.toAbsolutePath().getParent());
      pack(classes, jar);
      deleteRecursively(work);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void compile(Path sourceDirectory, Path classes) throws IOException {
    List<Path> files = new ArrayList<>();
    for (var source : sources.entrySet()) {
      Path file = sourceDirectory.resolve(source.getKey().replace('.', '/') + ".java");
      write(file, source.getValue());
      files.add(file);
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager =
        compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options =
          List.of("--release", "21", "-d", classes.toString(), "-classpath", engineApiLocation());
      boolean compiled =
          compiler
              .getTask(
                  null,
                  fileManager,
                  diagnostics,
                  options,
                  null,
                  fileManager.getJavaFileObjectsFromPaths(files))
              .call();
      if (!compiled) {
        throw new AssertionError("test plugin does not compile: " + diagnostics.getDiagnostics());
      }
    }
  }

  /** Where the engine-api classes are: a directory in a reactor build, else the jar. */
  private static String engineApiLocation() {
    try {
      return Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pack(Path classes, Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(file));
        jarOut.closeEntry();
      }
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
