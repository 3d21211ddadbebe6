package io.orchestrion.engine.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SharingModel;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding sample of engine-core's README, compiled and run (H2 in file mode). */
class EmbeddingSampleTest {
  @TempDir Path dataDirectory;

  @Test
  void embedTheEngine() {
    // --- sample: engine-core/README.md ---
    EngineConfig config = EngineConfig.defaults(DataSources.h2File(dataDirectory));
    try (OrchestrionEngine engine = OrchestrionEngine.create(config).start()) {
      engine
          .objectTypes()
          .define(
              new ObjectTypeDefinition(
                  "Expense",
                  SharingModel.PRIVATE,
                  List.of(
                      FieldDefinition.of("Title", DataType.TEXT),
                      FieldDefinition.of("Amount", DataType.CURRENCY),
                      FieldDefinition.of("Status", DataType.TEXT))));

      StrictJsonReader json = new StrictJsonReader(OrchestrionJson.newObjectMapper());
      FlowDefinition markInReview =
          json.read(
              """
              {"apiName": "Mark_In_Review", "type": "AUTOLAUNCHED",
               "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                             {"name": "expense", "type": "RECORD", "objectType": "Expense"}],
               "start": "Get",
               "elements": [
                 {"type": "GetRecords", "name": "Get", "objectType": "Expense",
                  "filters": [{"field": "Id", "operator": "EQUALS", "value": {"ref": "recordId"}}],
                  "firstOnly": true, "into": "expense", "next": "Set"},
                 {"type": "Assignment", "name": "Set", "next": "Save", "assignments": [
                   {"target": "expense.Status", "operator": "SET", "value": {"value": "In Review"}}]},
                 {"type": "UpdateRecords", "name": "Save", "record": "expense"}]}
              """,
              FlowDefinition.class,
              "flow");
      engine.flows().deploy(markInReview, true);

      OrchestrationDefinition approval =
          json.read(
              """
              {"apiName": "Expense_Approval", "objectType": "Expense",
               "stages": [{"name": "Intake", "steps": [
                 {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
                  "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
              """,
              OrchestrationDefinition.class,
              "orchestration");
      engine.orchestrations().deploy(approval, true);

      RecordData expense =
          engine
              .records()
              .create(
                  "Expense",
                  Map.of("Title", "Train ticket", "Amount", new BigDecimal("89.90")),
                  "alice");
      SubmissionView submission =
          engine
              .submissions()
              .submit(
                  new SubmitRequest(
                      "Expense", expense.id().orElseThrow(), "Expense_Approval", Optional.empty()),
                  "alice");
      // --- end of sample ---

      assertThat(submission.status()).isEqualTo(SubmissionStatus.APPROVED);
      assertThat(engine.records().get("Expense", expense.id().orElseThrow()).fields())
          .containsEntry("Status", "In Review");
    }
  }
}
