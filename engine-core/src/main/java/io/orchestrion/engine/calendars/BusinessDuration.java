package io.orchestrion.engine.calendars;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * An ISO-8601 duration split as business time reads it: whole working {@code days} (the {@code nD}
 * before {@code T}) and working {@code time} (the hours, minutes and seconds after it). {@code P1D}
 * and {@code PT24H} are the same {@link Duration} but not the same business duration.
 */
public record BusinessDuration(long days, Duration time) {
  public BusinessDuration {
    requireNonNull(time, "time is null");
    if (days < 0 || time.isNegative()) {
      throw new IllegalArgumentException("a business duration is not negative");
    }
  }

  /**
   * Reads {@code PnD}, {@code PTnHnMnS} or {@code PnDTnHnMnS} (what {@link Duration#parse} reads);
   * a negative duration or part is refused.
   *
   * @throws DateTimeParseException when {@code text} is not such a duration or is negative
   */
  public static BusinessDuration parse(String text) {
    Duration whole = Duration.parse(text); // the format check
    int t = text.toUpperCase(java.util.Locale.ROOT).indexOf('T');
    String dayPart = t < 0 ? text : text.substring(0, t);
    Duration days =
        dayPart.length() <= 1 || dayPart.endsWith("P") ? Duration.ZERO : Duration.parse(dayPart);
    Duration time = whole.minus(days);
    if (whole.isNegative() || days.isNegative() || time.isNegative()) {
      throw new DateTimeParseException("a negative duration", text, 0);
    }
    return new BusinessDuration(days.toDays(), time);
  }

  /** The same duration as wall-clock time (a day is 24 hours), for steps without a calendar. */
  public Duration wallClock() {
    return Duration.ofDays(days).plus(time);
  }

  public boolean isZero() {
    return days == 0 && time.isZero();
  }
}
