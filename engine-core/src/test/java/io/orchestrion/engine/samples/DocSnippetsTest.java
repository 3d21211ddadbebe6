package io.orchestrion.engine.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every fenced json block of the project's documentation is checked against the engine (issue #14):
 * docs/*.md, plugins/&#42;/README.md, the module READMEs and README.md. See {@link DocSnippets} for
 * the markers.
 */
class DocSnippetsTest {
  /** Fewer would mean the scan lost files or blocks; raise it as the docs grow. */
  private static final int MINIMUM_SNIPPETS = 14;

  private static final int MINIMUM_VALIDATED = 10;

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  static List<Path> documentation(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    try (Stream<Path> modules = Files.list(root)) {
      modules
          .filter(Files::isDirectory)
          .map(module -> module.resolve("README.md"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(files::add);
    }
    try (Stream<Path> plugins = Files.list(root.resolve("plugins"))) {
      plugins
          .map(plugin -> plugin.resolve("README.md"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(files::add);
    }
    files.add(root.resolve("README.md"));
    return files;
  }

  @Test
  void everyJsonBlockOfTheDocumentationIsValid() throws IOException {
    Path root = repositoryRoot();
    DocSnippets checker = new DocSnippets();
    List<DocSnippets.Snippet> snippets = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Path file : documentation(root)) {
      DocSnippets.Result result =
          checker.check(
              root.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
      snippets.addAll(result.snippets());
      failures.addAll(result.failures());
    }

    assertThat(failures).as("documentation snippets").isEmpty();
    assertThat(snippets).hasSizeGreaterThanOrEqualTo(MINIMUM_SNIPPETS);
    assertThat(snippets.stream().filter(s -> !s.kind().equals("fragment")).count())
        .as("snippets checked beyond parsing")
        .isGreaterThanOrEqualTo(MINIMUM_VALIDATED);
    assertThat(snippets).extracting(DocSnippets.Snippet::kind).contains("orchestration", "step");
  }
}
