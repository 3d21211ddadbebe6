package io.orchestrion.engine.run;

import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.queue.JobKind;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.run.model.StepInstance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The asynchronous step jobs this node created, leased to itself, and hands to its own workers
 * right after their transaction commits (docs/architecture.md, "Async steps"): each carries what
 * its first segment needs — the job's row as inserted and its step — so that the worker reads
 * neither the job row nor the step again. The row stays the truth: the segment's writes are fenced
 * by the carried lease token ({@code DELETE/UPDATE jobs ... WHERE id = ? AND lease_token = ?}), so
 * a job deleted or taken over meanwhile commits nothing, and the step's status and attempt are
 * checked again under the run's lock. Filled by an after-commit action (never for a rolled-back
 * transaction or savepoint), emptied by the worker that takes the job; bounded ({@link #MAX}): past
 * it, a job is not carried and its worker reads its row as before. Thread-safe.
 */
public final class LocalHandOffs {
  /** At most this many carried jobs wait for their worker. */
  static final int MAX = 10_000;

  private final Map<String, HandOff> waiting = new ConcurrentHashMap<>();

  @Inject
  public LocalHandOffs() {}

  /**
   * A job's first segment as its creating transaction committed it: the row's columns ({@code
   * inputsJson} nullable) and the step it runs.
   */
  public record HandOff(
      String jobId,
      String runId,
      String submissionId,
      String stepInstanceId,
      int attempt,
      String inputsJson,
      Instant dueAt,
      String leaseToken,
      StepReads.RunningStep step) {}

  /** The hand-off of {@code jobId}, taken (a second call finds nothing); empty if not carried. */
  public Optional<HandOff> take(String jobId) {
    return Optional.ofNullable(waiting.remove(jobId));
  }

  /** How many carried jobs wait for their worker. */
  public int size() {
    return waiting.size();
  }

  /**
   * What {@code job}, a FLOW job leased to this node, carries to its worker: empty when it is
   * another kind, or when {@code step} is not the started background step it runs.
   */
  static Optional<HandOff> of(NewJob job, String submissionId, StepInstance step) {
    if (job.kind() != JobKind.FLOW
        || job.lease().isEmpty()
        || job.stepInstanceId().isEmpty()
        || !job.stepInstanceId().get().equals(step.id())
        || step.status() != StepStatus.IN_PROGRESS
        || step.attempt() != job.attempt()
        || step.flow().isEmpty()
        || step.flowVersion().isEmpty()
        || step.runMode().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new HandOff(
            job.id(),
            job.runId(),
            submissionId,
            step.id(),
            job.attempt(),
            job.inputsJson().orElse(null),
            job.dueAt(),
            job.lease().get().token(),
            new StepReads.RunningStep(
                step.name(),
                step.status(),
                step.attempt(),
                step.flow().get(),
                step.flowVersion().get(),
                step.runAsUserId().orElse(null),
                step.runMode().get())));
  }

  /** Called after the commit, before the worker is woken. */
  void put(HandOff handOff) {
    if (waiting.size() < MAX) {
      waiting.put(handOff.jobId(), handOff);
    }
  }
}
