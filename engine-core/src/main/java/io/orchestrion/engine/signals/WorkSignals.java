package io.orchestrion.engine.signals;

import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wake-ups: "this job was just committed with a lease held by this node", "jobs whose lease is free
 * are due now" (on every node: see {@link #jobsDue(Transaction)}) and "events were just written".
 * They only make work start sooner; the tables stay the only record of work, and pollers find
 * everything a lost wake-up would have announced.
 */
public final class WorkSignals {
  /** The PostgreSQL channel on which a transaction announces jobs due now to every node. */
  public static final String JOBS_CHANNEL = "orchestrion_jobs";

  private final BlockingQueue<String> localJobs = new LinkedBlockingQueue<>();
  private final Semaphore eventsWritten = new Semaphore(0);
  private final Semaphore jobsDue = new Semaphore(0);

  @Inject
  public WorkSignals() {}

  /** A job whose lease this node already holds, ready to run now. */
  public void jobReady(String jobId) {
    localJobs.add(jobId);
  }

  public String takeJob(long timeout, TimeUnit unit) throws InterruptedException {
    return localJobs.poll(timeout, unit);
  }

  /** How many jobs are ready here and not taken yet. */
  public int readyJobCount() {
    return localJobs.size();
  }

  /** Takes up to {@code max} of the jobs ready now, without waiting for more. */
  public List<String> takeReadyJobs(int max) {
    List<String> taken = new ArrayList<>();
    localJobs.drainTo(taken, max);
    return taken;
  }

  /**
   * Announces, from inside {@code tx}, that it makes jobs due now whose lease is free (a flow event
   * resumed an interview, a re-check of another run was scheduled): every node's poller looks for
   * due jobs as soon as {@code tx} commits, rather than at its next poll. On PostgreSQL the
   * announcement is a {@code NOTIFY} on {@link #JOBS_CHANNEL}, which the database delivers to the
   * listening nodes at commit and never before (nor at all on rollback); repeated ones within a
   * transaction are delivered once. This node is woken after the commit in any case.
   */
  public void jobsDue(Transaction tx) throws SQLException {
    if (tx.dialect() == Dialect.POSTGRESQL) {
      try (Statement statement = tx.connection().createStatement()) {
        statement.execute("NOTIFY " + JOBS_CHANNEL);
      }
    }
    tx.afterCommit(this::jobsDue);
  }

  /** Wakes this node's poller: jobs may be due (a notification, a reconnected listener). */
  public void jobsDue() {
    jobsDue.release();
  }

  /** Waits until jobs may be due or {@code timeout} passes; true when woken. */
  public boolean awaitJobsDue(long timeout, TimeUnit unit) throws InterruptedException {
    boolean signalled = jobsDue.tryAcquire(timeout, unit);
    jobsDue.drainPermits();
    return signalled;
  }

  public void eventsWritten() {
    eventsWritten.release();
  }

  public boolean awaitEvents(long timeout, TimeUnit unit) throws InterruptedException {
    boolean signalled = eventsWritten.tryAcquire(timeout, unit);
    eventsWritten.drainPermits();
    return signalled;
  }
}
