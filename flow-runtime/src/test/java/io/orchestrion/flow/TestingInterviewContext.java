package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.SystemUsers;
import io.orchestrion.spi.RecordStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link InterviewContext} over a record store, a fixed time and registered compiled flows. */
final class TestingInterviewContext implements InterviewContext {
  private final RecordStore records;
  private final Instant now;
  private final Map<String, CompiledFlow> active = new LinkedHashMap<>();
  private final Map<String, CompiledFlow> versions = new LinkedHashMap<>();

  TestingInterviewContext(RecordStore records, Instant now) {
    this.records = records;
    this.now = now;
  }

  /** Registers a flow version and makes it the active one. */
  TestingInterviewContext withFlow(CompiledFlow flow) {
    active.put(flow.apiName(), flow);
    versions.put(flow.apiName() + "/" + flow.version(), flow);
    return this;
  }

  /** The same flows and store at another time (a later segment). */
  TestingInterviewContext at(Instant later) {
    TestingInterviewContext context = new TestingInterviewContext(records, later);
    context.active.putAll(active);
    context.versions.putAll(versions);
    return context;
  }

  @Override
  public RecordStore records() {
    return records;
  }

  @Override
  public SecurityContext security() {
    return SystemUsers.automatedProcess();
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public String idempotencyKeyPrefix() {
    return "run-1:step-1:1";
  }

  @Override
  public CompiledFlow activeFlow(String apiName) {
    CompiledFlow flow = active.get(apiName);
    if (flow == null) {
      throw OrchestrionException.notFound("active version of flow '" + apiName + "'");
    }
    return flow;
  }

  @Override
  public CompiledFlow flowVersion(String apiName, int version) {
    CompiledFlow flow = versions.get(apiName + "/" + version);
    if (flow == null) {
      throw OrchestrionException.notFound("flow '" + apiName + "' v" + version);
    }
    return flow;
  }
}
