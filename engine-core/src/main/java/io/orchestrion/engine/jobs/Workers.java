package io.orchestrion.engine.jobs;

import io.orchestrion.engine.EngineConfig;
import io.orchestrion.engine.persistence.Database;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

  private final Set<String> running = ConcurrentHashMap.newKeySet();
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

  private void poll() {
    while (!stopping) {
      try {
        int available = permits.availablePermits();
        if (available > 0) {
          for (String jobId : claimDueJobs(available)) {
            permits.acquire();
            dispatch(jobId);
          }
        }
        Thread.sleep(config.pollInterval());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Polling for jobs failed: {}", e.toString());
        sleepQuietly();
      }
    }
  }

  /** Claims up to {@code limit} due jobs whose lease is free or expired, in one transaction. */
  List<String> claimDueJobs(int limit) {
    Instant now = clock.instant();
    return database.inTransaction(
        tx -> {
          List<String> candidates = new ArrayList<>();
          try (PreparedStatement select =
              tx.connection()
                  .prepareStatement(
                      "SELECT id FROM jobs WHERE due_at <= ? AND (lease_until IS NULL OR"
                          + " lease_until < ?) ORDER BY due_at FETCH FIRST "
                          + limit
                          + " ROWS ONLY")) {
            select.setObject(1, utc(now));
            select.setObject(2, utc(now));
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                candidates.add(rs.getString(1));
              }
            }
          }
          List<String> claimed = new ArrayList<>();
          if (candidates.isEmpty()) {
            return claimed;
          }
          // The WHERE clause repeats the "free or expired" test: of two nodes racing for a job,
          // the second one's update matches no row.
          try (PreparedStatement claim =
              tx.connection()
                  .prepareStatement(
                      "UPDATE jobs SET lease_owner = ?, lease_token = ?, lease_until = ?"
                          + " WHERE id = ? AND (lease_until IS NULL OR lease_until < ?)")) {
            for (String id : candidates) {
              claim.setString(1, config.nodeId());
              claim.setString(2, UUID.randomUUID().toString());
              claim.setObject(3, utc(now.plus(config.leaseDuration())));
              claim.setString(4, id);
              claim.setObject(5, utc(now));
              if (claim.executeUpdate() == 1) {
                claimed.add(id);
              }
            }
          }
          return claimed;
        });
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
            JobRunner.Outcome outcome = runner.run(jobId);
            log.debug("Job {}: {}", jobId, outcome);
          } finally {
            boolean again;
            synchronized (running) {
              running.remove(jobId);
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

  private void renewLeases() {
    long period = Math.max(50, config.leaseDuration().toMillis() / 3);
    // Runs until close() cancels it, after the running jobs finished: they keep their leases.
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(period);
        if (running.isEmpty()) {
          continue;
        }
        List<String> ids = List.copyOf(running);
        Instant until = clock.instant().plus(config.leaseDuration());
        database.inTransaction(
            tx -> {
              try (PreparedStatement renew =
                  tx.connection()
                      .prepareStatement(
                          "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?")) {
                for (String id : ids) {
                  renew.setObject(1, utc(until));
                  renew.setString(2, id);
                  renew.setString(3, config.nodeId());
                  renew.addBatch();
                }
                renew.executeBatch();
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

  private void sleepQuietly() {
    try {
      Thread.sleep(config.pollInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

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

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
