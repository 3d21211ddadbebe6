package io.orchestrion.engine.calendars;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.calendar.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of business-time arithmetic over random calendars (zones with and without daylight
 * saving, any non-empty set of working days, hours between 05:00 and 22:00, holidays), random
 * starts in 2025–2026 and random durations.
 */
class BusinessTimePropertiesTest {
  private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
  private static final long MINUTES = Duration.ofDays(2 * 365).toMinutes();

  @Provide
  Arbitrary<BusinessCalendar> calendars() {
    Arbitrary<String> zones =
        Arbitraries.of(
            "UTC",
            "Europe/Berlin",
            "America/New_York",
            "Australia/Sydney",
            "Asia/Kolkata",
            "Pacific/Chatham");
    Arbitrary<List<DayOfWeek>> days =
        Arbitraries.of(DayOfWeek.values()).set().ofMinSize(1).map(set -> List.copyOf(set));
    Arbitrary<Integer> startMinute = Arbitraries.integers().between(5 * 60, 20 * 60);
    Arbitrary<Integer> length = Arbitraries.integers().between(30, 8 * 60);
    Arbitrary<List<LocalDate>> holidays =
        Arbitraries.integers()
            .between(0, 2 * 365)
            .map(day -> LocalDate.of(2025, 1, 1).plusDays(day))
            .list()
            .ofMaxSize(30);
    return Combinators.combine(zones, days, startMinute, length, holidays)
        .as(
            (zone, working, start, minutes, off) -> {
              LocalTime workStart = LocalTime.of(start / 60, start % 60);
              int end = Math.min(start + minutes, 22 * 60);
              return new BusinessCalendar(
                  "Random", zone, working, workStart, LocalTime.of(end / 60, end % 60), off);
            });
  }

  @Provide
  Arbitrary<Instant> starts() {
    return Arbitraries.longs().between(0, MINUTES).map(minute -> FROM.plusSeconds(minute * 60));
  }

  @Provide
  Arbitrary<BusinessDuration> durations() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 40), Arbitraries.longs().between(0, 20_000))
        .as((days, minutes) -> new BusinessDuration(days, Duration.ofMinutes(minutes)));
  }

  @Property(tries = 300)
  void neverBeforeTheStart(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant start,
      @ForAll("durations") BusinessDuration duration) {
    assertThat(BusinessTime.of(calendar).plus(start, duration)).isAfterOrEqualTo(start);
  }

  @Property(tries = 300)
  void landsInWorkingTimeOrAtAPeriodsEnd(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant start,
      @ForAll("durations") BusinessDuration duration) {
    if (duration.isZero()) {
      return;
    }
    BusinessTime time = BusinessTime.of(calendar);
    Instant result = time.plus(start, duration);
    assertThat(isWorking(calendar, result) || time.isPeriodEnd(result))
        .as("%s in %s", result, calendar)
        .isTrue();
  }

  @Property(tries = 300)
  void monotonicInTheStart(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant first,
      @ForAll @LongRange(min = 0, max = 20_000) long laterByMinutes,
      @ForAll("durations") BusinessDuration duration) {
    BusinessTime time = BusinessTime.of(calendar);
    Instant second = first.plus(laterByMinutes, ChronoUnit.MINUTES);
    assertThat(time.plus(second, duration)).isAfterOrEqualTo(time.plus(first, duration));
  }

  @Property(tries = 300)
  void monotonicInTheDuration(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant start,
      @ForAll("durations") BusinessDuration duration,
      @ForAll @IntRange(min = 0, max = 5) int moreDays,
      @ForAll @IntRange(min = 0, max = 5_000) int moreMinutes) {
    BusinessTime time = BusinessTime.of(calendar);
    Instant base = time.plus(start, duration);
    assertThat(
            time.plus(
                start,
                new BusinessDuration(
                    duration.days() + moreDays, duration.time().plusMinutes(moreMinutes))))
        .isAfterOrEqualTo(base);
  }

  @Property(tries = 300)
  void workingTimeIsAdditive(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant start,
      @ForAll @LongRange(min = 0, max = 10_000) long a,
      @ForAll @LongRange(min = 0, max = 10_000) long b) {
    BusinessTime time = BusinessTime.of(calendar);
    Instant stepwise = time.plus(time.plus(start, minutes(a)), minutes(b));
    assertThat(stepwise).isEqualTo(time.plus(start, minutes(a + b)));
  }

  @Property(tries = 300)
  void workingDaysAreAdditive(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant start,
      @ForAll @IntRange(min = 0, max = 20) int a,
      @ForAll @IntRange(min = 0, max = 20) int b) {
    BusinessTime time = BusinessTime.of(calendar);
    Instant stepwise = time.plus(time.plus(start, days(a)), days(b));
    // A start outside working time moves to the next period's start on the first non-zero step;
    // from there on, days add up.
    if (a == 0 && b == 0) {
      assertThat(stepwise).isEqualTo(start);
    } else {
      assertThat(stepwise).isEqualTo(time.plus(start, days(a + b)));
    }
  }

  /** The working minutes between start and result, counted one by one, are the duration. */
  @Property(tries = 60)
  void theWorkingTimeBetweenStartAndResultIsTheDuration(
      @ForAll("calendars") BusinessCalendar calendar,
      @ForAll("starts") Instant start,
      @ForAll @LongRange(min = 1, max = 3_000) long minutes) {
    Instant minuteStart = start.truncatedTo(ChronoUnit.MINUTES);
    Instant result = BusinessTime.of(calendar).plus(minuteStart, minutes(minutes));
    long counted = 0;
    for (Instant at = minuteStart; at.isBefore(result); at = at.plusSeconds(60)) {
      if (isWorking(calendar, at)) {
        counted++;
      }
    }
    assertThat(counted).isEqualTo(minutes);
    // And the result is where the last counted minute ends: the minute before it is working time.
    assertThat(isWorking(calendar, result.minusSeconds(60))).isTrue();
  }

  private static BusinessDuration minutes(long minutes) {
    return new BusinessDuration(0, Duration.ofMinutes(minutes));
  }

  private static BusinessDuration days(long days) {
    return new BusinessDuration(days, Duration.ZERO);
  }

  /** An oracle independent of BusinessTime: the local time's day and time of day. */
  private static boolean isWorking(BusinessCalendar calendar, Instant instant) {
    ZonedDateTime local = instant.atZone(ZoneId.of(calendar.timeZone()));
    Set<DayOfWeek> working = EnumSet.copyOf(calendar.workingDays());
    List<LocalDate> holidays = new ArrayList<>(calendar.holidays());
    LocalTime time = local.toLocalTime();
    return working.contains(local.getDayOfWeek())
        && !holidays.contains(local.toLocalDate())
        && !time.isBefore(calendar.workStart())
        && time.isBefore(calendar.workEnd());
  }
}
