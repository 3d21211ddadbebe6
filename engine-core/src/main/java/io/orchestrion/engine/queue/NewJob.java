package io.orchestrion.engine.queue;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.RowIds;
import java.time.Instant;
import java.util.Optional;

/**
 * A job row to insert ({@link JobTable#insert}): an asynchronous step's first segment (with the
 * lease of the node that created it, so that node starts it right after the commit), a work item's
 * overdue check or escalation rung, or a run's timed re-check.
 */
public record NewJob(
    String id,
    JobKind kind,
    String runId,
    Optional<String> stepInstanceId,
    int attempt,
    Optional<String> inputsJson,
    Instant dueAt,
    Optional<JobLease> lease,
    Optional<String> workItemId,
    Optional<Integer> rung) {
  public NewJob {
    requireNonNull(id, "id is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(stepInstanceId, "stepInstanceId is null");
    requireNonNull(inputsJson, "inputsJson is null");
    requireNonNull(dueAt, "dueAt is null");
    requireNonNull(lease, "lease is null");
    requireNonNull(workItemId, "workItemId is null");
    requireNonNull(rung, "rung is null");
  }

  /** The first segment of a step's flow, leased by {@code owner} until {@code leaseUntil}. */
  public static NewJob flow(
      String runId,
      String stepInstanceId,
      int attempt,
      String inputsJson,
      Instant now,
      String owner,
      Instant leaseUntil) {
    return new NewJob(
        newId(),
        JobKind.FLOW,
        runId,
        Optional.of(stepInstanceId),
        attempt,
        Optional.of(inputsJson),
        now,
        Optional.of(new JobLease(owner, newId(), leaseUntil)),
        Optional.empty(),
        Optional.empty());
  }

  /** The overdue check of a step's work item. */
  public static NewJob overdue(String runId, String stepInstanceId, int attempt, Instant dueAt) {
    return new NewJob(
        newId(),
        JobKind.OVERDUE,
        runId,
        Optional.of(stepInstanceId),
        attempt,
        Optional.empty(),
        dueAt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Rung {@code rung} (0-based) of the escalation ladder of work item {@code workItemId}, due at
   * {@code dueAt}.
   */
  public static NewJob escalation(
      String runId,
      String stepInstanceId,
      int attempt,
      String workItemId,
      int rung,
      Instant dueAt) {
    return new NewJob(
        newId(),
        JobKind.ESCALATION,
        runId,
        Optional.of(stepInstanceId),
        attempt,
        Optional.empty(),
        dueAt,
        Optional.empty(),
        Optional.of(workItemId),
        Optional.of(rung));
  }

  /** A re-evaluation of the run at {@code dueAt}. */
  public static NewJob recheck(String runId, Instant dueAt) {
    return new NewJob(
        newId(),
        JobKind.RECHECK,
        runId,
        Optional.empty(),
        0,
        Optional.empty(),
        dueAt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Whether {@code nodeId} holds the job's lease (it starts the job without claiming it). */
  public boolean leasedBy(String nodeId) {
    return lease.map(held -> held.owner().equals(nodeId)).orElse(false);
  }

  private static String newId() {
    return RowIds.next();
  }
}
