package io.orchestrion.engine.validation;

import static io.orchestrion.engine.testing.EngineHarness.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.engine.DefinitionValidator;
import io.orchestrion.engine.api.DefinitionDocument;
import io.orchestrion.engine.api.Finding;
import io.orchestrion.engine.api.Finding.Severity;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The offline validator: documents given together, no database, the engine's own checks; and it
 * refuses what a real engine (on H2) refuses, with the same paths and messages.
 */
class DefinitionSetValidatorTest {
  private static final DefinitionValidator VALIDATOR =
      DefinitionValidator.withPlugins(Optional.empty());

  private static final List<String> EXPENSE_SET =
      List.of(
          "expense.object.json",
          "flow-mark-in-review.json",
          "flow-score-risk.json",
          "flow-is-large.json",
          "orchestration-expense.json");

  private static List<DefinitionDocument> fixtures(List<String> names) {
    return names.stream().map(name -> new DefinitionDocument(name, fixture(name))).toList();
  }

  private static List<Finding> errors(List<Finding> findings) {
    return findings.stream().filter(finding -> finding.severity() == Severity.ERROR).toList();
  }

  @Test
  void theExpenseDefinitionsTogetherAreValid() {
    List<Finding> findings = VALIDATOR.validate(fixtures(EXPENSE_SET));

    assertThat(errors(findings)).isEmpty();
  }

  @Test
  void anOrchestrationAloneMissesItsObjectTypeAndFlows() {
    List<Finding> findings = VALIDATOR.validate(fixtures(List.of("orchestration-expense.json")));

    assertThat(errors(findings))
        .extracting(Finding::toString)
        .contains(
            "orchestration-expense.json: $.objectType: unknown object type 'Expense'",
            "orchestration-expense.json: $.stages[0].steps[0].flow: unknown flow"
                + " 'Mark_In_Review'");
  }

  @Test
  void kindComesFromSchemaOrContent() {
    String flowLike =
        "{\"$schema\": \"https://x/schemas/object-type.schema.json\", \"apiName\": \"T\"}";
    List<Finding> findings =
        VALIDATOR.validate(
            List.of(
                new DefinitionDocument("typed.json", flowLike),
                new DefinitionDocument(
                    "bare-type.json", "{\"apiName\": \"Bare\", \"fields\": []}")));

    assertThat(findings).isEmpty();
    assertThat(
            DefinitionSetValidator.kindOf(
                EngineHarness.MAPPER.createObjectNode().put("start", "x")))
        .isEqualTo(io.orchestrion.engine.api.DocumentKind.FLOW);
  }

  @Test
  void malformedAndMisshapenDocumentsNameTheirPath() {
    List<Finding> findings =
        VALIDATOR.validate(
            List.of(
                new DefinitionDocument("broken.json", "{\"apiName\": \"A\", "),
                new DefinitionDocument("array.json", "[1, 2]"),
                new DefinitionDocument(
                    "unknown.json", "{\"apiName\": \"Thing\", \"fields\": [], \"colour\": 1}")));

    assertThat(findings)
        .extracting(Finding::toString)
        .anySatisfy(line -> assertThat(line).startsWith("broken.json: $: malformed JSON"))
        .contains(
            "array.json: $: expected a JSON object: an object type, a flow or an orchestration",
            "unknown.json: $.colour: unknown property 'colour'");
  }

  @Test
  void theSameApiNameTwiceIsAnError() {
    List<Finding> findings =
        VALIDATOR.validate(
            List.of(
                new DefinitionDocument("a.json", "{\"apiName\": \"Same\"}"),
                new DefinitionDocument("b.json", "{\"apiName\": \"Same\"}")));

    assertThat(findings)
        .extracting(Finding::toString)
        .containsExactly("b.json: $.apiName: object type 'Same' is also defined in a.json");
  }

  @Test
  void refusesWhatTheEngineRefusesWithTheSamePathsAndMessages() {
    String badFlow =
        fixture("flow-is-large.json")
            .replace("\"apiName\": \"Is_Large_Expense\"", "\"apiName\": \"Is Large\"");
    String badOrchestration =
        fixture("orchestration-expense.json")
            .replace("\"SUBMITTER_MANAGER\"", "\"NOBODY\"")
            .replace("\"step\": \"Mark\"", "\"step\": \"Nope\"")
            .replace("Expense_Approval", "Other");
    String badType =
        fixture("expense.object.json")
            .replaceFirst("\"type\": \"[A-Z]+\"", "\"type\": \"RECORD\"")
            .replace("\"Expense\"", "\"Other_Type\"");

    List<Finding> offline = new ArrayList<>();
    List<DefinitionDocument> documents = new ArrayList<>(fixtures(EXPENSE_SET));
    documents.add(new DefinitionDocument("bad-flow.json", badFlow));
    documents.add(new DefinitionDocument("bad-orchestration.json", badOrchestration));
    documents.add(new DefinitionDocument("bad-type.json", badType));
    offline.addAll(VALIDATOR.validate(documents));

    try (TestDatabase database = TestDatabases.h2();
        EngineHarness harness =
            EngineHarness.start(database, EngineHarness.config(database, false))) {
      harness.defineExpense();
      harness.activateFlows(
          "flow-mark-in-review.json", "flow-score-risk.json", "flow-is-large.json");
      assertThat(messages(offline, "bad-flow.json"))
          .isNotEmpty()
          .isEqualTo(
              problemsOf(
                  () ->
                      harness
                          .engine()
                          .flows()
                          .deploy(EngineHarness.read(badFlow, FlowDefinition.class), false)));
      assertThat(messages(offline, "bad-orchestration.json"))
          .isNotEmpty()
          .isEqualTo(
              problemsOf(
                  () ->
                      harness
                          .engine()
                          .orchestrations()
                          .deploy(EngineHarness.orchestration(badOrchestration), true)));
      assertThat(messages(offline, "bad-type.json"))
          .isNotEmpty()
          .isEqualTo(
              problemsOf(
                  () ->
                      harness
                          .engine()
                          .objectTypes()
                          .define(EngineHarness.read(badType, ObjectTypeDefinition.class))));
    }
  }

  private static List<String> messages(List<Finding> findings, String source) {
    return errors(findings).stream()
        .filter(finding -> finding.source().equals(source))
        .map(finding -> finding.path() + ": " + finding.message())
        .toList();
  }

  private static List<String> problemsOf(Runnable deploy) {
    try {
      deploy.run();
    } catch (OrchestrionException e) {
      return e.getProblems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("the engine accepted it");
  }
}
