package io.orchestrion.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orchestrion validate} through the real command line (picocli), no database. */
class ValidateCommandTest {
  private static final Path DEMO = Path.of("src/main/resources/demo");
  private static final List<String> DEFINITIONS =
      List.of(
          "expense.object.json",
          "flow-mark-in-review.json",
          "flow-score-risk.json",
          "flow-is-large.json",
          "orchestration-expense.json");

  @TempDir Path directory;

  record Result(int exitCode, String output, String errors) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        Main.execute(
            args, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), Map.of());
    return new Result(exitCode, out.toString(UTF_8), err.toString(UTF_8));
  }

  private static String[] validate(List<String> files, String... options) {
    List<String> args = new ArrayList<>(List.of("validate"));
    args.addAll(List.of(options));
    args.addAll(files);
    return args.toArray(String[]::new);
  }

  private List<String> demoCopy() throws IOException {
    List<String> files = new ArrayList<>();
    for (String name : DEFINITIONS) {
      Path copy = directory.resolve(name);
      Files.copy(DEMO.resolve(name), copy);
      files.add(copy.toString());
    }
    return files;
  }

  @Test
  void theDemoDefinitionsAreValid() throws IOException {
    Path settings = Files.writeString(directory.resolve("orchestrion.properties"), "port=9000\n");
    Result result = run(validate(demoCopy(), "--config", settings.toString()));

    assertThat(result.exitCode()).as(result.toString()).isZero();
    // The demo's Is_Large_Expense decision has no default path on purpose: a warning, not an error.
    assertThat(result.output())
        .isEqualTo(
            directory.resolve("flow-is-large.json")
                + ": $.elements[0]: warning: Decision 'Check' has no default path: when no"
                + " outcome is true, the interview ends here\n"
                + "5 files valid (1 warning)\n");
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void aDirectoryStandsForItsJsonFiles() throws IOException {
    demoCopy();
    Files.writeString(directory.resolve("notes.txt"), "not json");

    Result result = run("validate", directory.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.output()).endsWith("5 files valid (1 warning)\n");
  }

  @Test
  void problemsArePrintedAsFilePathMessageAndExitWithOne() throws IOException {
    List<String> files = demoCopy();
    Path orchestration = directory.resolve("orchestration-expense.json");
    Files.writeString(
        orchestration,
        Files.readString(orchestration).replace("\"Score_Risk\"", "\"Score_Risks\""));

    Result result = run(validate(files));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.output())
        .contains(orchestration + ": $.stages[0].steps[1].flow: unknown flow 'Score_Risks'\n")
        .endsWith("5 files: 1 error, 1 warning\n");
  }

  @Test
  void jsonFormatListsEveryFinding() throws IOException {
    List<String> files = demoCopy().subList(4, 5);

    Result result = run(validate(files, "--format", "json"));

    assertThat(result.exitCode()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(result.output());
    assertThat(report.path("valid").asBoolean(true)).isFalse();
    assertThat(report.path("files").get(0).asText()).isEqualTo(files.get(0));
    JsonNode first = report.path("findings").get(0);
    assertThat(first.path("file").asText()).isEqualTo(files.get(0));
    assertThat(first.path("severity").asText()).isEqualTo("ERROR");
    assertThat(first.path("path").asText()).isEqualTo("$.objectType");
    assertThat(first.path("message").asText()).isEqualTo("unknown object type 'Expense'");
  }

  @Test
  void usageErrorsExitWithTwo() {
    Result none = run("validate");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.errors()).contains("Missing required parameter: 'FILE'");

    Result missing = run("validate", directory.resolve("nope.json").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errors()).contains("nope.json: no such file");

    Result format = run("validate", "--format", "xml", "x.json");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.errors()).contains("expected text or json, not 'xml'");

    Result plugins =
        run("validate", "--plugin-dir", directory.resolve("none").toString(), "x.json");
    assertThat(plugins.exitCode()).as(plugins.toString()).isEqualTo(2);

    Result config =
        run(
            "validate",
            "--config",
            directory.resolve("none.properties").toString(),
            directory.toString());
    assertThat(config.exitCode()).as(config.toString()).isEqualTo(2);
    assertThat(config.errors()).contains("none.properties");
  }
}
