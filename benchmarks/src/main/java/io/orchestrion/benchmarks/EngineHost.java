package io.orchestrion.benchmarks;

import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.SubmitRequest;

/**
 * How the driver reaches the engine it measures: {@link InProcessHost} calls the engine's services
 * directly, {@link HttpHost} goes through the real server's HTTP API. Setup (definitions, records)
 * and the driver's reads use {@link #engine()} in both; only the measured operations — submitting,
 * and deciding the approval's work items — go through the host.
 */
interface EngineHost extends AutoCloseable {
  /** Which way the measured operations go. */
  enum Api {
    /** {@code engine.submissions().submit} and {@code engine.workItems().decide}. */
    IN_PROCESS,
    /** {@code POST /api/v1/submissions} and {@code POST /api/v1/work-items/{id}/decision}. */
    HTTP
  }

  /** The engine (inside the server, in HTTP mode), started. */
  OrchestrionEngine engine();

  /** Submits as the driver's submitter and returns the submission's id. */
  String submit(SubmitRequest request);

  /** Approves the work item as {@link Workload#APPROVER}. */
  void decide(String workItemId);

  /** One line for the report: which API and where. */
  String description();

  /** Requests the server shed (429) and the driver retried; 0 in process. */
  long retries();

  /** Stops the engine (and the server); the pool stays the caller's. */
  @Override
  void close();
}
