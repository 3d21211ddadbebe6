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
 * <p>A job its creating node hands to its own worker in memory ({@code run.LocalHandOffs}) is not
 * read: it is first seen at its fenced removal or pause ({@code DELETE FROM jobs WHERE id = ? AND
 * lease_token = ?}, on PostgreSQL inside its run's {@code UPDATE}), and its start is the moment its
 * worker's transaction got its connection — the moment it would have read the job.
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

  // Up to an hour, in microseconds, 3 significant digits: the whole hand-off, and its parts.
  private volatile Histogram micros = newHistogram();
  private volatile Histogram untilAsked = newHistogram();
  private volatile Histogram poolWait = newHistogram();
  private volatile Histogram afterGot = newHistogram();
  private final Map<String, Long> committed = new ConcurrentHashMap<>();
  private final Map<String, Long> startedFirst = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

  private static Histogram newHistogram() {
    return new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);
  }

  /** Forgets every sample: the measured period starts now (jobs in flight are not counted). */
  void reset() {
    micros = newHistogram();
    untilAsked = newHistogram();
    poolWait = newHistogram();
    afterGot = newHistogram();
    committed.clear();
    startedFirst.clear();
  }

  /** The transaction that inserted these step jobs committed at {@code nanos}. */
  void committed(Collection<String> jobIds, long nanos) {
    for (String jobId : jobIds) {
      Long started = startedFirst.remove(jobId);
      if (started != null) {
        record(micros, 0);
      } else {
        committed.put(jobId, nanos);
      }
    }
  }

  /**
   * A worker's transaction read job {@code jobId} to run it at {@code nanos}, on a connection it
   * asked the pool for at {@code asked} and got at {@code got}.
   */
  void started(String jobId, long nanos, long asked, long got) {
    if (seen.putIfAbsent(jobId, Boolean.TRUE) != null) {
      return;
    }
    Long at = committed.remove(jobId);
    if (at == null) {
      startedFirst.put(jobId, nanos);
      return;
    }
    record(micros, nanos - at);
    record(untilAsked, asked - at);
    record(poolWait, got - asked);
    record(afterGot, nanos - got);
  }

  private static void record(Histogram histogram, long nanos) {
    histogram.recordValue(
        Math.min(Math.max(0, nanos / 1000), histogram.getHighestTrackableValue()));
  }

  /** The hand-offs measured since the last {@link #reset()}. */
  Latencies snapshot() {
    return new Latencies(
        Part.of(micros),
        Part.of(untilAsked),
        Part.of(poolWait),
        Part.of(afterGot),
        committed.size());
  }

  /** Percentiles of one interval in microseconds (HdrHistogram, 3 significant digits). */
  record Part(long p50, long p90, long p99, long max, long count) {
    static Part of(Histogram live) {
      Histogram histogram = live.copy();
      if (histogram.getTotalCount() == 0) {
        return new Part(0, 0, 0, 0, 0);
      }
      return new Part(
          histogram.getValueAtPercentile(50),
          histogram.getValueAtPercentile(90),
          histogram.getValueAtPercentile(99),
          histogram.getMaxValue(),
          histogram.getTotalCount());
    }
  }

  /**
   * The hand-offs, and their parts (without the ones a poller read before the commit was stamped).
   *
   * @param total committed to read
   * @param untilAsked committed to the worker asking the pool for a connection: the wake-up, the
   *     wait for a free worker and for a thread to run on
   * @param poolWait the wait for a pool connection
   * @param afterGot connection got to the job read (the transaction's first statement)
   * @param notStarted step jobs committed in the period that no worker had read when asked
   */
  record Latencies(Part total, Part untilAsked, Part poolWait, Part afterGot, int notStarted) {
    long p50() {
      return total.p50();
    }

    long p90() {
      return total.p90();
    }

    long p99() {
      return total.p99();
    }

    long max() {
      return total.max();
    }

    long count() {
      return total.count();
    }
  }
}
