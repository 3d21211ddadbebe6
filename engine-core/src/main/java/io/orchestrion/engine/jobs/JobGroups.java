package io.orchestrion.engine.jobs;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunLogContext;
import io.orchestrion.engine.jobs.JobRunner.Attempt;
import io.orchestrion.engine.jobs.JobRunner.Outcome;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.run.StepReads;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit (issue #11): runs several claimed jobs in one transaction, each under its own
 * savepoint, so that the jobs ready together share one commit while a failing one affects only
 * itself. A job whose work throws, or whose lease turns out lost, is rolled back to its savepoint
 * (its writes and its after-commit signals discarded) and, once the others have committed, handled
 * as {@link JobRunner} handles it alone: a failure is recorded and retried with back-off, a stale
 * job deleted. A job stopped before an action with external side effects has committed its first
 * transaction with the group; its call is then made holding no connection, and it goes on alone.
 *
 * <p>The jobs of a group share one unit of work's transaction and instant; each runs as a command
 * of its own ({@link UnitOfWork#underSavepoint}). Every job's work is committed before anyone is
 * told: after-commit actions run once the group has committed. The jobs run in the order of their
 * runs' ids, and a run's jobs in the order given (claim or hand-off order), so that two groups
 * running at once lock their runs in the same order and cannot deadlock over them. A transient
 * failure (a deadlock over other rows, a serialization failure) rolls the whole group back: {@link
 * Database#inTransaction} runs it again, and if that does not help every job of the group runs
 * alone.
 */
public final class JobGroups {
  private static final Logger log = LoggerFactory.getLogger(JobGroups.class);

  private final UnitsOfWork units;
  private final JobRunner runner;
  private final EngineConfig config;

  @Inject
  public JobGroups(UnitsOfWork units, JobRunner runner, EngineConfig config) {
    this.units = units;
    this.runner = runner;
    this.config = config;
  }

  /**
   * Runs jobs whose leases this node holds, in one transaction when there are several, and returns
   * each job's outcome (in the order of {@code jobIds}). {@code leaseTaken} learns each job's lease
   * token as soon as it is read (for renewal).
   */
  public Map<String, Outcome> run(List<String> jobIds, BiConsumer<String, String> leaseTaken) {
    return run(jobIds, leaseTaken, () -> {});
  }

  /**
   * {@link #run(List, BiConsumer)}, telling {@code firstTransactionEnded} once the first
   * transaction, the group's or the lone job's, has ended (committed or not): before the calls its
   * jobs stopped for, and before the jobs of a group that failed as a whole run alone.
   */
  public Map<String, Outcome> run(
      List<String> jobIds, BiConsumer<String, String> leaseTaken, Runnable firstTransactionEnded) {
    List<String> distinct = jobIds.stream().distinct().toList();
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    if (distinct.size() == 1) {
      String jobId = distinct.get(0);
      outcomes.put(
          jobId,
          runner.run(jobId, token -> leaseTaken.accept(jobId, token), firstTransactionEnded));
      return outcomes;
    }
    Map<String, Member> members;
    try {
      try {
        members = units.call(uow -> runGroup(uow, distinct, leaseTaken));
      } finally {
        firstTransactionEnded.run();
      }
    } catch (RuntimeException e) {
      // Nothing of the group committed: each job runs alone, so that the failure stays with the
      // job that causes it.
      log.info(
          "A group of {} jobs failed as a whole, each runs alone: {}",
          distinct.size(),
          e.toString());
      for (String jobId : distinct) {
        outcomes.put(jobId, runner.run(jobId, token -> leaseTaken.accept(jobId, token)));
      }
      return outcomes;
    } finally {
      RunLogContext.clear();
    }
    for (String jobId : distinct) {
      outcomes.put(jobId, afterCommit(jobId, members.get(jobId), leaseTaken));
    }
    return outcomes;
  }

  /** How one job of a committed group ended, and what is left to do about it. */
  private record Member(Outcome outcome, Attempt stoppedForCall, RuntimeException failure) {
    static Member ended(Outcome outcome) {
      return new Member(outcome, null, null);
    }
  }

  private Map<String, Member> runGroup(
      UnitOfWork uow, List<String> jobIds, BiConsumer<String, String> leaseTaken)
      throws SQLException {
    Map<String, Integer> given = new LinkedHashMap<>();
    jobIds.forEach(id -> given.put(id, given.size()));
    // Jobs this node's own transactions carried here are not read again; the others are.
    Map<String, StepReads.RunningStep> carriedSteps = new HashMap<>();
    List<JobRow> jobs = new ArrayList<>();
    List<String> toRead = new ArrayList<>();
    for (String jobId : jobIds) {
      Optional<JobRunner.Carried> carried = runner.takeCarried(jobId);
      if (carried.isPresent()) {
        jobs.add(carried.get().row());
        carriedSteps.put(jobId, carried.get().step());
      } else {
        toRead.add(jobId);
      }
    }
    if (!toRead.isEmpty()) {
      jobs.addAll(JobRow.loadOwned(uow.connection(), toRead, config.nodeId()));
    }
    // Runs locked in one global order; a run's own jobs in the order they were handed over.
    jobs.sort(Comparator.comparing(JobRow::runId).thenComparing(job -> given.get(job.id())));
    Map<String, Member> members = new LinkedHashMap<>();
    jobIds.forEach(id -> members.put(id, Member.ended(Outcome.NOT_OURS)));
    for (JobRow job : jobs) {
      leaseTaken.accept(job.id(), job.leaseToken());
    }
    for (JobRow job : jobs) {
      members.put(job.id(), runMember(uow, job, carriedSteps.get(job.id())));
    }
    return members;
  }

  private Member runMember(UnitOfWork uow, JobRow job, StepReads.RunningStep carriedStep)
      throws SQLException {
    UnitOfWork.MemberOutcome<Attempt> ran =
        uow.underSavepointAsMember(
            command -> runner.runLoaded(command, job, carriedStep, null),
            "running job " + job.id());
    if (ran.failure() instanceof JobRunner.Fenced fenced) {
      return Member.ended(fenced.outcome);
    }
    if (ran.failure() != null) {
      return failed(job, ran.failure());
    }
    Attempt attempt = ran.result();
    return attempt.outcome() != null
        ? Member.ended(attempt.outcome())
        : new Member(null, attempt, null);
  }

  private static Member failed(JobRow job, RuntimeException e) {
    log.warn("Job {} failed in a group: {}", job.id(), e.toString(), e);
    return new Member(Outcome.FAILED, null, e);
  }

  private Outcome afterCommit(String jobId, Member member, BiConsumer<String, String> leaseTaken) {
    Consumer<String> lease = token -> leaseTaken.accept(jobId, token);
    if (member.stoppedForCall() != null) {
      return runner.continueWithCall(jobId, lease, member.stoppedForCall());
    }
    if (member.failure() != null) {
      runner.recordFailure(jobId, member.failure());
    } else if (member.outcome() == Outcome.STALE) {
      runner.deleteStaleJob(jobId);
    }
    return member.outcome();
  }
}
