package io.orchestrion.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time spent by this JVM ({@code com.sun.management.OperatingSystemMXBean}) and by a server
 * process tree (an embedded PostgreSQL: its postmaster and its backends), for CPU per submission.
 */
final class CpuTime {
  private CpuTime() {}

  /** This JVM's process CPU time: every thread, the engine's, the driver's and the JIT's. */
  static Duration process() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long nanos = os.getProcessCpuTime();
      if (nanos >= 0) {
        return Duration.ofNanos(nanos);
      }
    }
    throw new IllegalStateException("this JVM does not report its process CPU time");
  }

  /**
   * CPU time per process of {@code root} and its descendants, by pid; empty when the operating
   * system does not report it.
   */
  static Optional<Map<Long, Duration>> tree(long root) {
    Optional<ProcessHandle> handle = ProcessHandle.of(root);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    Map<Long, Duration> times = new HashMap<>();
    handle.get().info().totalCpuDuration().ifPresent(cpu -> times.put(root, cpu));
    handle
        .get()
        .descendants()
        .forEach(
            process ->
                process.info().totalCpuDuration().ifPresent(cpu -> times.put(process.pid(), cpu)));
    return times.isEmpty() ? Optional.empty() : Optional.of(times);
  }

  /**
   * CPU spent between two {@link #tree} readings: processes that ended in between are lost
   * (backends live as long as the pool's connections, so few are), new ones count in full.
   */
  static Duration between(Map<Long, Duration> before, Map<Long, Duration> after) {
    Duration total = Duration.ZERO;
    for (Map.Entry<Long, Duration> process : after.entrySet()) {
      Duration start = before.getOrDefault(process.getKey(), Duration.ZERO);
      Duration spent = process.getValue().minus(start);
      if (!spent.isNegative()) {
        total = total.plus(spent);
      }
    }
    return total;
  }
}
