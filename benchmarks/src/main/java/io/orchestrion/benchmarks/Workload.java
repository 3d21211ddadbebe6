package io.orchestrion.benchmarks;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.flow.json.OrchestrionJson;
import io.orchestrion.flow.json.StrictJsonReader;
import io.orchestrion.spi.directory.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the end-to-end benchmark submits: Expense records, approved by one of the {@link Scenario}s.
 * The synchronous step is {@code Bench_Touch_Record} (GetRecords, Assignment, UpdateRecords on the
 * record), the asynchronous one {@code Bench_Log} (the built-in {@code log} Action, then an
 * Assignment).
 */
final class Workload {
  static final String OBJECT_TYPE = "Expense";

  /** The user the approval scenario's work items are assigned to; the driver decides as them. */
  static final String APPROVER = "bench-approver";

  /** An orchestration and what its ideal cost is. */
  enum Scenario {
    /** 3 stages, each with one synchronous and one asynchronous step starting with the stage. */
    THREE_STAGES(
        "Bench_Three_Stages",
        "orchestration-three-stages.json",
        "3 stages x [1 sync + 1 async step]",
        3,
        0),
    /**
     * The approval scenario of issue 11. Stage 1: a synchronous and an asynchronous step; stage 2:
     * an approval (assigned to {@link #APPROVER}, decided by the driver) in parallel with a
     * synchronous step gated by a requirement on the record ({@code Amount > 100}, true); stage 3:
     * an asynchronous step.
     */
    APPROVAL(
        "Bench_Approval",
        "orchestration-approval.json",
        "stage 1 [sync + async], stage 2 [approval decided by the driver + sync step gated by a"
            + " requirement], stage 3 [async]",
        2,
        1);

    final String orchestration;
    final String resource;
    final String description;
    final int asyncSteps;
    final int approvals;

    Scenario(
        String orchestration, String resource, String description, int asyncSteps, int approvals) {
      this.orchestration = orchestration;
      this.resource = resource;
      this.description = description;
      this.asyncSteps = asyncSteps;
      this.approvals = approvals;
    }

    /** One commit for the submit, one per asynchronous step's result, one per decision. */
    int idealCommits() {
      return 1 + asyncSteps + approvals;
    }
  }

  private Workload() {}

  static void define(OrchestrionEngine engine, Scenario scenario) {
    if (scenario.approvals > 0) {
      engine.directory().saveUser(User.of(APPROVER, "Benchmark approver"));
    }
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
            json.read(resource(scenario.resource), OrchestrationDefinition.class, "orchestration"),
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
