package io.orchestrion.engine.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it. UTC. Thread-safe. */
public final class TestingClock extends Clock {
  public static final Instant DEFAULT_START = Instant.parse("2025-01-15T09:30:00Z");

  private volatile Instant now;

  public TestingClock() {
    this(DEFAULT_START);
  }

  public TestingClock(Instant start) {
    this.now = requireNonNull(start, "start is null");
  }

  public void advance(Duration duration) {
    requireNonNull(duration, "duration is null");
    synchronized (this) {
      now = now.plus(duration);
    }
  }

  public void set(Instant instant) {
    now = requireNonNull(instant, "instant is null");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(now, zone);
  }
}
