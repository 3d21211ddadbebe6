package io.orchestrion.benchmarks;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the end-to-end benchmark submits: Expense records, approved by a 3-stage orchestration whose
 * stages each hold one synchronous step ({@code Bench_Touch_Record}: GetRecords, Assignment,
 * UpdateRecords on the record) and one asynchronous step ({@code Bench_Log}: the built-in {@code
 * log} Action, then an Assignment), both starting with their stage. Ideal hand-offs: the submit and
 * one per async step, 4 commits.
 */
final class Workload {
  static final String OBJECT_TYPE = "Expense";
  static final String ORCHESTRATION = "Bench_Three_Stages";
  static final int STAGES = 3;
  static final int ASYNC_STEPS = 3;

  /** One commit for the submit, one per asynchronous step's result. */
  static final int IDEAL_COMMITS = 1 + ASYNC_STEPS;

  private Workload() {}

  static void define(OrchestrionEngine engine) {
    StrictJsonReader json = new StrictJsonReader(OrchestrionJson.newObjectMapper());
    engine
        .objectTypes()
        .define(
            json.read(resource("expense.object.json"), ObjectTypeDefinition.class, "object type"));
    for (String flow : new String[] {"flow-sync-touch.json", "flow-async-log.json"}) {
      engine.flows().deploy(json.read(resource(flow), FlowDefinition.class, flow), true);
    }
    engine
        .orchestrations()
        .deploy(
            json.read(
                resource("orchestration-three-stages.json"),
                OrchestrationDefinition.class,
                "orchestration"),
            true);
  }

  static String createRecord(OrchestrionEngine engine, int number) {
    return engine
        .records()
        .create(
            OBJECT_TYPE,
            Map.of(
                "Title",
                "Benchmark expense " + number,
                "Amount",
                new BigDecimal("1234.50"),
                "Status",
                "Draft"),
            "bench")
        .id()
        .orElseThrow();
  }

  private static String resource(String name) {
    try (InputStream in = Workload.class.getResourceAsStream("/bench/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /bench/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
