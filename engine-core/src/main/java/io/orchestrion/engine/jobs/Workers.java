package io.orchestrion.engine.jobs;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.signals.WorkSignals;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's background work on this node: runs jobs handed over locally (their lease was taken
 * in the transaction that created them, so they cost no claim), polls for due jobs whose lease is
 * free or expired (timers, other nodes' work, work of a node that died), and renews the leases of
 * running jobs. Everything runs on virtual threads; at most {@code workerConcurrency} jobs run at
 * once.
 */
public final class Workers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);

  private final Database database;
  private final JobRunner runner;
  private final WorkSignals signals;
  private final EngineConfig config;
  private final Clock clock;
  private final Semaphore permits;
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

  private final Set<String> running = ConcurrentHashMap.newKeySet();
  // The lease of each running job, once its runner has read it: what renewal extends.
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  // Jobs signalled ready while their previous segment was still returning; guarded by running.
  private final Set<String> runAgain = new java.util.HashSet<>();
  private ExecutorService executor;
  private final List<Future<?>> intake = new ArrayList<>();
  private Future<?> renewal;
  private volatile boolean stopping;
  // The intake loops, for isRunning() (read without the lock).
  private volatile List<Future<?>> loops = List.of();

  @Inject
  public Workers(
      Database database, JobRunner runner, WorkSignals signals, EngineConfig config, Clock clock) {
    this.database = database;
    this.runner = runner;
    this.signals = signals;
    this.config = config;
    this.clock = clock;
    this.permits = new Semaphore(config.workerConcurrency());
  }

  public synchronized void start() {
    if (executor != null) {
      return;
    }
    stopping = false;
    executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("orchestrion-", 0).factory());
    intake.add(executor.submit(this::consumeLocalJobs));
    intake.add(executor.submit(this::poll));
    renewal = executor.submit(this::renewLeases);
    loops = List.copyOf(intake);
  }

  /** Whether the workers were started, are not stopping, and none of their loops has died. */
  public boolean isRunning() {
    List<Future<?>> current = loops;
    return !stopping && !current.isEmpty() && current.stream().noneMatch(Future::isDone);
  }

  private void consumeLocalJobs() {
    while (!stopping) {
      try {
        String jobId = signals.takeJob(200, TimeUnit.MILLISECONDS);
        if (jobId != null) {
          permits.acquire();
          dispatch(jobId);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Claims due jobs whenever a worker is free and jobs may be due: at once after a claim that
   * filled every free worker (more may be waiting), when woken ({@link WorkSignals#jobsDue}: a
   * transaction here or, through {@link io.orchestrion.engine.cluster.ClusterNotices}, on another
   * node made jobs due), and otherwise every poll interval (timers, expired leases of nodes that
   * died, lost notifications).
   */
  private void poll() {
    while (!stopping) {
      try {
        // Wait for a free worker, so that a wake-up while all are busy is not lost.
        permits.acquire();
        permits.release();
        int available = permits.availablePermits();
        if (available == 0) {
          continue; // a local job took the free worker
        }
        List<String> claimed = claimDueJobs(available);
        for (String jobId : claimed) {
          permits.acquire();
          dispatch(jobId);
        }
        if (claimed.size() < available) {
          signals.awaitJobsDue(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Polling for jobs failed: {}", e.toString());
        sleepQuietly();
      }
    }
  }

  /**
   * Claims up to {@code limit} due jobs whose lease is free or expired, in one statement that skips
   * job rows other transactions hold (see {@link
   * io.orchestrion.engine.persistence.Dialect#claimDueJobs}).
   */
  List<String> claimDueJobs(int limit) {
    Instant now = clock.instant();
    return database.inTransaction(
        tx ->
            tx.dialect()
                .claimDueJobs(
                    tx.connection(),
                    limit,
                    config.nodeId(),
                    UUID.randomUUID().toString(),
                    JdbcValues.utc(now.plus(config.leaseDuration())),
                    JdbcValues.utc(now)));
  }

  private void dispatch(String jobId) {
    synchronized (running) {
      if (!running.add(jobId)) {
        // A segment that paused on a wait already over signals its job ready after its commit,
        // before its own run has returned: run the job again once it has, rather than leave it
        // to the next poll after its lease expires.
        runAgain.add(jobId);
        permits.release();
        return;
      }
    }
    executor.execute(
        () -> {
          try {
            JobRunner.Outcome outcome =
                runner.run(
                    jobId,
                    token ->
                        leases.compute(
                            jobId,
                            (id, known) ->
                                new Lease(
                                    token,
                                    known == null ? System.nanoTime() : known.startedNanos())));
            log.debug("Job {}: {}", jobId, outcome);
          } finally {
            boolean again;
            synchronized (running) {
              running.remove(jobId);
              leases.remove(jobId);
              again = runAgain.remove(jobId);
            }
            permits.release();
            if (again && !stopping) {
              permits.acquireUninterruptibly();
              dispatch(jobId);
            }
          }
        });
  }

  /**
   * Extends the lease of every job running here, each fenced by its lease token and skipping a job
   * row that is locked (its segment is committing), so that renewing never waits behind a running
   * segment. A job running longer than {@link #maxRunTime()} (a hung call) is no longer renewed:
   * its lease expires, another node may take the job over, and this node's late commit is fenced
   * out.
   */
  private void renewLeases() {
    long period = Math.max(50, config.leaseDuration().toMillis() / 3);
    long maxRunNanos = maxRunTime().toNanos();
    // Runs until close() cancels it, after the running jobs finished: they keep their leases.
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(period);
        long nanos = System.nanoTime();
        Map<String, Lease> renew = new HashMap<>();
        leases.forEach(
            (id, lease) -> {
              if (nanos - lease.startedNanos() <= maxRunNanos) {
                renew.put(id, lease);
              } else {
                log.warn(
                    "Job {} has run longer than {}; its lease is left to expire", id, maxRunTime());
              }
            });
        if (renew.isEmpty()) {
          continue;
        }
        Instant until = clock.instant().plus(config.leaseDuration());
        database.inTransaction(
            tx -> {
              try (PreparedStatement statement =
                  tx.connection().prepareStatement(tx.dialect().renewLease())) {
                for (Map.Entry<String, Lease> lease : renew.entrySet()) {
                  statement.setObject(1, JdbcValues.utc(until));
                  statement.setString(2, lease.getKey());
                  statement.setString(3, lease.getValue().token());
                  statement.executeUpdate();
                }
              }
              return null;
            });
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Renewing job leases failed: {}", e.toString());
      }
    }
  }

  /**
   * How long one run of a job may keep its lease renewed: a segment's time limit, plus two action
   * calls that each stop at the action timeout (one outside the segment, before it, for an action
   * with external side effects, and one inside that overran the segment's limit), plus a lease.
   */
  Duration maxRunTime() {
    return config
        .flowLimits()
        .maxSegmentTime()
        .plus(config.flowLimits().actionTimeout().multipliedBy(2))
        .plus(config.leaseDuration());
  }

  /**
   * After a failed poll: waits for a wake-up or the poll interval, but at most {@link
   * #RETRY_AFTER_FAILURE}, so that a long poll interval (work is pushed by wake-ups) does not keep
   * this node idle long after the database is back.
   */
  private void sleepQuietly() {
    try {
      Duration wait =
          config.pollInterval().compareTo(RETRY_AFTER_FAILURE) < 0
              ? config.pollInterval()
              : RETRY_AFTER_FAILURE;
      signals.awaitJobsDue(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs every job that is ready on this node or due by the engine's clock, one after another on
   * the calling thread, until none is left (jobs that a run makes ready or due meanwhile included),
   * and returns how many job runs that took. For engines whose workers were not started: tests on a
   * virtual clock, or a host that schedules the engine's work itself.
   *
   * @throws IllegalStateException when the workers run, or when more than {@link #MAX_DUE_JOB_RUNS}
   *     runs did not empty the queue (a job that keeps itself due)
   */
  public int runDueJobs() {
    synchronized (this) {
      if (executor != null) {
        throw new IllegalStateException(
            "the workers are running: runDueJobs() is for engines started without them"
                + " (EngineConfig.withStartWorkers(false))");
      }
    }
    int runs = 0;
    while (true) {
      List<String> ready = new ArrayList<>();
      String local;
      try {
        while ((local = signals.takeJob(0, TimeUnit.MILLISECONDS)) != null) {
          ready.add(local);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running due jobs", e);
      }
      if (ready.isEmpty()) {
        ready = claimDueJobs(config.workerConcurrency());
      }
      if (ready.isEmpty()) {
        return runs;
      }
      for (String jobId : ready) {
        if (runs == MAX_DUE_JOB_RUNS) {
          throw new IllegalStateException(
              "still jobs due after " + MAX_DUE_JOB_RUNS + " job runs; job " + jobId + " is next");
        }
        log.debug("Job {}: {}", jobId, runner.run(jobId));
        runs++;
      }
    }
  }

  /** How many job runs one {@link #runDueJobs()} may take. */
  public static final int MAX_DUE_JOB_RUNS = 10_000;

  /** Whether no job is running on this node (for tests and orderly shutdown). */
  public boolean isIdle() {
    return running.isEmpty();
  }

  /**
   * Stops taking jobs at once, lets the running ones finish (their leases still renewed) for up to
   * {@link #DRAIN_TIMEOUT}, then stops. A job cut off is fenced out and runs again elsewhere.
   */
  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    stopping = true;
    loops = List.of();
    // Woken rather than interrupted while they may be claiming: an interrupt during a write closes
    // H2's file channel and with it the whole embedded database. Only a loop still waiting (for a
    // free worker) after the grace period is interrupted.
    signals.jobsDue();
    awaitIntakeStopped();
    intake.forEach(loop -> loop.cancel(true));
    intake.clear();
    try {
      Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
      while (!running.isEmpty() && Instant.now().isBefore(deadline)) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    renewal.cancel(true);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor = null;
  }

  private void awaitIntakeStopped() {
    long deadline = System.nanoTime() + INTAKE_STOP_GRACE.toNanos();
    for (Future<?> loop : intake) {
      try {
        loop.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | CancellationException e) {
        // stopped with a failure, or still waiting: interrupted below
      }
    }
  }

  /** How long the intake loops get to see the stop flag before they are interrupted. */
  private static final Duration INTAKE_STOP_GRACE = Duration.ofSeconds(1);

  /** The lease a running job holds, and when its run started ({@link System#nanoTime()}). */
  private record Lease(String token, long startedNanos) {}
}
