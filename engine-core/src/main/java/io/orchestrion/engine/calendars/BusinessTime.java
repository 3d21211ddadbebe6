package io.orchestrion.engine.calendars;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.calendar.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Business-time arithmetic on one calendar (docs/orchestrations.md, "Business calendars"). Pure: no
 * clock, no database; immutable and thread-safe.
 *
 * <p>A <em>working period</em> is {@code [workStart, workEnd)} local time on a working day that is
 * not a holiday, as instants in the calendar's zone (a local time in a daylight-saving gap is the
 * first instant after the gap; one in an overlap its earlier instant). {@link #plus} adds:
 *
 * <ol>
 *   <li>nothing for a zero duration: the start itself;
 *   <li>the days ({@code nD}): from the start, or the next period's start when the start is outside
 *       working time, the same working time into the day ({@code elapsed} since its period's start)
 *       on the n-th following working day, at most that day's end; a start exactly at a period's
 *       start gives the end of the (n-1)-th following working day (the same point of working time);
 *   <li>then the time ({@code TnHnMnS}): working time elapsed period after period; a result at a
 *       period's end stays there (it is not moved to the next period's start).
 * </ol>
 */
public final class BusinessTime {
  /** More days than this without a working period means the calendar has none (never: checked). */
  private static final int MAX_SEARCH_DAYS = 3700;

  private final ZoneId zone;
  private final Set<DayOfWeek> workingDays;
  private final LocalTime workStart;
  private final LocalTime workEnd;
  private final Set<LocalDate> holidays;

  private BusinessTime(
      ZoneId zone,
      Set<DayOfWeek> workingDays,
      LocalTime workStart,
      LocalTime workEnd,
      Set<LocalDate> holidays) {
    this.zone = zone;
    this.workingDays = workingDays;
    this.workStart = workStart;
    this.workEnd = workEnd;
    this.holidays = holidays;
  }

  /**
   * The arithmetic of a calendar that {@link CalendarChecks} accepted.
   *
   * @throws IllegalArgumentException when the calendar has no working day or its hours are empty
   */
  public static BusinessTime of(BusinessCalendar calendar) {
    requireNonNull(calendar, "calendar is null");
    if (calendar.workingDays().isEmpty()) {
      throw new IllegalArgumentException("calendar '" + calendar.name() + "' has no working day");
    }
    if (!calendar.workStart().isBefore(calendar.workEnd())) {
      throw new IllegalArgumentException(
          "calendar '" + calendar.name() + "': workStart must be before workEnd");
    }
    return new BusinessTime(
        ZoneId.of(calendar.timeZone()),
        EnumSet.copyOf(calendar.workingDays()),
        calendar.workStart(),
        calendar.workEnd(),
        new TreeSet<>(calendar.holidays()));
  }

  /** {@code start} plus {@code duration} in working time (see the class comment). */
  public Instant plus(Instant start, BusinessDuration duration) {
    requireNonNull(start, "start is null");
    requireNonNull(duration, "duration is null");
    Instant at = start;
    if (duration.days() > 0) {
      at = plusDays(at, duration.days());
    }
    if (!duration.time().isZero()) {
      at = plusTime(at, duration.time());
    }
    return at;
  }

  /** Whether {@code instant} is inside a working period. */
  public boolean isWorkingTime(Instant instant) {
    Period period = periodAtOrAfter(instant);
    return !instant.isBefore(period.start);
  }

  /** Whether {@code instant} is the end of a working period. */
  public boolean isPeriodEnd(Instant instant) {
    LocalDate date = instant.atZone(zone).toLocalDate();
    for (LocalDate day = date.minusDays(1); !day.isAfter(date.plusDays(1)); day = day.plusDays(1)) {
      Period period = periodOn(day);
      if (period != null && period.end.equals(instant)) {
        return true;
      }
    }
    return false;
  }

  private Instant plusDays(Instant start, long days) {
    Period period = periodAtOrAfter(start);
    Instant from = start.isBefore(period.start) ? period.start : start;
    Duration elapsed = Duration.between(period.start, from);
    if (elapsed.isZero()) {
      return nthWorkingDayAfter(period.day, days - 1).end;
    }
    Period target = nthWorkingDayAfter(period.day, days);
    Instant at = target.start.plus(elapsed);
    return at.isAfter(target.end) ? target.end : at;
  }

  private Instant plusTime(Instant start, Duration time) {
    Instant at = start;
    Duration remaining = time;
    for (int guard = 0; ; guard++) {
      Period period = periodAtOrAfter(at);
      if (at.isBefore(period.start)) {
        at = period.start;
      }
      Duration available = Duration.between(at, period.end);
      if (remaining.compareTo(available) <= 0) {
        return at.plus(remaining);
      }
      remaining = remaining.minus(available);
      at = period.end;
      if (guard > 1_000_000) {
        throw new IllegalStateException("business time did not converge");
      }
    }
  }

  /** The working period on the n-th working day after {@code day} (n = 0: {@code day} itself). */
  private Period nthWorkingDayAfter(LocalDate day, long n) {
    Period period = periodOn(day);
    LocalDate current = day;
    for (long i = 0; i < n; i++) {
      period = nextPeriodAfter(current);
      current = period.day;
    }
    return period;
  }

  private Period nextPeriodAfter(LocalDate day) {
    LocalDate current = day.plusDays(1);
    for (int i = 0; i < MAX_SEARCH_DAYS; i++, current = current.plusDays(1)) {
      Period period = periodOn(current);
      if (period != null) {
        return period;
      }
    }
    throw new IllegalStateException("no working day within " + MAX_SEARCH_DAYS + " days");
  }

  /** The period containing {@code instant}, or the next one after it. */
  private Period periodAtOrAfter(Instant instant) {
    LocalDate current = instant.atZone(zone).toLocalDate().minusDays(1);
    for (int i = 0; i < MAX_SEARCH_DAYS; i++, current = current.plusDays(1)) {
      Period period = periodOn(current);
      if (period != null && instant.isBefore(period.end)) {
        return period;
      }
    }
    throw new IllegalStateException("no working day within " + MAX_SEARCH_DAYS + " days");
  }

  /** The working period of {@code day}, or null on a non-working day or a holiday. */
  private Period periodOn(LocalDate day) {
    if (!workingDays.contains(day.getDayOfWeek()) || holidays.contains(day)) {
      return null;
    }
    Instant start = ZonedDateTime.of(day, workStart, zone).toInstant();
    Instant end = ZonedDateTime.of(day, workEnd, zone).toInstant();
    return start.isBefore(end) ? new Period(day, start, end) : null;
  }

  private record Period(LocalDate day, Instant start, Instant end) {}
}
