package io.orchestrion.engine.run.model;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.queue.EndedJob;
import io.orchestrion.engine.queue.NewJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a unit of work writes besides the run's own rows: new jobs, stored step jobs to delete, the
 * leased job it ends, orchestration events, audit entries and the run's next recheck. Collected
 * while the run changes, written by the repository's flush and then cleared.
 */
public final class RunOutbox {
  private final String runId;
  private final List<NewJob> newJobs = new ArrayList<>();
  private final List<String> canceledStepJobs = new ArrayList<>();
  private final List<NewEvent> newEvents = new ArrayList<>();
  private final List<AuditEntry> auditEntries = new ArrayList<>();
  private final Set<String> withoutStoredJobs = new HashSet<>();
  private Instant recheckAt;
  private EndedJob endedJob;

  RunOutbox(String runId) {
    this.runId = runId;
  }

  /**
   * An orchestration event to insert, as the transaction's last write: numbered then when the
   * sequencer is free, otherwise after commit ({@code events.EventSequencer}).
   */
  public record NewEvent(
      String eventId,
      EventKind kind,
      Optional<String> stepInstanceId,
      Optional<StepStatus> stepStatus,
      Optional<Integer> attempt,
      String payloadJson,
      Instant publishedAt) {}

  /** A line of the submission's audit trail ({@code comments} nullable as stored). */
  public record AuditEntry(
      String action,
      String performerId,
      String performerRole,
      String channel,
      Optional<String> comments,
      Instant at) {}

  public void schedule(NewJob job) {
    newJobs.add(job);
  }

  public boolean hasNewJob(Predicate<NewJob> matching) {
    return newJobs.stream().anyMatch(matching);
  }

  public List<NewJob> newJobs() {
    return List.copyOf(newJobs);
  }

  public void publish(NewEvent event) {
    newEvents.add(event);
  }

  public List<NewEvent> newEvents() {
    return List.copyOf(newEvents);
  }

  public void audit(AuditEntry entry) {
    auditEntries.add(entry);
  }

  public List<AuditEntry> auditEntries() {
    return List.copyOf(auditEntries);
  }

  /** Evaluates the run again at {@code at}, unless an earlier recheck is already due. */
  public void scheduleRecheck(Instant at) {
    if (recheckAt == null || at.isBefore(recheckAt)) {
      recheckAt = at;
    }
  }

  public Optional<Instant> recheckAt() {
    return Optional.ofNullable(recheckAt);
  }

  /**
   * This unit of work ends {@code job} (the worker's job whose result it writes): the job's row is
   * deleted, fenced by its lease token, when the run is written.
   */
  public void endJob(EndedJob job) {
    endedJob = job;
  }

  public Optional<EndedJob> endedJob() {
    return Optional.ofNullable(endedJob);
  }

  /** The stored step jobs to delete: of steps ended in this unit of work. */
  public List<String> canceledStepJobs() {
    return List.copyOf(canceledStepJobs);
  }

  /**
   * The jobs to insert: the new ones but the rungs of {@code closedItems} (an item decided or
   * canceled in this unit of work), and the run's recheck if one is scheduled.
   */
  public List<NewJob> jobsToInsert(Set<String> closedItems) {
    List<NewJob> jobs = new ArrayList<>();
    for (NewJob job : newJobs) {
      if (job.workItemId().filter(closedItems::contains).isEmpty()) {
        jobs.add(job);
      }
    }
    if (recheckAt != null) {
      jobs.add(NewJob.recheck(runId, recheckAt));
    }
    return jobs;
  }

  /**
   * Work item {@code workItemId} has no stored job (its step has no escalation ladder): closing it
   * deletes none.
   */
  public void withoutStoredJobs(String workItemId) {
    withoutStoredJobs.add(workItemId);
  }

  /**
   * Whether work item {@code workItemId}, loaded with the run, may have stored jobs: unless {@link
   * #withoutStoredJobs} said otherwise, it may.
   */
  public boolean mayHaveStoredJobs(String workItemId) {
    return !withoutStoredJobs.contains(workItemId);
  }

  /** A step ended: a job created for it in this unit is dropped, a stored one deleted. */
  void cancelStepJob(String stepInstanceId) {
    if (!newJobs.removeIf(job -> job.stepInstanceId().equals(Optional.of(stepInstanceId)))) {
      canceledStepJobs.add(stepInstanceId);
    }
  }

  boolean isEmpty() {
    return newJobs.isEmpty()
        && canceledStepJobs.isEmpty()
        && newEvents.isEmpty()
        && auditEntries.isEmpty()
        && recheckAt == null
        && endedJob == null;
  }

  void clear() {
    newJobs.clear();
    canceledStepJobs.clear();
    newEvents.clear();
    auditEntries.clear();
    withoutStoredJobs.clear();
    recheckAt = null;
    endedJob = null;
  }
}
