package io.orchestrion.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time spent by this JVM ({@code com.sun.management.OperatingSystemMXBean}), by its threads
 * ({@code ThreadMXBean}, grouped by {@link ThreadRole}) and by a server process tree (an embedded
 * PostgreSQL: its postmaster and its backends), for CPU per submission.
 */
final class CpuTime {
  private CpuTime() {}

  /**
   * Who a thread of this JVM works for during a run, by its name. The split is by thread, not by
   * code: in process, the driver's submitting and deciding threads run the engine's submit and
   * decide transactions themselves (nearly all of their CPU is engine code); over HTTP they only
   * run the HTTP client, and the engine's side of those calls runs on the server's threads.
   */
  enum ThreadRole {
    /** Every thread the driver did not start: the engine's workers, sequencer, poller, pool. */
    ENGINE("engine threads"),
    /**
     * The driver's submitting and deciding threads ({@code bench-submit-}, {@code bench-decide-}).
     */
    CALLERS("submit/decide threads"),
    /** The driver's polling, probes and HTTP client: work the engine would not do in production. */
    DRIVER("driver-only threads"),
    /** CPU of the JVM's own threads, which ThreadMXBean does not list: GC, JIT compiler. */
    JVM("GC/JIT (no Java thread)");

    final String label;

    ThreadRole(String label) {
      this.label = label;
    }

    static ThreadRole of(String threadName) {
      if (threadName.startsWith(EndToEndBenchmark.SUBMIT_THREAD_PREFIX)
          || threadName.startsWith(Approver.THREAD_PREFIX)) {
        return CALLERS;
      }
      if (threadName.startsWith("bench-")
          || threadName.startsWith("HttpClient-")
          || threadName.equals("main")) {
        return DRIVER;
      }
      return ENGINE;
    }
  }

  /** One thread's name and CPU time so far. */
  record ThreadTime(String name, long nanos) {}

  /** The last reading of driver threads that may end before {@link #threads} is read again. */
  private static final Map<Long, ThreadTime> ENDING = new ConcurrentHashMap<>();

  /**
   * Records the calling thread's CPU time so far: a task on a pool that is shut down before the
   * next {@link #threads} reading calls this as its last act, so that its thread still counts.
   * (Thread ids are never reused in a JVM.)
   */
  static void taskEnding() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (mx.isCurrentThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled()) {
      long nanos = mx.getCurrentThreadCpuTime();
      if (nanos >= 0) {
        Thread thread = Thread.currentThread();
        ENDING.put(thread.threadId(), new ThreadTime(thread.getName(), nanos));
      }
    }
  }

  /**
   * CPU time of every live Java thread and of those that recorded themselves with {@link
   * #taskEnding}, by thread id; empty when the JVM does not measure it.
   */
  static Map<Long, ThreadTime> threads() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
      return Map.of();
    }
    Map<Long, ThreadTime> times = new HashMap<>(ENDING);
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long nanos = mx.getThreadCpuTime(info.getThreadId());
        if (nanos >= 0) {
          times.put(info.getThreadId(), new ThreadTime(info.getThreadName(), nanos));
        }
      }
    }
    return times;
  }

  /**
   * CPU spent between two {@link #threads} readings by role; {@link ThreadRole#JVM} is the rest of
   * {@code process} (the JVM's CPU over the same interval). A thread that ended in between is lost
   * to its role (and counted in JVM): the engine's and driver's pools live through the measurement.
   * Empty when threads were not measured.
   */
  static Map<ThreadRole, Duration> byRole(
      Map<Long, ThreadTime> before, Map<Long, ThreadTime> after, Duration process) {
    if (after.isEmpty()) {
      return Map.of();
    }
    Map<ThreadRole, Duration> roles = new EnumMap<>(ThreadRole.class);
    for (ThreadRole role : ThreadRole.values()) {
      roles.put(role, Duration.ZERO);
    }
    long threads = 0;
    for (Map.Entry<Long, ThreadTime> thread : after.entrySet()) {
      ThreadTime start = before.get(thread.getKey());
      long spent = thread.getValue().nanos() - (start == null ? 0 : start.nanos());
      if (spent > 0) {
        threads += spent;
        roles.merge(
            ThreadRole.of(thread.getValue().name()), Duration.ofNanos(spent), Duration::plus);
      }
    }
    roles.put(ThreadRole.JVM, Duration.ofNanos(Math.max(0, process.toNanos() - threads)));
    return roles;
  }

  /**
   * Time this JVM's JIT compiler threads have spent compiling so far ({@code CompilationMXBean},
   * whole milliseconds of the compiler threads' elapsed time; on a busy machine more than their
   * CPU), or zero when the JVM does not report it. A measurement whose window still compiles much
   * is not at steady state: its CPU per submission includes the JVM warming up.
   */
  static Duration compilation() {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    return compiler != null && compiler.isCompilationTimeMonitoringSupported()
        ? Duration.ofMillis(compiler.getTotalCompilationTime())
        : Duration.ZERO;
  }

  /** Time this JVM's collectors have spent collecting so far (pauses and concurrent cycles). */
  static Duration collections() {
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, collector.getCollectionTime());
    }
    return Duration.ofMillis(millis);
  }

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
