package io.orchestrion.plugins.timewindow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.plugins.timewindow.TimeWindow.Opening;
import io.orchestrion.spi.ConditionContext;
import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A deployed {@code TIME_WINDOW} condition. Stateless: every answer is computed from the context's
 * clock, so evaluating it again (after a restart, on a timer) gives the same answer for the same
 * instant.
 */
record TimeWindowCondition(TimeWindow window) implements ConditionType {
  TimeWindowCondition {
    requireNonNull(window, "window is null");
  }

  @Override
  public ConditionResult evaluate(ConditionContext context) {
    ZoneId zone = window.zone(context.timeZone());
    Instant now = context.now();
    String described = window.describe() + " in " + zone.getId();
    Optional<Opening> current = window.openingAt(now, zone);
    if (current.isPresent()) {
      return ConditionResult.met(
          "inside the time window "
              + described
              + " until "
              + current.get().closes().atZone(zone).toOffsetDateTime());
    }
    Optional<Opening> next = window.nextOpeningAfter(now, zone);
    if (next.isPresent()) {
      // The engine keeps a durable timer for this instant and evaluates the run again then.
      return ConditionResult.notMetUntil(
          next.get().opens(),
          "outside the time window "
              + described
              + "; it opens at "
              + next.get().opens().atZone(zone).toOffsetDateTime());
    }
    Instant searchedUntil = now.plus(Duration.ofDays(TimeWindow.DAYS_TO_SEARCH));
    return ConditionResult.notMetUntil(
        searchedUntil,
        "outside the time window "
            + described
            + "; it does not open within "
            + TimeWindow.DAYS_TO_SEARCH
            + " days, looking again at "
            + searchedUntil.atZone(zone).toOffsetDateTime());
  }
}
