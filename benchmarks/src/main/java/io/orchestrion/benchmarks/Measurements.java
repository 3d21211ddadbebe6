package io.orchestrion.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one end-to-end measurement produces: its figures, each as the report reads them. */
final class Measurements {
  private Measurements() {}

  /** Percentiles in microseconds. */
  record Latencies(long p50, long p90, long p99, long max, int count) {
    static Latencies of(long[] micros) {
      if (micros.length == 0) {
        return new Latencies(0, 0, 0, 0, 0);
      }
      long[] sorted = micros.clone();
      Arrays.sort(sorted);
      return new Latencies(
          percentile(sorted, 50),
          percentile(sorted, 90),
          percentile(sorted, 99),
          sorted[sorted.length - 1],
          sorted.length);
    }

    private static long percentile(long[] sorted, int percent) {
      int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }

  /**
   * The commits/s ceiling of the pool: INSERT one row + COMMIT, from the same threads, each commit
   * written before it returns.
   */
  record Baseline(long commits, Duration elapsed) {
    double commitsPerSecond() {
      return commits / EndToEndBenchmark.seconds(elapsed);
    }
  }

  /**
   * How well the driver kept an open loop's schedule: sends that left more than {@link
   * EndToEndBenchmark#LATE_SEND} after their due time, and the latest one. A schedule that slips
   * means the driver's threads were all busy: the rate is above what they sustain.
   */
  record Pacing(int lateSends, Duration maxLateness) {}

  /** Everything measured on one database. */
  record Result(
      String database,
      String settings,
      String api,
      EndToEndBenchmark.Options options,
      int approved,
      Map<String, Integer> otherStatuses,
      List<String> submitFailures,
      List<String> stuck,
      Duration elapsed,
      Latencies endToEnd,
      Latencies submitCall,
      HandoffTimes.Latencies handoffs,
      WakeupProbe.Floor wakeups,
      Pacing pacing,
      long retries,
      CountingDataSource.Snapshot jdbc,
      BenchDatabase.ServerCounts server,
      long monitorQueries,
      Baseline baseline,
      Cpu cpu,
      String plans,
      Optional<HistorySeeder.Seeded> history) {
    double submissionsPerSecond() {
      return approved / EndToEndBenchmark.seconds(elapsed);
    }
  }

  /**
   * CPU time spent while the measured submissions ran (first submit to completion detected).
   *
   * @param jvm this JVM: engine, driver threads (submitting, approving, polling) and JIT
   * @param byThread {@code jvm} split by the role of the thread that spent it (empty when the JVM
   *     does not measure thread CPU time)
   * @param server the database server's processes, when the database runs outside the JVM
   * @param wall the wall-clock time of the same interval
   * @param compiling the JIT compiler threads' time spent compiling in the same interval
   * @param collecting the garbage collectors' time in the same interval
   */
  record Cpu(
      Duration jvm,
      Map<CpuTime.ThreadRole, Duration> byThread,
      Optional<Duration> server,
      Duration wall,
      Duration compiling,
      Duration collecting) {
    Cpu {
      byThread = Map.copyOf(byThread);
    }

    /**
     * The JVM's CPU less what the driver alone needed: in process, everything but the driver-only
     * threads (the submitting and deciding threads run the engine's code); over HTTP, also less the
     * submitting and deciding threads (they only run the HTTP client). Empty when threads were not
     * measured.
     */
    Optional<Duration> engine(EngineHost.Api api) {
      if (byThread.isEmpty()) {
        return Optional.empty();
      }
      Duration engine = jvm.minus(byThread.get(CpuTime.ThreadRole.DRIVER));
      if (api == EngineHost.Api.HTTP) {
        engine = engine.minus(byThread.get(CpuTime.ThreadRole.CALLERS));
      }
      return Optional.of(engine.isNegative() ? Duration.ZERO : engine);
    }
  }
}
