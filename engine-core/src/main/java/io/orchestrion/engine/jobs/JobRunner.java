package io.orchestrion.engine.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunLogContext;
import io.orchestrion.engine.flows.EngineInterviewContext;
import io.orchestrion.engine.flows.FlowCatalog;
import io.orchestrion.engine.metrics.EngineMetrics;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.queue.EndedJob;
import io.orchestrion.engine.queue.JobKind;
import io.orchestrion.engine.queue.JobTable;
import io.orchestrion.engine.queue.LeaseLost;
import io.orchestrion.engine.run.LocalHandOffs;
import io.orchestrion.engine.run.RunEngine;
import io.orchestrion.engine.run.StepReads;
import io.orchestrion.engine.run.WorkItemCommands;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.flow.ActionOutcome;
import io.orchestrion.flow.CompiledFlow;
import io.orchestrion.flow.EventWait;
import io.orchestrion.flow.FlowFailure;
import io.orchestrion.flow.FlowInterpreter;
import io.orchestrion.flow.HostFailures;
import io.orchestrion.flow.InterviewContext;
import io.orchestrion.flow.InterviewState;
import io.orchestrion.flow.SegmentResult;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.RecordStore;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one claimed job in one transaction: an interview segment of an asynchronous step (and, when
 * the interview ends, the step result, its event and the run's evaluation pass, SPEC §3.4), a timed
 * re-evaluation of a run, a work item's due time or one of its escalation rungs. Every write that
 * finishes or advances the job checks the lease token (fencing): a node that lost its lease commits
 * nothing.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** After this many failed attempts of a job (not of its flow), its step is failed. */
  static final int MAX_JOB_FAILURES = 5;

  private final UnitsOfWork units;
  private final RunEngine runEngine;
  private final WorkItemCommands workItems;
  private final FlowCatalog flows;
  private final FlowInterpreter interpreter;
  private final ObjectMapper mapper;
  private final EngineConfig config;
  private final WorkSignals signals;

  private final EngineSecurity security;
  private final EngineMetrics metrics;
  private final LocalHandOffs handOffs;
  private final StepReads steps;

  @Inject
  public JobRunner(
      UnitsOfWork units,
      RunEngine runEngine,
      WorkItemCommands workItems,
      FlowCatalog flows,
      FlowInterpreter interpreter,
      ObjectMapper mapper,
      EngineConfig config,
      WorkSignals signals,
      EngineSecurity security,
      EngineMetrics metrics,
      LocalHandOffs handOffs,
      StepReads steps) {
    this.handOffs = handOffs;
    this.steps = steps;
    this.security = security;
    this.metrics = metrics;
    this.units = units;
    this.runEngine = runEngine;
    this.workItems = workItems;
    this.flows = flows;
    this.interpreter = interpreter;
    this.mapper = mapper;
    this.config = config;
    this.signals = signals;
  }

  /** How a job run ended, for logs and tests. */
  public enum Outcome {
    /** The job's work is done and the job row is gone. */
    DONE,
    /** The interview paused; the job waits for its due time. */
    PAUSED,
    /** The job no longer exists, or its lease belongs to someone else now. */
    NOT_OURS,
    /** The step stopped waiting (discontinued, canceled, retried): nothing was committed. */
    STALE,
    /** The attempt failed; the job will be tried again later. */
    FAILED
  }

  /** Stopped the segment's transaction: the lease was lost or the step moved on. */
  static final class Fenced extends RuntimeException {
    final Outcome outcome;

    Fenced(Outcome outcome) {
      super(outcome.name(), null, false, false);
      this.outcome = outcome;
    }
  }

  /** Runs a job whose lease this node holds. */
  public Outcome run(String jobId) {
    return run(jobId, token -> {});
  }

  /**
   * Runs a job whose lease this node holds; {@code leaseTaken} learns the job's lease token as soon
   * as it is read (for renewal). A job whose interview stopped before an action with external side
   * effects takes two transactions with the call between them, made holding no connection (SPEC
   * §3.4): the call is repeated if the second transaction does not commit.
   */
  public Outcome run(String jobId, Consumer<String> leaseTaken) {
    return run(jobId, leaseTaken, () -> {});
  }

  /**
   * {@link #run(String, Consumer)}, telling {@code firstTransactionEnded} once the job's first
   * transaction has ended (committed or not), before any call it stopped for.
   */
  Outcome run(String jobId, Consumer<String> leaseTaken, Runnable firstTransactionEnded) {
    try {
      return runJob(jobId, leaseTaken, null, firstTransactionEnded);
    } finally {
      // The job's log lines carry its run (RunLogContext); the worker's next job starts clean.
      RunLogContext.clear();
    }
  }

  /**
   * Continues a job whose first transaction ran in a group ({@link JobGroups}) and stopped before
   * an action with external side effects: makes the call, holding no connection, then runs the
   * job's next transaction as {@link #run(String, Consumer)} would.
   */
  Outcome continueWithCall(String jobId, Consumer<String> leaseTaken, Attempt stopped) {
    try {
      return runJob(jobId, leaseTaken, stopped, () -> {});
    } finally {
      RunLogContext.clear();
    }
  }

  private Outcome runJob(
      String jobId, Consumer<String> leaseTaken, Attempt begun, Runnable firstTransactionEnded) {
    Runnable firstEnded = firstTransactionEnded;
    try {
      Attempt attempt = begun;
      PendingCall call = null;
      while (true) {
        if (attempt == null) {
          PendingCall made = call;
          try {
            attempt = units.call(uow -> runInUnitOfWork(uow, jobId, leaseTaken, made));
          } finally {
            firstEnded.run();
            firstEnded = () -> {};
          }
        }
        if (attempt.outcome() != null) {
          return attempt.outcome();
        }
        // The transaction that found the pending call has ended: nothing is held during the call.
        // Nor does the call go out before what led to it is on the disk (the job's own commit, and
        // the one that made the job, which a worker woken at once may have read before its write).
        units.awaitWrittenSoFar();
        InterviewState.PendingAction pending = attempt.call();
        call = new PendingCall(attempt.leaseToken(), interpreter.callPendingAction(pending));
        attempt = null;
      }
    } catch (Fenced fenced) {
      if (fenced.outcome == Outcome.STALE) {
        deleteStaleJob(jobId);
      }
      return fenced.outcome;
    } catch (RuntimeException e) {
      log.warn("Job {} failed: {}", jobId, e.toString(), e);
      recordFailure(jobId, e);
      return Outcome.FAILED;
    }
  }

  /** A call made outside a transaction: under which lease, and how it ended. */
  record PendingCall(String leaseToken, ActionOutcome outcome) {}

  /** How one transaction of a job ended: an outcome, or an action to call before the next one. */
  record Attempt(Outcome outcome, InterviewState.PendingAction call, String leaseToken) {
    static Attempt done(Outcome outcome) {
      return new Attempt(outcome, null, null);
    }
  }

  private Attempt runInUnitOfWork(
      UnitOfWork uow, String jobId, Consumer<String> leaseTaken, PendingCall call)
      throws SQLException {
    if (call == null) {
      Optional<LocalHandOffs.HandOff> carried = handOffs.take(jobId);
      if (carried.isPresent()) {
        Carried job = carried(carried.get());
        leaseTaken.accept(job.row().leaseToken());
        return runLoaded(uow, job.row(), job.step(), null);
      }
    }
    JobRow job = JobRow.loadOwned(uow.connection(), jobId, config.nodeId());
    if (job == null) {
      return Attempt.done(Outcome.NOT_OURS);
    }
    if (call != null && !call.leaseToken().equals(job.leaseToken())) {
      // The lease changed hands during the call (it expired): its holder calls again, same key.
      return Attempt.done(Outcome.NOT_OURS);
    }
    leaseTaken.accept(job.leaseToken());
    return runLoaded(uow, job, null, call);
  }

  /** A job handed over in memory by the transaction that created it, with its step. */
  record Carried(JobRow row, StepReads.RunningStep step) {}

  /**
   * The hand-off of {@code jobId} if this node's own transaction carried it here ({@link
   * LocalHandOffs}), taken: its row as inserted and its step, read from neither table.
   */
  Optional<Carried> takeCarried(String jobId) {
    return handOffs.take(jobId).map(JobRunner::carried);
  }

  private static Carried carried(LocalHandOffs.HandOff handOff) {
    return new Carried(
        new JobRow(
            handOff.jobId(),
            JobKind.FLOW,
            handOff.runId(),
            handOff.stepInstanceId(),
            handOff.attempt(),
            handOff.inputsJson(),
            null,
            handOff.leaseToken(),
            0,
            null,
            handOff.submissionId(),
            handOff.dueAt(),
            null,
            0),
        handOff.step());
  }

  /**
   * The work of one transaction of {@code job}, read in {@code uow} while this node held its lease
   * or carried in memory from the transaction that created it ({@code carriedStep} then its step,
   * else null): its writes are fenced by the lease token ({@link Fenced} when the lease was lost or
   * the step moved on).
   */
  Attempt runLoaded(UnitOfWork uow, JobRow job, StepReads.RunningStep carriedStep, PendingCall call)
      throws SQLException {
    Transaction tx = uow.transaction();
    MDC.put(RunLogContext.RUN_ID, job.runId());
    MDC.put(RunLogContext.SUBMISSION_ID, job.submissionId());
    if (call == null && job.dueAt() != null) {
      // The job's first transaction of this hand-off: its lag counts once it has committed.
      Duration lag = Duration.between(job.dueAt(), uow.now());
      tx.afterCommit(() -> metrics.jobHandoff(lag));
    }
    if (job.kind() == JobKind.RECHECK) {
      runEngine.evaluate(uow, job.runId(), () -> deleteFenced(tx.connection(), job));
      return Attempt.done(Outcome.DONE);
    }
    if (job.kind() == JobKind.OVERDUE) {
      workItems.overdue(
          uow, job.runId(), job.stepInstanceId(), () -> deleteFenced(tx.connection(), job));
      return Attempt.done(Outcome.DONE);
    }
    if (job.kind() == JobKind.ESCALATION) {
      workItems.escalate(
          uow, job.runId(), job.workItemId(), job.rung(), () -> deleteFenced(tx.connection(), job));
      return Attempt.done(Outcome.DONE);
    }
    return runSegment(uow, job, carriedStep, call);
  }

  private Attempt runSegment(
      UnitOfWork uow, JobRow job, StepReads.RunningStep carriedStep, PendingCall call)
      throws SQLException {
    Transaction tx = uow.transaction();
    // A carried job's step is the one its creating transaction started; a step that ended since
    // deleted the job, so the fenced writes below find nothing and the segment commits nothing.
    StepReads.RunningStep step =
        carriedStep != null
            ? carriedStep
            : steps.find(tx, job.runId(), job.stepInstanceId()).orElse(null);
    if (step == null
        || step.status() != StepStatus.IN_PROGRESS
        || step.attempt() != job.attempt()) {
      throw new Fenced(Outcome.STALE);
    }
    MDC.put(RunLogContext.STEP, step.name());
    log.debug(
        "Job {} runs a segment of step {} (attempt {})", job.id(), step.name(), job.attempt());
    InterviewState stored = readState(job);
    if (call == null && stored != null && stored.pendingAction().isPresent()) {
      return new Attempt(null, stored.pendingAction().get(), job.leaseToken());
    }
    CompiledFlow flow = flows.version(tx, step.flow(), step.flowVersion());
    SecurityContext securityContext = new SecurityContext(step.runAsUserId(), step.runMode());
    RecordStore records = security.secured(uow.records(), securityContext, uow::directoryIndex);
    Instant now = uow.now();
    InterviewContext context =
        new EngineInterviewContext(
            tx,
            flows,
            records,
            securityContext,
            now,
            job.runId() + "/" + job.stepInstanceId() + "/" + job.attempt(),
            true);
    // The timer or an event fired: the interview's event waits end here (first trigger wins).
    // Only a paused interview can have waits; a first segment skips the statement.
    if (job.interview() != null) {
      deleteEventWaits(tx.connection(), job.id());
    }
    Savepoint segmentStart = tx.setSavepoint();
    SegmentResult result;
    try {
      if (stored == null) {
        result = interpreter.start(flow, readMap(job.inputs()), context);
      } else if (call != null) {
        result = interpreter.resumeAfterAction(stored, call.outcome(), context);
      } else if (job.resumeEvent() == null) {
        result = interpreter.resume(stored, context);
      } else {
        result = resumeOnEvent(job, stored, context);
      }
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        // The database's failure, not the flow's: the transaction is retried, the step goes on.
        throw e;
      }
      result = interviewFailure(flow, e.getMessage());
    } catch (JsonProcessingException e) {
      result = interviewFailure(flow, e.getMessage());
    }
    switch (result) {
      case SegmentResult.Paused paused -> {
        runEngine.wakeRunsAbout(uow, job.runId());
        pause(tx, job, paused, now);
        return Attempt.done(Outcome.PAUSED);
      }
      case SegmentResult.Failed failed -> {
        // SPEC §3.4: an unhandled fault rolls back the segment's writes; the error is kept.
        tx.rollbackTo(segmentStart);
        finish(uow, job, failed);
        return Attempt.done(Outcome.DONE);
      }
      case SegmentResult.Completed completed -> {
        runEngine.wakeRunsAbout(uow, job.runId());
        finish(uow, job, completed);
        return Attempt.done(Outcome.DONE);
      }
    }
  }

  private static SegmentResult interviewFailure(CompiledFlow flow, String message) {
    return new SegmentResult.Failed(
        new FlowFailure(flow.apiName(), flow.version(), "(interview)", message));
  }

  /** The stored interview of a paused job; null before its first segment. */
  private InterviewState readState(JobRow job) {
    if (job.interview() == null) {
      return null;
    }
    try {
      return mapper.readValue(job.interview(), InterviewState.class);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "the stored interview of job " + job.id() + " cannot be read: " + e.getOriginalMessage(),
          e);
    }
  }

  private SegmentResult resumeOnEvent(JobRow job, InterviewState state, InterviewContext context)
      throws JsonProcessingException {
    Map<String, Object> event = readMap(job.resumeEvent());
    @SuppressWarnings("unchecked")
    Map<String, Object> payload =
        event.get("payload") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    return interpreter.resumeOnEvent(state, String.valueOf(event.get("name")), payload, context);
  }

  private static void deleteEventWaits(Connection connection, String jobId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM flow_event_waits WHERE job_id = ?")) {
      statement.setString(1, jobId);
      statement.executeUpdate();
    }
  }

  private void finish(UnitOfWork uow, JobRow job, SegmentResult result) throws SQLException {
    boolean finished;
    try {
      finished =
          runEngine.finishAsyncStep(
              uow, job.runId(), job.stepInstanceId(), job.attempt(), result, ended(job));
    } catch (LeaseLost e) {
      throw new Fenced(Outcome.NOT_OURS);
    }
    if (!finished) {
      throw new Fenced(Outcome.STALE);
    }
  }

  private static EndedJob ended(JobRow job) {
    return new EndedJob(job.id(), job.leaseToken());
  }

  private void pause(Transaction tx, JobRow job, SegmentResult.Paused paused, Instant now)
      throws SQLException {
    Connection connection = tx.connection();
    String state;
    try {
      state = mapper.writeValueAsString(paused.state());
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "interview state cannot be stored: " + e, e);
    }
    // A wait that is already over (PT0S, or a segment boundary before an external action) keeps
    // the lease and runs again on this node at once; any other releases it, so that whichever node
    // polls first after the due time picks the job up.
    boolean keepLease = !paused.resumeAt().isAfter(now);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE jobs SET interview = ?, due_at = ?, lease_owner = ?, lease_token = ?,"
                + " lease_until = ?, resume_event = NULL WHERE id = ? AND lease_token = ?")) {
      statement.setString(1, state);
      statement.setObject(2, JdbcValues.utc(paused.resumeAt()));
      statement.setString(3, keepLease ? config.nodeId() : null);
      statement.setString(4, keepLease ? job.leaseToken() : null);
      statement.setObject(5, keepLease ? JdbcValues.utc(now.plus(config.leaseDuration())) : null);
      statement.setString(6, job.id());
      statement.setString(7, job.leaseToken());
      if (statement.executeUpdate() != 1) {
        throw new Fenced(Outcome.NOT_OURS);
      }
    }
    for (EventWait wait : paused.events()) {
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO flow_event_waits (job_id, event_name, correlation_key, path, created_at)"
                  + " VALUES (?, ?, ?, ?, ?)")) {
        statement.setString(1, job.id());
        statement.setString(2, wait.event());
        statement.setString(3, wait.correlationKey());
        statement.setString(4, wait.path());
        statement.setObject(5, JdbcValues.utc(now));
        statement.executeUpdate();
      }
    }
    if (keepLease) {
      String jobId = job.id();
      tx.afterCommit(() -> signals.jobReady(jobId));
    }
  }

  private static void deleteFenced(Connection connection, JobRow job) throws SQLException {
    try {
      JobTable.deleteEnded(connection, ended(job));
    } catch (LeaseLost e) {
      throw new Fenced(Outcome.NOT_OURS);
    }
  }

  void deleteStaleJob(String jobId) {
    units.call(
        uow -> {
          try (PreparedStatement statement =
              uow.connection()
                  .prepareStatement("DELETE FROM jobs WHERE id = ? AND lease_owner = ?")) {
            statement.setString(1, jobId);
            statement.setString(2, config.nodeId());
            return statement.executeUpdate();
          }
        });
  }

  /**
   * Releases the lease with a back-off; after {@link #MAX_JOB_FAILURES} the step fails with the
   * last error, so that a job that can never succeed does not retry forever.
   */
  void recordFailure(String jobId, RuntimeException error) {
    try {
      units.run(
          uow -> {
            JobRow job = JobRow.loadOwned(uow.connection(), jobId, config.nodeId());
            if (job == null) {
              return;
            }
            int failures = job.failures() + 1;
            if (failures >= MAX_JOB_FAILURES && job.kind() == JobKind.FLOW) {
              runEngine.finishAsyncStep(
                  uow,
                  job.runId(),
                  job.stepInstanceId(),
                  job.attempt(),
                  new SegmentResult.Failed(
                      new FlowFailure(
                          "(job)",
                          0,
                          "(worker)",
                          "the step's job failed %d times; last error: %s"
                              .formatted(failures, error.getMessage()))),
                  ended(job));
              return;
            }
            Duration backoff = Duration.ofSeconds(Math.min(300, 1L << Math.min(failures, 8)));
            try (PreparedStatement statement =
                uow.connection()
                    .prepareStatement(
                        "UPDATE jobs SET failures = ?, due_at = ?, lease_owner = NULL,"
                            + " lease_token = NULL, lease_until = NULL"
                            + " WHERE id = ? AND lease_token = ?")) {
              statement.setInt(1, failures);
              statement.setObject(2, JdbcValues.utc(uow.now().plus(backoff)));
              statement.setString(3, jobId);
              statement.setString(4, job.leaseToken());
              statement.executeUpdate();
            }
          });
    } catch (RuntimeException e) {
      // The lease will expire and another attempt will happen; nothing is lost.
      log.warn("Could not record the failure of job {}: {}", jobId, e.toString());
    }
  }

  private Map<String, Object> readMap(String json) throws JsonProcessingException {
    return json == null ? Map.of() : mapper.readValue(json, MAP);
  }
}
