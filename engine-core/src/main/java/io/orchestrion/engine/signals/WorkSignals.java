package io.orchestrion.engine.signals;

import jakarta.inject.Inject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * In-process wake-ups: "this job was just committed with a lease held by this node" and "events
 * were just written". They only make work start sooner; the tables stay the only record of work,
 * and pollers find everything a lost wake-up would have announced.
 */
public final class WorkSignals {
  private final BlockingQueue<String> localJobs = new LinkedBlockingQueue<>();
  private final Semaphore eventsWritten = new Semaphore(0);

  @Inject
  public WorkSignals() {}

  /** A job whose lease this node already holds, ready to run now. */
  public void jobReady(String jobId) {
    localJobs.add(jobId);
  }

  public String takeJob(long timeout, TimeUnit unit) throws InterruptedException {
    return localJobs.poll(timeout, unit);
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
