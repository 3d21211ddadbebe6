package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.queue.EndedJob;
import io.orchestrion.engine.run.model.Ids;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.SegmentResult;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Starts runs and drives them: evaluation passes (SPEC §5.3) on any trigger, an asynchronous step's
 * result, a manual event, an event delivered again. Every method works inside the caller's
 * transaction and holds the run's row lock from load to commit ({@link LockedRuns}), so passes of
 * one run never overlap, whichever node runs them. What people do to a run's work items is in
 * {@link WorkItemCommands}, what they do to the run itself in {@link RunAdministration}.
 */
public final class RunEngine {
  private final LockedRuns runs;
  private final RunRepository repository;
  private final EvaluationPass evaluation;

  @Inject
  RunEngine(LockedRuns runs, RunRepository repository, EvaluationPass evaluation) {
    this.runs = runs;
    this.repository = repository;
    this.evaluation = evaluation;
  }

  /**
   * The ids of a new submission and its run, and the submission as the transaction wrote it (built
   * from the run aggregate, not read back).
   */
  public record StartedRun(String submissionId, String runId, SubmissionView submission) {}

  /**
   * Creates the submission, its run and the first stage, and runs the first evaluation pass, all in
   * the caller's transaction (SPEC §3.4: synchronous steps run inside it).
   */
  public StartedRun startRun(
      UnitOfWork uow,
      CompiledOrchestration orchestration,
      String objectType,
      String recordId,
      String submitterId,
      Optional<String> comments)
      throws SQLException {
    Instant now = uow.now();
    RunState run = RunState.submit(orchestration, objectType, recordId, submitterId, comments, now);
    RunLogging.enter(uow, run);
    evaluation.run(uow, run, orchestration);
    // Before the flush, which empties the outbox that holds the submission's audit entries.
    SubmissionView submission = RunViews.created(run);
    runs.persist(uow, run);
    return new StartedRun(run.submission().id(), run.id(), submission);
  }

  /**
   * Work that runs under the run's lock, before anything else of the transaction: a re-check,
   * overdue or escalation job removes its own row here, fenced by its lease token, so that its
   * removal commits with its work, and every transaction takes the run's lock before a job row's
   * (no lock-order deadlock with a pass that deletes or schedules the run's jobs). An asynchronous
   * step's job is removed with the run's write instead ({@link #finishAsyncStep(UnitOfWork, String,
   * String, int, SegmentResult, EndedJob)}), after the same lock.
   */
  @FunctionalInterface
  public interface UnderRunLock {
    UnderRunLock NONE = () -> {};

    void run() throws SQLException;
  }

  /** Locks the run and evaluates it (any trigger: event, timer, record change, API). */
  public void evaluate(UnitOfWork uow, String runId) throws SQLException {
    evaluate(uow, runId, UnderRunLock.NONE);
  }

  /** Like {@link #evaluate(UnitOfWork, String)}, running {@code underLock} first. */
  public void evaluate(UnitOfWork uow, String runId, UnderRunLock underLock) throws SQLException {
    RunState run = runs.lock(uow, runId);
    underLock.run();
    evaluation.run(uow, run, runs.orchestrationOf(uow, run));
    runs.persist(uow, run);
  }

  /**
   * Applies the end of an asynchronous step's interview: stores the step result and its
   * orchestration event, then evaluates the run, in the worker's transaction (one commit per
   * hand-off, SPEC §3.4).
   *
   * @return false when the step is no longer waiting for this attempt (discontinued, canceled,
   *     retried): the caller must roll back so that the segment commits nothing
   */
  public boolean finishAsyncStep(
      UnitOfWork uow, String runId, String stepInstanceId, int attempt, SegmentResult result)
      throws SQLException {
    return finishAsyncStep(uow, runId, stepInstanceId, attempt, result, null);
  }

  /**
   * Like {@link #finishAsyncStep(UnitOfWork, String, String, int, SegmentResult)}, ending {@code
   * job} (not null) with the run's write: its row is deleted, fenced by its lease token, and {@link
   * io.orchestrion.engine.queue.LeaseLost} is thrown, for the caller to roll back, when this node
   * no longer holds it.
   */
  public boolean finishAsyncStep(
      UnitOfWork uow,
      String runId,
      String stepInstanceId,
      int attempt,
      SegmentResult result,
      EndedJob job)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    Optional<StepInstance> found = run.step(stepInstanceId);
    if (found.isEmpty()
        || found.get().status() != StepStatus.IN_PROGRESS
        || found.get().attempt() != attempt) {
      return false;
    }
    if (job != null) {
      run.outbox().endJob(job);
    }
    StepInstance step = found.get();
    RunLogging.step(step.name());
    CompiledOrchestration orchestration = runs.orchestrationOf(uow, run);
    Instant now = uow.now();
    switch (result) {
      case SegmentResult.Completed completed -> {
        run.completeStep(orchestration, step, completed.outputs(), now);
        run.outbox()
            .publish(
                stepEvent(
                    step, StepStatus.COMPLETED, repository.writeJson(completed.outputs()), now));
      }
      case SegmentResult.Failed failed -> {
        String message = failed.failure().describe();
        run.outbox()
            .publish(
                stepEvent(
                    step, StepStatus.ERROR, repository.writeJson(Map.of("error", message)), now));
        run.failStep(step, message, now);
      }
      case SegmentResult.Paused paused ->
          throw new IllegalArgumentException("a paused interview has no step result");
    }
    evaluation.run(uow, run, orchestration);
    runs.persist(uow, run, orchestration);
    return true;
  }

  /**
   * Publishes a MANUAL orchestration event for a run (SPEC §4: to wake it after an outside change)
   * and evaluates the run.
   */
  public String publishManualEvent(UnitOfWork uow, String runId, Map<String, Object> payload)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    Instant now = uow.now();
    RunOutbox.NewEvent event =
        new RunOutbox.NewEvent(
            Ids.next(),
            EventKind.MANUAL,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            repository.writeJson(payload),
            now);
    run.outbox().publish(event);
    evaluation.run(uow, run, runs.orchestrationOf(uow, run));
    runs.persist(uow, run);
    return event.eventId();
  }

  /**
   * Evaluates again, soon and in their own transactions, the IN_PROGRESS runs about a record that
   * {@code uow}'s record store changed so far (an asynchronous segment of run {@code runId}; SPEC
   * §5.3).
   */
  public void wakeRunsAbout(UnitOfWork uow, String runId) throws SQLException {
    if (repository.scheduleRechecksAbout(
            uow.transaction(), uow.records().changedRecordKeys(), runId, uow.now())
        > 0) {
      uow.jobsDue();
    }
  }

  /**
   * Delivers a stored event to its run again (at-least-once delivery, SPEC §4). A step result is
   * applied only while its step still waits for that attempt, so a second delivery changes nothing;
   * then the run is evaluated, which is a no-op when nothing else changed.
   */
  public void redeliver(UnitOfWork uow, String eventId) throws SQLException {
    StoredEvent event =
        repository
            .findEvent(uow.transaction(), eventId)
            .orElseThrow(() -> OrchestrionException.notFound("Event '" + eventId + "'"));
    RunState run = runs.lock(uow, event.runId());
    CompiledOrchestration orchestration = runs.orchestrationOf(uow, run);
    Instant now = uow.now();
    if (event.kind() == EventKind.STEP_RESULT && event.stepInstanceId() != null) {
      Optional<StepInstance> step = run.step(event.stepInstanceId());
      if (step.isPresent()
          && step.get().status() == StepStatus.IN_PROGRESS
          && step.get().attempt() == event.attempt()) {
        Map<String, Object> payload = repository.readMap(event.payloadJson());
        if (event.stepStatus() == StepStatus.COMPLETED) {
          run.completeStep(orchestration, step.get(), payload, now);
        } else {
          run.failStep(step.get(), String.valueOf(payload.get("error")), now);
        }
      }
    }
    evaluation.run(uow, run, orchestration);
    runs.persist(uow, run, orchestration);
  }

  /** An event row as {@link #redeliver} needs it. */
  record StoredEvent(
      String runId,
      EventKind kind,
      String stepInstanceId,
      StepStatus stepStatus,
      int attempt,
      String payloadJson) {}

  private static RunOutbox.NewEvent stepEvent(
      StepInstance step, StepStatus status, String payloadJson, Instant now) {
    return new RunOutbox.NewEvent(
        Ids.next(),
        EventKind.STEP_RESULT,
        Optional.of(step.id()),
        Optional.of(status),
        Optional.of(step.attempt()),
        payloadJson,
        now);
  }
}
