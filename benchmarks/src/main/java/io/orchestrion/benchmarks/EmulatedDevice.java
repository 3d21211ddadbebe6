package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An emulated storage device that serves one operation at a time and is busy for {@code hold} after
 * each (a disk that must finish every write before the next, with no grouping of its own): the
 * commit bound of issue 11, for the engine and the same-run baseline alike. Benchmark-only.
 */
final class EmulatedDevice {
  /** What runs on the device. */
  interface Operation<T, E extends Exception> {
    T run() throws E;
  }

  private final ReentrantLock device = new ReentrantLock();
  private final long holdNanos;

  EmulatedDevice(Duration hold) {
    requireNonNull(hold, "hold is null");
    if (hold.isNegative() || hold.isZero()) {
      throw new IllegalArgumentException(
          "the device's time per operation must be positive: " + hold);
    }
    this.holdNanos = hold.toNanos();
  }

  /** Runs {@code operation} once the device is free, and returns {@code hold} after it ended. */
  <T, E extends Exception> T use(Operation<T, E> operation) throws E {
    device.lock();
    try {
      T result = operation.run();
      long until = System.nanoTime() + holdNanos;
      for (long left = holdNanos; left > 0; left = until - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      return result;
    } finally {
      device.unlock();
    }
  }
}
