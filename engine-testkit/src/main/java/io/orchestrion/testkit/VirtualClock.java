package io.orchestrion.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The engine's clock in a test: it stands still until the test moves it, and only forward. Move it
 * with {@link TestEngine#advance(Duration)}, which also runs what became due; moving this clock
 * alone runs nothing. Thread-safe.
 */
public final class VirtualClock extends Clock {
  /** Where a {@link TestEngine} starts unless told otherwise: a Wednesday morning, UTC. */
  public static final Instant DEFAULT_START = Instant.parse("2025-01-15T09:30:00Z");

  private volatile Instant now;

  public VirtualClock(Instant start) {
    this.now = requireNonNull(start, "start is null");
  }

  /** Moves the clock forward by {@code duration} (zero or positive); returns the new time. */
  public synchronized Instant advance(Duration duration) {
    requireNonNull(duration, "duration is null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a virtual clock only moves forward, not by " + duration);
    }
    now = now.plus(duration);
    return now;
  }

  /** Moves the clock forward to {@code instant}, which must not be before the current time. */
  public synchronized void advanceTo(Instant instant) {
    requireNonNull(instant, "instant is null");
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException(
          "a virtual clock only moves forward: it is " + now + ", not " + instant);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** A fixed clock at this clock's current time in {@code zone} (it does not follow advances). */
  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(now, zone);
  }

  @Override
  public String toString() {
    return "VirtualClock[" + now + "]";
  }
}
