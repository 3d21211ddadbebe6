package io.orchestrion.engine.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The documentation check fails on what it must refuse, with {@code file:line: message}. */
class DocSnippetsCheckerTest {
  private final DocSnippets checker = new DocSnippets();

  @Test
  void anUnknownPropertyInAStepFails() {
    String markdown =
        """
        # Steps

        <!-- snippet: step -->
        ```json
        {"name": "Notify", "kind": "BACKGROUND", "flow": "Log_Only",
         "startCondition": {"type": "STAGE_STARTS"}}
        ```
        """;

    DocSnippets.Result result = checker.check("broken.md", markdown);

    assertThat(result.snippets()).hasSize(1);
    assertThat(result.failures())
        .anySatisfy(f -> assertThat(f).startsWith("broken.md:4: ").contains("startCondition"));
  }

  @Test
  void invalidJsonAndAMissingMarkerFail() {
    String markdown =
        """
        <!-- snippet: json -->
        ```json
        {"status": "UP",}
        ```

        ```json
        {"status": "UP"}
        ```
        """;

    DocSnippets.Result result = checker.check("api.md", markdown);

    assertThat(result.failures())
        .hasSize(2)
        .satisfiesExactly(
            f -> assertThat(f).startsWith("api.md:2: not JSON"),
            f -> assertThat(f).startsWith("api.md:6: json block without a marker"));
  }

  @Test
  void anOrchestrationIsCheckedWithTheFixturesItUses() {
    String orchestration =
        """
        {"apiName": "Doc_Sample", "objectType": "Expense",
         "stages": [{"name": "One", "steps": [
           {"name": "Mark", "kind": "BACKGROUND", "flow": "No_Such_Flow",
            "start": {"type": "STAGE_STARTS"}}]}]}
        """;
    String markdown =
        "<!-- snippet: orchestration uses expense.object.json -->\n```json\n"
            + orchestration
            + "```\n";

    DocSnippets.Result result = checker.check("orchestrations.md", markdown);

    assertThat(result.failures())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f).startsWith("orchestrations.md:2: "))
        .anySatisfy(f -> assertThat(f).contains("No_Such_Flow"));

    String valid = orchestration.replace("No_Such_Flow", "Mark_In_Review");
    String fixed =
        "<!-- snippet: orchestration uses expense.object.json, flow-mark-in-review.json -->\n"
            + "```json\n"
            + valid
            + "```\n";
    assertThat(checker.check("orchestrations.md", fixed).failures()).isEmpty();
  }

  @Test
  void anUnlabelledJsonBlockFailsAndOtherBlocksAreIgnored() {
    String markdown =
        """
        ```
        {"name": "Mark", "startCondition": {}}
        ```

        ```sh
        echo '{"not": checked}'
        ```
        """;

    DocSnippets.Result result = checker.check("plugins.md", markdown);

    assertThat(result.snippets()).isEmpty();
    assertThat(result.failures())
        .containsExactly("plugins.md:1: looks like JSON: label the block ```json");
  }

  @Test
  void aJsonBlockQuotedInALongerFenceIsNotASnippet() {
    String markdown =
        """
        ````markdown
        ```json
        {"broken": ,}
        ```
        ````
        """;

    DocSnippets.Result result = checker.check("README.md", markdown);

    assertThat(result.snippets()).isEmpty();
    assertThat(result.failures()).isEmpty();
  }
}
