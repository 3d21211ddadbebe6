package io.orchestrion.engine.flows;

import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordStore;
import java.time.Instant;

/**
 * The engine's side of one interview segment: its transaction, user and flows.
 *
 * @param endsSegmentBeforeExternalActions true for segments of asynchronous steps, run by a job
 *     that can commit and call the action outside the transaction (SPEC §3.4)
 */
public record EngineInterviewContext(
    Transaction tx,
    FlowCatalog flows,
    RecordStore records,
    SecurityContext security,
    Instant now,
    String idempotencyKeyPrefix,
    boolean endsSegmentBeforeExternalActions)
    implements InterviewContext {
  @Override
  public CompiledFlow activeFlow(String apiName) {
    return flows.active(tx, apiName);
  }

  @Override
  public CompiledFlow flowVersion(String apiName, int version) {
    return flows.version(tx, apiName, version);
  }
}
