package io.orchestrion.plugins.timewindow;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A weekly time window: from {@code from} (inclusive) to {@code to} (exclusive), local times, on
 * each of {@code days}. When {@code from} is after {@code to} the window wraps midnight and belongs
 * to the day it starts on: 22:00–06:00 on FRIDAY is open from Friday 22:00 to Saturday 06:00.
 *
 * <p>Daylight-saving transitions: a day's window is the span of instants from the first instant at
 * which that day's wall clock reads {@code from} or later, to the first instant at which the
 * closing day's wall clock reads {@code to} or later. So a boundary that falls in a gap (a time
 * that does not exist because clocks jump forward) moves to the end of the gap, and a boundary in
 * an overlap (a time that happens twice because clocks go back) is its first occurrence; a window
 * never reopens because the clock repeats an hour. A window lying wholly inside a gap is empty that
 * day.
 *
 * @param timeZone the zone of the local times; empty means the orchestration's zone
 */
record TimeWindow(LocalTime from, LocalTime to, Set<DayOfWeek> days, Optional<ZoneId> timeZone) {
  /**
   * How far ahead to look for the next opening. A listed day comes back every week, but its window
   * can vanish when it lies inside a daylight-saving gap, so look two weeks and a day ahead.
   */
  static final int DAYS_TO_SEARCH = 15;

  TimeWindow {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    if (from.equals(to)) {
      throw new IllegalArgumentException("from and to are both " + from);
    }
    if (days.isEmpty()) {
      throw new IllegalArgumentException("days is empty");
    }
    // EnumSet keeps the days in week order, which the explanations rely on.
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    requireNonNull(timeZone, "timeZone is null");
  }

  boolean wrapsMidnight() {
    return from.isAfter(to);
  }

  /** The zone to use when the orchestration's zone is {@code defaultZone}. */
  ZoneId zone(ZoneId defaultZone) {
    return timeZone.orElse(defaultZone);
  }

  /** The opening that contains {@code now}, if any. */
  Optional<Opening> openingAt(Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    // Only today's window or, when windows wrap midnight, yesterday's can contain now.
    for (LocalDate day : List.of(today.minusDays(1), today)) {
      Optional<Opening> opening = openingOn(day, zone);
      if (opening.isPresent() && opening.get().contains(now)) {
        return opening;
      }
    }
    return Optional.empty();
  }

  /**
   * The first opening that starts after {@code now}, looking {@link #DAYS_TO_SEARCH} days ahead;
   * empty only in a zone whose rules remove the window on every listed day of that span.
   */
  Optional<Opening> nextOpeningAfter(Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    for (int offset = 0; offset <= DAYS_TO_SEARCH; offset++) {
      Optional<Opening> opening = openingOn(today.plusDays(offset), zone);
      if (opening.isPresent() && opening.get().opens().isAfter(now)) {
        return opening;
      }
    }
    return Optional.empty();
  }

  /** The window that starts on {@code day}; empty when the day is not listed or the window is. */
  Optional<Opening> openingOn(LocalDate day, ZoneId zone) {
    if (!days.contains(day.getDayOfWeek())) {
      return Optional.empty();
    }
    Instant opens = firstInstantAtOrAfter(day, from, zone);
    Instant closes = firstInstantAtOrAfter(wrapsMidnight() ? day.plusDays(1) : day, to, zone);
    return opens.isBefore(closes) ? Optional.of(new Opening(opens, closes)) : Optional.empty();
  }

  /** "09:00-17:30 on MONDAY, FRIDAY" or "22:00-06:00 every day". */
  String describe() {
    String when =
        days.size() == DayOfWeek.values().length
            ? "every day"
            : "on " + days.stream().map(DayOfWeek::name).collect(Collectors.joining(", "));
    return from + "-" + to + " " + when;
  }

  /**
   * The first instant at which the wall clock of {@code date} reads {@code time} or later: the
   * earlier of two instants in an overlap, the end of the gap when {@code time} falls in one.
   */
  static Instant firstInstantAtOrAfter(LocalDate date, LocalTime time, ZoneId zone) {
    LocalDateTime local = date.atTime(time);
    ZoneRules rules = zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      ZoneOffsetTransition gap = rules.getTransition(local);
      return gap.getInstant();
    }
    return offsets.stream()
        .map(offset -> local.toInstant(offset))
        .min(Instant::compareTo)
        .orElseThrow();
  }

  /** One opening of the window: {@code [opens, closes)}. */
  record Opening(Instant opens, Instant closes) {
    Opening {
      requireNonNull(opens, "opens is null");
      requireNonNull(closes, "closes is null");
    }

    boolean contains(Instant instant) {
      return !instant.isBefore(opens) && instant.isBefore(closes);
    }
  }
}
