package io.orchestrion.engine.jobs;

import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's background work on this node: runs jobs handed over locally (their lease was taken
 * in the transaction that created them, so they cost no claim), polls for due jobs whose lease is
 * free or expired (timers, other nodes' work, work of a node that died), and renews the leases of
 * running jobs. Jobs and the other loops run on virtual threads, the poll loop on a platform thread
 * of its own; at most {@code workerConcurrency} workers run at once, each a job or a group of jobs
 * ready together that share one transaction ({@link JobGroups}, at most {@code jobGroupSize} jobs).
 * With a cap on {@code jobTransactionsAtOnce} (by default on PostgreSQL: {@link
 * #defaultTransactionCap}), at most that many first transactions of the jobs this node handed over
 * to itself are open at once: where commits limit throughput, the jobs that become ready while
 * those commit wait and then share one commit, instead of each taking a free worker and a commit of
 * its own (benchmarks/README.md, "Job transactions at once").
 */
public final class Workers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);

  private final Database database;
  private final JobGroups groups;
  private final WorkSignals signals;
  private final EngineConfig config;
  private final Clock clock;
  private final Semaphore permits;
  // Slots for the first transactions of locally handed-over jobs (a group counts once): a job ready
  // while every slot is taken waits, and joins the jobs ready with it in the next group.
  private final Semaphore transactions;
  // The cap behind it, the setting resolved for the database (0: none).
  private final int transactionCap;
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

  private final Set<String> running = ConcurrentHashMap.newKeySet();
  // The lease of each running job, once its runner has read it: what renewal extends.
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  // Jobs signalled ready while their previous segment was still returning; guarded by running.
  private final Set<String> runAgain = new java.util.HashSet<>();
  private ExecutorService executor;
  // The poll loop's own platform thread (see start()).
  private ExecutorService poller;
  private final List<Future<?>> intake = new ArrayList<>();
  private Future<?> renewal;
  private volatile boolean stopping;
  // The intake loops, for isRunning() (read without the lock).
  private volatile List<Future<?>> loops = List.of();

  @Inject
  public Workers(
      Database database, JobGroups groups, WorkSignals signals, EngineConfig config, Clock clock) {
    this.database = database;
    this.groups = groups;
    this.signals = signals;
    this.config = config;
    this.clock = clock;
    this.permits = new Semaphore(config.workerConcurrency());
    this.transactionCap =
        config.jobTransactionsAtOnce() == EngineConfig.JOB_TRANSACTIONS_BY_DATABASE
            ? defaultTransactionCap(database.dialect())
            : config.jobTransactionsAtOnce();
    // No cap: no slot to take.
    this.transactions =
        transactionCap == EngineConfig.NO_CAP_ON_JOB_TRANSACTIONS
            ? null
            : new Semaphore(transactionCap);
  }

  /**
   * How many first transactions of locally handed-over jobs may be open at once on this node, the
   * setting resolved for the database ({@link #defaultTransactionCap} when it leaves the choice to
   * it); 0: no cap.
   */
  int transactionCap() {
    return transactionCap;
  }

  /**
   * The cap that suits {@code dialect} when the engine is not told one ({@link
   * EngineConfig#JOB_TRANSACTIONS_BY_DATABASE}): the processors where each commit waits for its
   * flush ({@link Dialect#flushesEachCommit}, PostgreSQL), so that jobs ready while those commit
   * share the next one, and where the CPU limits, a worker per processor keeps it busy (measured:
   * at the emulated commit bound 1.2× the throughput, CPU-bound the same within the noise). No cap
   * on H2, where it cost about 5 % CPU-bound (benchmarks/README.md, "Job transactions at once on
   * PostgreSQL by default").
   */
  static int defaultTransactionCap(Dialect dialect) {
    return dialect.flushesEachCommit()
        ? Runtime.getRuntime().availableProcessors()
        : EngineConfig.NO_CAP_ON_JOB_TRANSACTIONS;
  }

  public synchronized void start() {
    if (executor != null) {
      return;
    }
    stopping = false;
    executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("orchestrion-", 0).factory());
    // The poll loop gets a platform thread of its own: woken by another node's notification, it
    // then runs at once, rather than after the JDK schedules a virtual thread onto a carrier (on
    // a busy machine, a large part of the cross-node hand-off's tail; benchmarks/README.md).
    poller =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("orchestrion-poller").factory());
    intake.add(executor.submit(this::consumeLocalJobs));
    intake.add(poller.submit(this::poll));
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
          if (transactions != null) {
            transactions.acquire();
          }
          List<String> group = new ArrayList<>();
          group.add(jobId);
          int size = groupSize(signals.readyJobCount() + 1, permits.availablePermits() + 1);
          group.addAll(signals.takeReadyJobs(size - 1));
          dispatch(group, transactions);
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
        int limit = available * config.jobGroupSize();
        List<String> claimed = claimDueJobs(limit);
        int size = groupSize(claimed.size(), available);
        for (int from = 0; from < claimed.size(); from += size) {
          permits.acquire();
          dispatch(claimed.subList(from, Math.min(claimed.size(), from + size)), null);
        }
        if (claimed.size() < limit) {
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

  /**
   * How many of {@code ready} jobs one worker takes when {@code freeWorkers} are free: the jobs
   * spread over the free workers, at most {@link EngineConfig#jobGroupSize()} per group. A lone job
   * never waits for a group to form, and jobs that free workers could run side by side are not
   * queued behind each other; groups form when jobs arrive faster than the workers finish them.
   */
  int groupSize(int ready, int freeWorkers) {
    return Math.max(
        1, Math.min(config.jobGroupSize(), Math.ceilDiv(ready, Math.max(1, freeWorkers))));
  }

  /**
   * Runs {@code jobIds} on one worker whose permit the caller took (as one group when several);
   * when {@code slot} is given, the caller also took one of its permits, given back once the first
   * transaction has ended (or when nothing runs).
   */
  private void dispatch(List<String> jobIds, Semaphore slot) {
    AtomicBoolean slotHeld = new AtomicBoolean(slot != null);
    Runnable releaseSlot =
        () -> {
          if (slotHeld.compareAndSet(true, false)) {
            slot.release();
          }
        };
    List<String> group = new ArrayList<>();
    synchronized (running) {
      for (String jobId : jobIds) {
        if (running.add(jobId)) {
          group.add(jobId);
        } else {
          // A segment that paused on a wait already over signals its job ready after its commit,
          // before its own run has returned: run the job again once it has, rather than leave it
          // to the next poll after its lease expires.
          runAgain.add(jobId);
        }
      }
    }
    if (group.isEmpty()) {
      releaseSlot.run();
      permits.release();
      return;
    }
    executor.execute(
        () -> {
          try {
            Map<String, JobRunner.Outcome> outcomes =
                groups.run(
                    group,
                    (jobId, token) ->
                        leases.compute(
                            jobId,
                            (id, known) ->
                                new Lease(
                                    token,
                                    known == null ? System.nanoTime() : known.startedNanos())),
                    releaseSlot);
            outcomes.forEach((jobId, outcome) -> log.debug("Job {}: {}", jobId, outcome));
          } finally {
            releaseSlot.run();
            List<String> again = new ArrayList<>();
            synchronized (running) {
              for (String jobId : group) {
                running.remove(jobId);
                leases.remove(jobId);
                if (runAgain.remove(jobId)) {
                  again.add(jobId);
                }
              }
            }
            permits.release();
            if (!again.isEmpty() && !stopping) {
              permits.acquireUninterruptibly();
              dispatch(again, null);
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
        ready = claimDueJobs(config.workerConcurrency() * config.jobGroupSize());
      }
      if (ready.isEmpty()) {
        return runs;
      }
      // One thread: every group as large as the setting allows.
      int from = 0;
      while (from < ready.size()) {
        if (runs == MAX_DUE_JOB_RUNS) {
          throw new IllegalStateException(
              "still jobs due after "
                  + MAX_DUE_JOB_RUNS
                  + " job runs; job "
                  + ready.get(from)
                  + " is next");
        }
        int to =
            Math.min(ready.size(), from + Math.min(config.jobGroupSize(), MAX_DUE_JOB_RUNS - runs));
        groups
            .run(ready.subList(from, to), (jobId, token) -> {})
            .forEach((jobId, outcome) -> log.debug("Job {}: {}", jobId, outcome));
        runs += to - from;
        from = to;
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
    poller.shutdownNow();
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor = null;
    poller = null;
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
