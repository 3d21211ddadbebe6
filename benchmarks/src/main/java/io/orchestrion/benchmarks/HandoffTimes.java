package io.orchestrion.benchmarks;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The asynchronous hand-off as the database sees it: from the moment the transaction that inserted
 * a step's job ({@code INSERT INTO jobs}, kind {@code FLOW}) has committed (its {@code commit()}
 * returned) to the moment a worker's transaction reads that job to run it ({@code SELECT ... FROM
 * jobs WHERE id = ? AND lease_owner = ?}, the job runner's first statement). Both instants are
 * taken by {@link CountingDataSource} on this JVM's monotonic clock, so the interval holds the
 * wake-up, the wait for a free worker, the thread's scheduling and the wait for a pool connection —
 * everything between "committed" and "started" — and nothing of the engine is changed to measure
 * it.
 *
 * <p>Only the first read of each job counts (a paused interview's later segments are not a
 * hand-off). A worker that claims a job by polling (another node's, or a lost wake-up) may read it
 * before the committing thread has stamped its commit; the start is then kept until the commit is
 * stamped, and the interval counts as zero.
 */
final class HandoffTimes {
  /**
   * The job kind of an asynchronous step's segment ({@code io.orchestrion.engine.queue.JobKind}).
   */
  static final String FLOW_JOB = "FLOW";

  // Up to an hour, in microseconds, 3 significant digits.
  private volatile Histogram micros = newHistogram();
  private final Map<String, Long> committed = new ConcurrentHashMap<>();
  private final Map<String, Long> startedFirst = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

  private static Histogram newHistogram() {
    return new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);
  }

  /** Forgets every sample: the measured period starts now (jobs in flight are not counted). */
  void reset() {
    micros = newHistogram();
    committed.clear();
    startedFirst.clear();
  }

  /** The transaction that inserted these step jobs committed at {@code nanos}. */
  void committed(Collection<String> jobIds, long nanos) {
    for (String jobId : jobIds) {
      Long started = startedFirst.remove(jobId);
      if (started != null) {
        record(0);
      } else {
        committed.put(jobId, nanos);
      }
    }
  }

  /** A worker's transaction read job {@code jobId} to run it at {@code nanos}. */
  void started(String jobId, long nanos) {
    if (seen.putIfAbsent(jobId, Boolean.TRUE) != null) {
      return;
    }
    Long at = committed.remove(jobId);
    if (at == null) {
      startedFirst.put(jobId, nanos);
      return;
    }
    record(nanos - at);
  }

  private void record(long nanos) {
    micros.recordValue(Math.min(Math.max(0, nanos / 1000), micros.getHighestTrackableValue()));
  }

  /** The hand-offs measured since the last {@link #reset()}. */
  Latencies snapshot() {
    Histogram histogram = micros.copy();
    if (histogram.getTotalCount() == 0) {
      return new Latencies(0, 0, 0, 0, 0, committed.size());
    }
    return new Latencies(
        histogram.getValueAtPercentile(50),
        histogram.getValueAtPercentile(90),
        histogram.getValueAtPercentile(99),
        histogram.getMaxValue(),
        histogram.getTotalCount(),
        committed.size());
  }

  /**
   * Hand-off percentiles in microseconds (HdrHistogram, 3 significant digits).
   *
   * @param count hand-offs measured
   * @param notStarted step jobs committed in the period that no worker had read when asked
   */
  record Latencies(long p50, long p90, long p99, long max, long count, int notStarted) {}
}
