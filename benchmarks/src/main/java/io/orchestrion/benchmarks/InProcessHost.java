package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmitRequest;
import java.util.Optional;

/** The engine's services called directly, in this JVM: no HTTP, no JSON, no access checks. */
final class InProcessHost implements EngineHost {
  /** Who submits in process (in HTTP mode the built-in administrator does). */
  static final String SUBMITTER = "bench";

  private final OrchestrionEngine engine;

  InProcessHost(OrchestrionEngine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  @Override
  public OrchestrionEngine engine() {
    return engine;
  }

  @Override
  public String submit(SubmitRequest request) {
    return engine.submissions().submit(request, SUBMITTER).id();
  }

  @Override
  public void decide(String workItemId) {
    engine.workItems().decide(workItemId, Decision.APPROVE, Optional.empty(), Workload.APPROVER);
  }

  @Override
  public String description() {
    return "in process (engine.submissions().submit, engine.workItems().decide)";
  }

  @Override
  public long retries() {
    return 0;
  }

  @Override
  public void close() {
    engine.close();
  }
}
