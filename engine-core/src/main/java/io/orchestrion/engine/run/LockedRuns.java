package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.Submission;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.work.UnitOfWork;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A run as the commands ({@link RunEngine}, {@link WorkItemCommands}, {@link RunAdministration})
 * hold it: loaded under its row lock, with the orchestration version it runs, and written back in
 * the caller's transaction together with what must happen once that commits — the jobs this node
 * takes (carried to its workers in memory), the wake-ups of other nodes, the metrics of the steps
 * and the submission the change ended.
 */
final class LockedRuns {
  private final RunRepository repository;
  private final OrchestrationCatalog orchestrations;
  private final EngineConfig config;
  private final EngineMetrics metrics;
  private final LocalHandOffs handOffs;

  @Inject
  LockedRuns(
      RunRepository repository,
      OrchestrationCatalog orchestrations,
      EngineConfig config,
      EngineMetrics metrics,
      LocalHandOffs handOffs) {
    this.repository = repository;
    this.orchestrations = orchestrations;
    this.config = config;
    this.metrics = metrics;
    this.handOffs = handOffs;
  }

  /** Locks and loads the run; NOT_FOUND when there is none. */
  RunState lock(UnitOfWork uow, String runId) throws SQLException {
    return lock(uow, RunLoader.RunKey.id(runId), () -> "Run '" + runId + "'");
  }

  /**
   * Locks and loads the run {@code workItemId} belongs to, found in the same statement (its lock
   * serialises the item's deciders); NOT_FOUND when there is no such item.
   */
  RunState lockOfWorkItem(UnitOfWork uow, String workItemId) throws SQLException {
    return lock(
        uow, RunLoader.RunKey.ofWorkItem(workItemId), () -> "Work item '" + workItemId + "'");
  }

  private RunState lock(UnitOfWork uow, RunLoader.RunKey key, Supplier<String> missing)
      throws SQLException {
    RunState run =
        repository
            .lockAndLoad(uow.transaction(), key)
            .orElseThrow(() -> OrchestrionException.notFound(missing.get()));
    RunLogging.enter(uow, run);
    return run;
  }

  CompiledOrchestration orchestrationOf(UnitOfWork uow, RunState run) {
    return orchestrations.version(
        uow.transaction(),
        run.submission().orchestration(),
        run.submission().orchestrationVersion());
  }

  /**
   * Like {@link #persist(UnitOfWork, RunState)}, for a command that knows the run's orchestration:
   * the work items it closed whose step has no escalation ladder have no stored job (rungs are a
   * work item's only jobs, {@link EscalationLadder#schedule}; a run keeps its orchestration
   * version), so the flush deletes none for them.
   */
  void persist(UnitOfWork uow, RunState run, CompiledOrchestration orchestration)
      throws SQLException {
    for (WorkItem item : run.workItems()) {
      if (item.isChanged() && !item.isOpen()) {
        StepInstance step = run.step(item.stepInstanceId()).orElseThrow();
        if (ApprovalDecisions.definitionOf(run, orchestration, step).escalation().isEmpty()) {
          run.outbox().withoutStoredJobs(item.id());
        }
      }
    }
    persist(uow, run);
  }

  void persist(UnitOfWork uow, RunState run) throws SQLException {
    observe(uow, run);
    List<NewJob> newJobs = run.outbox().newJobs();
    List<String> localJobs =
        newJobs.stream().filter(job -> job.leasedBy(config.nodeId())).map(NewJob::id).toList();
    // What this node's worker needs of them, carried in memory (read before the flush).
    List<LocalHandOffs.HandOff> carried = new ArrayList<>();
    for (NewJob job : newJobs) {
      if (job.leasedBy(config.nodeId()) && job.stepInstanceId().isPresent()) {
        run.step(job.stepInstanceId().get())
            .flatMap(step -> LocalHandOffs.of(job, run.submission().id(), step))
            .ifPresent(carried::add);
      }
    }
    Instant now = uow.now();
    boolean dueForAnyNode =
        newJobs.stream().anyMatch(job -> job.lease().isEmpty() && !job.dueAt().isAfter(now));
    repository.flush(uow.transaction(), run);
    if (dueForAnyNode) {
      uow.jobsDue();
    }
    if (!carried.isEmpty()) {
      // Before the wake-ups below: after-commit actions run in order.
      uow.afterCommit(() -> carried.forEach(handOffs::put));
    }
    localJobs.forEach(uow::jobReadyAfterCommit);
  }

  /**
   * Records the steps and the submission this change ends, once it has committed (read before the
   * flush marks the run persisted).
   */
  private void observe(UnitOfWork uow, RunState run) {
    Instant now = uow.now();
    List<Runnable> observations = new ArrayList<>();
    for (StepInstance step : run.steps()) {
      if ((step.isChanged() || step.isNew())
          && (step.status() == StepStatus.COMPLETED || step.status() == StepStatus.ERROR)
          && step.flow().isPresent()
          && step.startedAt().isPresent()
          && step.endedAt().isPresent()) {
        String flow = step.flow().get();
        String mode = step.executionMode().map(Enum::name).orElse("NONE");
        String status = step.status().name();
        Duration duration = Duration.between(step.startedAt().get(), step.endedAt().get());
        observations.add(() -> metrics.stepEnded(flow, mode, status, duration));
      }
    }
    Submission submission = run.submission();
    if ((submission.isChanged() || submission.isNew())
        && submission.status() != SubmissionStatus.IN_PROGRESS) {
      String orchestration = submission.orchestration();
      SubmissionStatus status = submission.status();
      Duration cycle = Duration.between(submission.createdAt(), now);
      observations.add(() -> metrics.submissionEnded(orchestration, status, cycle));
    }
    if (!observations.isEmpty()) {
      uow.afterCommit(() -> observations.forEach(Runnable::run));
    }
  }
}
