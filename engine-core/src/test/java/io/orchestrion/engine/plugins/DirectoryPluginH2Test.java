package io.orchestrion.engine.plugins;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A condition type from a plugin in the plugin directory, built as a jar at test time, used by an
 * orchestration that runs end to end: deploy-time validation, evaluation and "explain" all go
 * through the plugin's own class loader.
 */
class DirectoryPluginH2Test {
  private static final String GATED =
      """
      {"apiName": "Gated", "objectType": "Expense",
       "stages": [{"name": "Only", "steps": [
         {"name": "Log", "kind": "BACKGROUND", "flow": "Log_Only",
          "inputs": {"recordId": {"ref": "$Record.Id"}},
          "start": %s}]}]}
      """;

  @TempDir Path plugins;
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  @BeforeEach
  void setUp() {
    TestPlugins.gate().writeTo(plugins.resolve("gate/gate-1.0.jar"));
    database = TestDatabases.h2();
    harness =
        EngineHarness.start(
            database,
            EngineHarness.config(database, true).withPluginDirectory(Optional.of(plugins)));
    engine = harness.engine();
    harness.defineExpense();
    harness.activateFlows("flow-log-only.json");
    engine.directory().saveUser(User.of("alice", "Alice Submitter"));
  }

  @AfterEach
  void tearDown() {
    harness.close();
    database.close();
  }

  private String submit(String title) {
    RecordData expense =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", title, "Amount", new BigDecimal("42.00"), "Status", "Draft"),
                "alice");
    return engine
        .submissions()
        .submit(
            new SubmitRequest("Expense", expense.id().orElseThrow(), "Gated", Optional.empty()),
            "alice")
        .runId();
  }

  @Test
  void anOrchestrationUsingTheDirectoryPluginsConditionTypeRunsToTheEnd() {
    engine
        .orchestrations()
        .deploy(
            orchestration(GATED.formatted("{\"type\": \"TITLE_IS\", \"title\": \"go\"}")), true);

    RunView run = harness.awaitEnd(submit("go"));

    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    RunView.Step step = run.stages().getFirst().steps().getFirst();
    assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(step.outputs()).containsEntry("note", "logged");
  }

  @Test
  void aFlowCallsTheDirectoryPluginsActionWithThePluginsClassLoaderAsContext() {
    engine
        .flows()
        .deploy(
            EngineHarness.read(
                """
                {"apiName": "Gate_Report", "type": "AUTOLAUNCHED",
                 "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                               {"name": "report", "type": "TEXT", "output": true}],
                 "start": "Report",
                 "elements": [{"type": "Action", "name": "Report", "action": "gate.report",
                               "outputs": {"report": "report"}}]}
                """,
                FlowDefinition.class),
            true);
    engine
        .orchestrations()
        .deploy(
            orchestration(
                GATED.formatted("{\"type\": \"STAGE_STARTS\"}").replace("Log_Only", "Gate_Report")),
            true);

    RunView run = harness.awaitEnd(submit("anything"));

    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.stages().getFirst().steps().getFirst().outputs().get("report"))
        .asString()
        .contains("com.google.inject.Guice=ClassNotFoundException")
        .contains("io.orchestrion.spi.Plugin=visible")
        .contains("contextClassLoader=plugin");
  }

  @Test
  void explainShowsThePluginsAnswerComputedInItsOwnIsolatedClassLoader() {
    engine
        .orchestrations()
        .deploy(
            orchestration(GATED.formatted("{\"type\": \"TITLE_IS\", \"title\": \"go\"}")), true);
    String runId = submit("wait");

    RunExplanation explanation = engine.runs().explain(runId);

    assertThat(explanation.status()).isEqualTo(RunStatus.IN_PROGRESS);
    RunExplanation.ConditionExplanation start = explanation.steps().getFirst().start();
    assertThat(start.type()).isEqualTo("TITLE_IS");
    assertThat(start.met()).isFalse();
    assertThat(start.explanation()).isEqualTo("the title is 'wait', not 'go'");
    assertThat(start.details())
        .containsEntry("com.google.inject.Guice", "ClassNotFoundException")
        .containsEntry("io.orchestrion.engine.OrchestrionEngine", "ClassNotFoundException")
        .containsEntry("io.orchestrion.spi.Plugin", "visible")
        .containsEntry("contextClassLoader", "plugin");
  }

  @Test
  void theDirectoryPluginsConfigurationProblemsRejectTheDefinitionWithTheirJsonPaths() {
    assertThatThrownBy(
            () ->
                engine
                    .orchestrations()
                    .deploy(
                        orchestration(
                            GATED.formatted("{\"type\": \"TITLE_IS\", \"colour\": \"red\"}")),
                        true))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getProblems())
                    .extracting(Problem::path)
                    .containsExactlyInAnyOrder(
                        "$.stages[0].steps[0].start.title", "$.stages[0].steps[0].start.colour"));
  }

  @Test
  void aBrokenPluginDirectoryStopsTheEngineFromBeingCreatedWithThePluginError() {
    Path missing = plugins.resolve("missing");

    assertThatThrownBy(
            () ->
                OrchestrionEngine.create(
                    EngineHarness.config(database, false).withPluginDirectory(Optional.of(missing)),
                    database.dataSource(),
                    Clock.systemUTC()))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.PLUGIN_ERROR.toErrorCode()))
        .hasMessage(
            "Plugin directory '%s' does not exist or is not a directory".formatted(missing));
  }
}
