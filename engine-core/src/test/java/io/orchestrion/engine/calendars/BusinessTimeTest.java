package io.orchestrion.engine.calendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.calendar.BusinessCalendar;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Business-time arithmetic on examples whose answers were worked out by hand, in Berlin: 09:00 to
 * 17:00, Monday to Friday, Christmas Day and Boxing Day 2025 off (docs/orchestrations.md, "Business
 * calendars").
 */
class BusinessTimeTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final BusinessCalendar OFFICE =
      new BusinessCalendar(
          "Berlin-Office",
          "Europe/Berlin",
          null,
          LocalTime.of(9, 0),
          LocalTime.of(17, 0),
          List.of(LocalDate.parse("2025-12-25"), LocalDate.parse("2025-12-26")));
  private static final BusinessTime TIME = BusinessTime.of(OFFICE);

  /** Local time in Berlin. */
  private static Instant berlin(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
  }

  private static Instant plus(String start, String duration) {
    return TIME.plus(berlin(start), BusinessDuration.parse(duration));
  }

  @Test
  void hoursWithinOneDay() {
    // 2025-01-13 is a Monday.
    assertThat(plus("2025-01-13T10:00", "PT4H")).isEqualTo(berlin("2025-01-13T14:00"));
    assertThat(plus("2025-01-13T10:15", "PT30M")).isEqualTo(berlin("2025-01-13T10:45"));
  }

  @Test
  void hoursCarryOverTheWeekend() {
    // Friday 15:00 + 4 working hours: 2 on Friday, 2 on Monday.
    assertThat(plus("2025-01-17T15:00", "PT4H")).isEqualTo(berlin("2025-01-20T11:00"));
  }

  @Test
  void aStartOutsideWorkingHoursCountsFromTheNextPeriod() {
    assertThat(plus("2025-01-18T12:00", "PT1H")).isEqualTo(berlin("2025-01-20T10:00"));
    assertThat(plus("2025-01-13T06:00", "PT1H")).isEqualTo(berlin("2025-01-13T10:00"));
    assertThat(plus("2025-01-13T19:00", "PT1H")).isEqualTo(berlin("2025-01-14T10:00"));
  }

  @Test
  void aResultAtTheEndOfAPeriodStaysThere() {
    assertThat(plus("2025-01-13T09:00", "PT8H")).isEqualTo(berlin("2025-01-13T17:00"));
    assertThat(plus("2025-01-13T17:00", "PT1M")).isEqualTo(berlin("2025-01-14T09:01"));
  }

  @Test
  void daysKeepTheTimeOfDay() {
    assertThat(plus("2025-01-13T10:00", "P1D")).isEqualTo(berlin("2025-01-14T10:00"));
    // Friday + 1 working day = Monday.
    assertThat(plus("2025-01-17T10:00", "P1D")).isEqualTo(berlin("2025-01-20T10:00"));
    assertThat(plus("2025-01-13T10:00", "P5D")).isEqualTo(berlin("2025-01-20T10:00"));
  }

  @Test
  void daysFromAPeriodStartOrFromOutsideWorkingHoursEndAtADayEnd() {
    // Saturday: counts from Monday 09:00, and one working day later is Monday 17:00.
    assertThat(plus("2025-01-18T12:00", "P1D")).isEqualTo(berlin("2025-01-20T17:00"));
    assertThat(plus("2025-01-13T09:00", "P2D")).isEqualTo(berlin("2025-01-14T17:00"));
  }

  @Test
  void daysThenTime() {
    // Monday 16:00 + 1 day = Tuesday 16:00; + 2 hours = 1 on Tuesday, 1 on Wednesday.
    assertThat(plus("2025-01-13T16:00", "P1DT2H")).isEqualTo(berlin("2025-01-15T10:00"));
  }

  @Test
  void holidaysAreSkipped() {
    // Wednesday 24 December + 1 day: Thursday and Friday are holidays, then the weekend.
    assertThat(plus("2025-12-24T10:00", "P1D")).isEqualTo(berlin("2025-12-29T10:00"));
    assertThat(plus("2025-12-24T16:00", "PT2H")).isEqualTo(berlin("2025-12-29T10:00"));
  }

  @Test
  void theDaylightSavingChangeIsInTheCalendarsZone() {
    // Clocks go forward on Sunday 2025-03-30 in Berlin: Friday 10:00 CET (09:00Z) + 1 working
    // day is Monday 10:00 CEST (08:00Z) — 71 hours of wall-clock time, not 72.
    Instant friday = berlin("2025-03-28T10:00");
    Instant monday = plus("2025-03-28T10:00", "P1D");
    assertThat(friday).isEqualTo(Instant.parse("2025-03-28T09:00:00Z"));
    assertThat(monday).isEqualTo(Instant.parse("2025-03-31T08:00:00Z"));
    assertThat(Duration.between(friday, monday)).isEqualTo(Duration.ofHours(71));
    assertThat(plus("2025-03-28T16:00", "PT2H")).isEqualTo(Instant.parse("2025-03-31T08:00:00Z"));
  }

  @Test
  void aZeroDurationIsTheStartEvenOutsideWorkingHours() {
    assertThat(plus("2025-01-18T12:00", "PT0S")).isEqualTo(berlin("2025-01-18T12:00"));
  }

  @Test
  void otherWorkingDays() {
    BusinessTime weekend =
        BusinessTime.of(
            new BusinessCalendar(
                "Weekend",
                "UTC",
                List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                LocalTime.of(10, 0),
                LocalTime.of(12, 0),
                List.of()));
    // Monday 2025-01-13 11:00 UTC + 3 hours: Saturday 10-12, Sunday 10-11.
    assertThat(weekend.plus(Instant.parse("2025-01-13T11:00:00Z"), BusinessDuration.parse("PT3H")))
        .isEqualTo(Instant.parse("2025-01-19T11:00:00Z"));
  }

  @Test
  void durationsSplitIntoDaysAndTime() {
    assertThat(BusinessDuration.parse("P2D")).isEqualTo(new BusinessDuration(2, Duration.ZERO));
    assertThat(BusinessDuration.parse("PT48H"))
        .isEqualTo(new BusinessDuration(0, Duration.ofHours(48)));
    assertThat(BusinessDuration.parse("P1DT2H30M"))
        .isEqualTo(new BusinessDuration(1, Duration.ofMinutes(150)));
    assertThat(BusinessDuration.parse("P3D").wallClock()).isEqualTo(Duration.ofDays(3));
    for (String bad : List.of("-P1D", "P-1D", "PT-1H", "P1DT-1H", "P1W", "2 days", "")) {
      assertThatThrownBy(() -> BusinessDuration.parse(bad))
          .as(bad)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void aCalendarWithoutWorkingDaysOrHoursIsRefused() {
    assertThatThrownBy(
            () ->
                BusinessTime.of(
                    new BusinessCalendar(
                        "None", "UTC", List.of(), LocalTime.of(9, 0), LocalTime.of(17, 0), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no working day");
    assertThat(
            CalendarChecks.problems(
                new BusinessCalendar(
                    "bad name",
                    "Mars/Olympus",
                    List.of(DayOfWeek.MONDAY, DayOfWeek.MONDAY),
                    LocalTime.of(17, 0),
                    LocalTime.of(9, 0),
                    null)))
        .extracting(problem -> problem.path())
        .containsExactly("$.name", "$.timeZone", "$.workingDays[1]", "$.workEnd");
  }
}
