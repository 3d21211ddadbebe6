package io.orchestrion.server.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code orchestrion validate} on mutants (see {@link JsonMutator}) of the demo's definitions, and
 * on their text cut anywhere: it never fails with an exception or a usage error, answers 0 or 1,
 * prints every finding as {@code file: JSON path: message} with a path into that file's document,
 * and exits 1 exactly when a finding is an error.
 */
class ValidateCommandFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path DEMO = Path.of("src/main/resources/demo");
  private static final List<String> SET =
      List.of(
          "expense.object.json",
          "flow-mark-in-review.json",
          "flow-score-risk.json",
          "flow-is-large.json",
          "orchestration-expense.json");
  private static final Pattern FINDING =
      Pattern.compile(
          "(.+?\\.json): (\\$(?:\\.[A-Za-z_$][\\w$]*|\\[\\d+\\]|\\['(?:[^'\\\\]|\\\\.)*'\\])*): (.+)");

  /** The set with one document replaced by {@code text}. */
  record Case(String replaced, String text) {}

  @Property(tries = 60)
  void mutatedDefinitionsGetFindingsWithPathsIntoTheirDocument(@ForAll("mutants") Case mutant)
      throws IOException {
    check(mutant, true);
  }

  @Property(tries = 20)
  void truncatedDefinitionsAreMalformedJsonNotCrashes(@ForAll("truncated") Case cut)
      throws IOException {
    check(cut, false);
  }

  @Provide
  Arbitrary<Case> mutants() {
    return Arbitraries.randomValue(
            random -> {
              String name = SET.get(random.nextInt(SET.size()));
              JsonNode seed = readTree(demo(name));
              return new Case(name, JsonMutator.render(JsonMutator.mutate(seed, random)));
            })
        .withoutEdgeCases();
  }

  @Provide
  Arbitrary<Case> truncated() {
    return Arbitraries.randomValue(
            random -> {
              String name = SET.get(random.nextInt(SET.size()));
              String text = demo(name);
              return new Case(name, text.substring(0, 1 + random.nextInt(text.length() - 2)));
            })
        .withoutEdgeCases();
  }

  private static void check(Case mutant, boolean pathsResolve) throws IOException {
    Path directory = Files.createTempDirectory("validate-fuzz");
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : SET) {
      String text = name.equals(mutant.replaced()) ? mutant.text() : demo(name);
      files.put(directory.resolve(name).toString(), text);
      Files.writeString(directory.resolve(name), text, UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        Main.execute(
            prepend("validate", files.keySet()),
            new PrintStream(out, true, UTF_8),
            new PrintStream(err, true, UTF_8),
            Map.of());
    String output = out.toString(UTF_8);
    String describe = mutant.replaced() + ":\n" + mutant.text() + "\n->\n" + output + err;
    assertThat(exitCode).as(describe).isIn(0, 1);
    assertThat(err.toString(UTF_8)).as(describe).isEmpty();
    List<String> lines = output.lines().toList();
    assertThat(lines).as(describe).isNotEmpty();
    boolean anyError = false;
    for (String line : lines.subList(0, lines.size() - 1)) {
      Matcher matcher = FINDING.matcher(line);
      assertThat(matcher.matches()).as("%s%n%s", line, describe).isTrue();
      assertThat(files).as(describe).containsKey(matcher.group(1));
      anyError |= !matcher.group(3).startsWith("warning: ");
      if (pathsResolve
          && matcher.group(1).endsWith(mutant.replaced())
          && !matcher.group(3).startsWith("malformed JSON")) {
        JsonNode document;
        try {
          document = MAPPER.readTree(mutant.text());
        } catch (IOException tooDeep) {
          continue; // nesting beyond the parser's limit: the path is "$" (checked by the regex)
        }
        assertThat(ProblemPaths.check(document, matcher.group(2))).as(describe).isEmpty();
      }
    }
    assertThat(exitCode).as(describe).isEqualTo(anyError ? 1 : 0);
    if (!pathsResolve) {
      assertThat(output).as(describe).contains(": $: malformed JSON");
    }
    for (String file : files.keySet()) {
      Files.delete(Path.of(file));
    }
    Files.delete(directory);
  }

  private static String[] prepend(String first, Iterable<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    rest.forEach(all::add);
    return all.toArray(String[]::new);
  }

  private static String demo(String name) {
    try {
      return Files.readString(DEMO.resolve(name), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readTree(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
