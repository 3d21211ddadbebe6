package io.orchestrion.flow;

import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordStore;
import java.time.Instant;

/**
 * What one segment of an interview runs against: the transaction's record store, the running user,
 * the time, and the flows it may call. Created by the engine per segment.
 */
public interface InterviewContext {
  /** Record access bound to the segment's transaction. */
  RecordStore records();

  /** The running user and the effective run mode of the launched flow (never DEFAULT). */
  SecurityContext security();

  /** The segment's time: a Wait's due time is computed from it. */
  Instant now();

  /**
   * The stable prefix of idempotency keys of actions called in this interview, e.g. run, step
   * instance and attempt (SPEC §9).
   */
  String idempotencyKeyPrefix();

  /**
   * The active version of a flow, for a Subflow element at call time.
   *
   * @throws io.orchestrion.api.OrchestrionException NOT_FOUND when there is none
   */
  CompiledFlow activeFlow(String apiName);

  /**
   * A given version of a flow, to resume the frames of a stored interview.
   *
   * @throws io.orchestrion.api.OrchestrionException NOT_FOUND when there is none
   */
  CompiledFlow flowVersion(String apiName, int version);

  /**
   * Whether a segment ends before an action that declares external side effects (SPEC §3.4): the
   * interview then pauses with the call pending ({@link InterviewState#pendingAction}), its host
   * commits, makes the call with {@link FlowInterpreter#callPendingAction} holding no transaction,
   * and continues with {@link FlowInterpreter#resumeAfterAction}. False (the default): the action
   * is called in the segment, for hosts without transactions.
   */
  default boolean endsSegmentBeforeExternalActions() {
    return false;
  }
}
