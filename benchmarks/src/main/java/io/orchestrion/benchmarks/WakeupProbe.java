package io.orchestrion.benchmarks;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The same-run floor of any hand-off between threads on this machine: every {@link #PERIOD} a
 * producer thread puts the time into a queue that a waiting consumer takes, once for a platform
 * consumer and once for a virtual one, and the delay from put to take is recorded. It runs beside
 * the measured submissions, so it sees the same load: on a machine whose cores are shared by many
 * processes, a woken thread waits for a core however the engine hands work over, and the engine's
 * hand-off cannot be faster than this. Costs about 2 x 100 wake-ups a second.
 */
final class WakeupProbe implements AutoCloseable {
  static final long PERIOD_MICROS = 10_000;

  private final Lane platform = new Lane(Thread.ofPlatform().name("bench-probe-platform"));
  private final Lane virtual = new Lane(Thread.ofVirtual().name("bench-probe-virtual"));
  private final Thread producer;
  private volatile boolean stopping;

  WakeupProbe() {
    producer =
        Thread.ofPlatform()
            .name("bench-probe-producer")
            .daemon()
            .unstarted(
                () -> {
                  while (!stopping) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(PERIOD_MICROS));
                    long now = System.nanoTime();
                    platform.queue.add(now);
                    virtual.queue.add(now);
                  }
                });
  }

  WakeupProbe start() {
    platform.thread.start();
    virtual.thread.start();
    producer.start();
    return this;
  }

  /** Both lanes' delays so far. */
  Floor snapshot() {
    return new Floor(platform(), virtual());
  }

  /** Put -> take delays in microseconds, on a platform and on a virtual consumer thread. */
  record Floor(HandoffTimes.Part platform, HandoffTimes.Part virtual) {}

  /** Put -> take on a platform consumer thread, in microseconds. */
  HandoffTimes.Part platform() {
    return platform.snapshot();
  }

  /** Put -> take on a virtual consumer thread, in microseconds. */
  HandoffTimes.Part virtual() {
    return virtual.snapshot();
  }

  @Override
  public void close() {
    stopping = true;
    platform.thread.interrupt();
    virtual.thread.interrupt();
  }

  /** One consumer and its histogram. */
  private static final class Lane {
    final BlockingQueue<Long> queue = new LinkedBlockingQueue<>();
    final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    final Thread thread;

    Lane(Thread.Builder builder) {
      thread = builder.unstarted(this::consume);
    }

    private void consume() {
      try {
        while (true) {
          long put = queue.take();
          long delay = Math.max(0, (System.nanoTime() - put) / 1000);
          synchronized (micros) {
            micros.recordValue(Math.min(delay, micros.getHighestTrackableValue()));
          }
        }
      } catch (InterruptedException e) {
        // stopped
      }
    }

    HandoffTimes.Part snapshot() {
      synchronized (micros) {
        return HandoffTimes.Part.of(micros);
      }
    }
  }
}
