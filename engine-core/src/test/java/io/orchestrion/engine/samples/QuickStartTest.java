package io.orchestrion.engine.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmissionFilter;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.testing.ReadmeSnippets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start of engine-core's README: the README shows {@link QuickStart}, which works. */
class QuickStartTest {
  @TempDir Path data;

  @Test
  void theQuickStartApprovesAnExpenseInAFileDatabase() throws Exception {
    Path definitions = Path.of(resource("/quickstart/expense.object.json")).getParent();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream console = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[] {definitions.toString(), data.toString()});
    } finally {
      System.setOut(console);
    }
    // (the engine's log lines may go to the same console)
    assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains("APPROVED");

    // The state is in the file database: a new engine on it finds the approved submission and
    // the record the flow changed.
    EngineConfig config = EngineConfig.defaults(DataSources.h2File(data)).withStartWorkers(false);
    try (OrchestrionEngine engine = OrchestrionEngine.create(config).start()) {
      List<SubmissionView> submissions =
          engine.submissions().list(SubmissionFilter.ALL, Optional.empty(), 10).items();
      assertThat(submissions)
          .singleElement()
          .extracting(SubmissionView::status)
          .isEqualTo(SubmissionStatus.APPROVED);
      assertThat(engine.records().get("Expense", submissions.getFirst().recordId()).fields())
          .containsEntry("Status", "In Review");
    }
  }

  @Test
  void theReadmeShowsTheSamplesAsTheyAre() {
    ReadmeSnippets.Result result = ReadmeSnippets.check(Path.of("README.md"));

    assertThat(result.mismatches()).isEmpty();
    assertThat(result.checked()).isEqualTo(1);
  }

  @Test
  void aReadmeThatDiffersFromItsSourceIsReported(@TempDir Path module) throws Exception {
    java.nio.file.Files.createDirectories(module.resolve("src"));
    java.nio.file.Files.writeString(
        module.resolve("src/Sample.java"),
        """
        class Sample {
          // --- readme: hello ---
          void hello() {
            System.out.println("hello");
          }
          // --- end of readme: hello ---
        }
        """);
    java.nio.file.Files.writeString(
        module.resolve("README.md"),
        """
        <!-- snippet: src/Sample.java hello -->
        ```java
        void hello() {
          System.out.println("hello");
        }
        ```
        <!-- snippet: src/Sample.java goodbye -->
        ```java
        ```
        <!-- snippet: src/Sample.java hello -->
        ```java
        void hello() {}
        ```
        """);

    ReadmeSnippets.Result result = ReadmeSnippets.check(module.resolve("README.md"));

    assertThat(result.checked()).isEqualTo(3);
    assertThat(result.mismatches())
        .extracting(ReadmeSnippets.Mismatch::problem)
        .containsExactly(
            "no region 'goodbye' in src/Sample.java",
            "the README shows\nvoid hello() {}\nbut the source is\nvoid hello() {\n"
                + "  System.out.println(\"hello\");\n}");
  }

  private static java.net.URI resource(String name) throws URISyntaxException {
    return QuickStartTest.class.getResource(name).toURI();
  }
}
