package io.orchestrion.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps code shown in a README true: a README line {@code <!-- snippet: PATH NAME -->} must be
 * followed by a fenced block whose text equals the region of the source file PATH (relative to the
 * README's directory) between the lines {@code // --- readme: NAME ---} and {@code // --- end of
 * readme: NAME ---}, with the region's common indentation removed. The source file is compiled and
 * run by the build, so the README shows code that works.
 */
public final class ReadmeSnippets {
  private static final String MARKER = "<!-- snippet: ";

  private ReadmeSnippets() {}

  /** A snippet whose README text differs from its source, or that cannot be found. */
  public record Mismatch(String snippet, String problem) {}

  /** Checks every snippet of {@code readme}; returns how many it checked and what differs. */
  public static Result check(Path readme) {
    List<String> lines = lines(readme);
    List<Mismatch> mismatches = new ArrayList<>();
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith(MARKER) || !line.endsWith("-->")) {
        continue;
      }
      checked++;
      String[] reference =
          line.substring(MARKER.length(), line.length() - 3).trim().split("\\s+", 2);
      String snippet = String.join(" ", reference);
      if (reference.length != 2) {
        mismatches.add(new Mismatch(snippet, "the marker needs a path and a name"));
        continue;
      }
      if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
        mismatches.add(new Mismatch(snippet, "no fenced code block right after the marker"));
        continue;
      }
      List<String> shown = new ArrayList<>();
      int j = i + 2;
      while (j < lines.size() && !lines.get(j).startsWith("```")) {
        shown.add(lines.get(j++));
      }
      Path source = readme.toAbsolutePath().getParent().resolve(reference[0]);
      List<String> region = region(source, reference[1]);
      if (region == null) {
        mismatches.add(
            new Mismatch(snippet, "no region '" + reference[1] + "' in " + reference[0]));
      } else if (!region.equals(shown)) {
        mismatches.add(
            new Mismatch(
                snippet,
                "the README shows\n"
                    + String.join("\n", shown)
                    + "\nbut the source is\n"
                    + String.join("\n", region)));
      }
    }
    return new Result(checked, mismatches);
  }

  /** How many snippets were checked, and those that differ. */
  public record Result(int checked, List<Mismatch> mismatches) {}

  private static List<String> region(Path source, String name) {
    if (!Files.exists(source)) {
      return null;
    }
    List<String> lines = lines(source);
    int start =
        lines.stream().map(String::trim).toList().indexOf("// --- readme: " + name + " ---");
    int end =
        lines.stream().map(String::trim).toList().indexOf("// --- end of readme: " + name + " ---");
    if (start < 0 || end < start) {
      return null;
    }
    List<String> region = lines.subList(start + 1, end);
    int indent =
        region.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return region.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
