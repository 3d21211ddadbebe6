package io.orchestrion.engine.plugins;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.DefinitionValidator;
import io.orchestrion.engine.api.DefinitionDocument;
import io.orchestrion.engine.api.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline validator knows the condition types of a plugin directory, and only with it. */
class OfflineValidationPluginsTest {
  @TempDir Path plugins;

  @Test
  void aPluginConditionTypeIsKnownWithThePluginDirectory() {
    TestPlugins.contributing("office", "OFFICE_HOURS").writeTo(plugins.resolve("office/o.jar"));
    String orchestration =
        """
        {"apiName": "Gated", "objectType": "Expense",
         "stages": [{"name": "S", "steps": [
           {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "SUBMITTER_MANAGER"},
            "start": {"type": "OFFICE_HOURS"}}]}]}
        """;
    List<DefinitionDocument> documents =
        List.of(
            new DefinitionDocument("expense.object.json", fixture("expense.object.json")),
            new DefinitionDocument("gated.json", orchestration));

    List<Finding> without = DefinitionValidator.withPlugins(Optional.empty()).validate(documents);
    List<Finding> with = DefinitionValidator.withPlugins(Optional.of(plugins)).validate(documents);

    assertThat(without)
        .extracting(Finding::toString)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "gated.json: $.stages[0].steps[0].start.type: unknown condition type"
                            + " 'OFFICE_HOURS'"));
    assertThat(with).noneMatch(finding -> finding.severity() == Finding.Severity.ERROR);
  }
}
