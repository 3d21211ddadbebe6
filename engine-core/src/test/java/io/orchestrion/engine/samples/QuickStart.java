package io.orchestrion.engine.samples;

// --- readme: quick-start ---
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.flow.json.*;
import java.nio.file.*;
import java.util.*;

/** Usage: QuickStart DEFINITIONS_DIR DATA_DIR. Submits an expense; prints its status. */
public class QuickStart {
  public static void main(String[] args) throws Exception {
    var config = EngineConfig.defaults(DataSources.h2File(Path.of(args[1])));
    try (var engine = OrchestrionEngine.create(config).start()) {
      engine.objectTypes().define(read(args[0], "expense.object", ObjectTypeDefinition.class));
      engine.flows().deploy(read(args[0], "mark-in-review.flow", FlowDefinition.class), true);
      var approval = read(args[0], "expense-approval.orchestration", OrchestrationDefinition.class);
      engine.orchestrations().deploy(approval, true);
      var fields = Map.<String, Object>of("Title", "Train", "Amount", "89.90");
      var id = engine.records().create("Expense", fields, "alice").id().orElseThrow();
      var request = new SubmitRequest("Expense", id, "Expense_Approval", Optional.empty());
      System.out.println(engine.submissions().submit(request, "alice").status()); // APPROVED
    }
  }

  static <T> T read(String dir, String name, Class<T> type) throws Exception {
    var json = Files.readString(Path.of(dir, name + ".json"));
    return new StrictJsonReader(OrchestrionJson.newObjectMapper()).read(json, type, name);
  }
}
// --- end of readme: quick-start ---
