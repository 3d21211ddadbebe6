package io.orchestrion.plugins.timewindow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.testing.TestingConditionContext;
import io.orchestrion.spi.testing.TestingConditionSetup;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Evaluates deployed {@code TIME_WINDOW} conditions at fixed instants. Dates are in 2025: March 3
 * is a Monday; Europe/Paris springs forward on March 30 (02:00 CET becomes 03:00 CEST, at 01:00Z)
 * and falls back on October 26 (03:00 CEST becomes 02:00 CET, at 01:00Z).
 */
class TimeWindowConditionTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final List<String> WEEKDAYS =
      List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY");

  private static ConditionType deploy(Map<String, Object> config) {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(config);
    ConditionType condition = new TimeWindowConditionTypeFactory().create(setup);
    setup.assertNoProblems();
    return condition;
  }

  /** A window in Europe/Paris, evaluated by an orchestration whose own zone is UTC. */
  private static ConditionType parisWindow(String from, String to, List<String> days) {
    return deploy(Map.of("from", from, "to", to, "days", days, "timeZone", "Europe/Paris"));
  }

  private static ConditionType parisWindow(String from, String to) {
    return deploy(Map.of("from", from, "to", to, "timeZone", "Europe/Paris"));
  }

  /** The instant at which Paris wall clocks show {@code localDateTime} (earlier one if twice). */
  private static Instant paris(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(PARIS).toInstant();
  }

  private static ConditionResult evaluate(ConditionType condition, Instant now) {
    return condition.evaluate(TestingConditionContext.at(now));
  }

  @Nested
  class OfficeHours {
    private final ConditionType officeHours = parisWindow("09:00", "17:30", WEEKDAYS);

    @Test
    void isMetInsideTheWindowOnAListedDay() {
      ConditionResult result = evaluate(officeHours, paris("2025-03-03T10:00"));

      assertThat(result.met()).isTrue();
      assertThat(result.recheckAt()).isEmpty();
      assertThat(result.explanation())
          .isEqualTo(
              "inside the time window 09:00-17:30 on MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY"
                  + " in Europe/Paris until 2025-03-03T17:30+01:00");
    }

    @Test
    void opensAtFromInclusive() {
      assertThat(evaluate(officeHours, paris("2025-03-03T09:00")).met()).isTrue();

      ConditionResult justBefore = evaluate(officeHours, paris("2025-03-03T08:59:59.999"));
      assertThat(justBefore.met()).isFalse();
      assertThat(justBefore.recheckAt()).contains(paris("2025-03-03T09:00"));
      assertThat(justBefore.explanation())
          .isEqualTo(
              "outside the time window 09:00-17:30 on MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY"
                  + " in Europe/Paris; it opens at 2025-03-03T09:00+01:00");
    }

    @Test
    void closesAtToExclusiveAndWaitsForTheNextDay() {
      assertThat(evaluate(officeHours, paris("2025-03-03T17:29:59.999")).met()).isTrue();

      ConditionResult atClosing = evaluate(officeHours, paris("2025-03-03T17:30"));
      assertThat(atClosing.met()).isFalse();
      assertThat(atClosing.recheckAt()).contains(paris("2025-03-04T09:00"));
    }

    @Test
    void skipsTheWeekend() {
      Instant mondayOpening = paris("2025-03-10T09:00");

      assertThat(evaluate(officeHours, paris("2025-03-07T17:30")).recheckAt())
          .contains(mondayOpening);
      assertThat(evaluate(officeHours, paris("2025-03-08T12:00")).recheckAt())
          .contains(mondayOpening);
      assertThat(evaluate(officeHours, paris("2025-03-09T23:59")).recheckAt())
          .contains(mondayOpening);
    }

    @Test
    void usesTheConfiguredZoneRatherThanTheOrchestrations() {
      // 10:00 in Paris is 18:00 in Tokyo, outside the window there.
      ConditionResult result =
          officeHours.evaluate(
              TestingConditionContext.at(paris("2025-03-03T10:00"))
                  .withTimeZone(ZoneId.of("Asia/Tokyo")));

      assertThat(result.met()).isTrue();
    }
  }

  @Test
  void waitsAWholeWeekForASingleDay() {
    ConditionType wednesdayMorning = parisWindow("09:00", "09:30", List.of("WEDNESDAY"));

    ConditionResult result = evaluate(wednesdayMorning, paris("2025-03-05T09:30"));

    assertThat(result.met()).isFalse();
    assertThat(result.recheckAt()).contains(paris("2025-03-12T09:00"));
  }

  @Test
  void usesTheOrchestrationsZoneWhenNoneIsConfigured() {
    ConditionType condition = deploy(Map.of("from", "09:00", "to", "17:00"));
    ZoneId newYork = ZoneId.of("America/New_York");
    TestingConditionContext context =
        TestingConditionContext.at(Instant.parse("2025-03-03T14:00:00Z")).withTimeZone(newYork);

    ConditionResult atNine = condition.evaluate(context);
    ConditionResult justBefore =
        condition.evaluate(context.withNow(Instant.parse("2025-03-03T13:59:00Z")));

    assertThat(atNine.met()).isTrue();
    assertThat(atNine.explanation()).contains("every day in America/New_York");
    assertThat(justBefore.met()).isFalse();
    assertThat(justBefore.recheckAt()).contains(Instant.parse("2025-03-03T14:00:00Z"));
  }

  @Nested
  class WrappingMidnight {
    private final ConditionType fridayNight = parisWindow("22:00", "06:00", List.of("FRIDAY"));

    @Test
    void belongsToTheDayItStartsOn() {
      assertThat(evaluate(fridayNight, paris("2025-03-07T22:00")).met()).isTrue();
      ConditionResult saturdayMorning = evaluate(fridayNight, paris("2025-03-08T03:00"));
      assertThat(saturdayMorning.met()).isTrue();
      assertThat(saturdayMorning.explanation()).endsWith("until 2025-03-08T06:00+01:00");
    }

    @Test
    void earlyMorningOfAListedDayBelongsToThePreviousDay() {
      // Friday 05:00 is in Thursday's window, and Thursday is not listed.
      ConditionResult result = evaluate(fridayNight, paris("2025-03-07T05:00"));

      assertThat(result.met()).isFalse();
      assertThat(result.recheckAt()).contains(paris("2025-03-07T22:00"));
    }

    @Test
    void closesOnTheNextDayAndWaitsAWeek() {
      Instant nextFriday = paris("2025-03-14T22:00");

      assertThat(evaluate(fridayNight, paris("2025-03-08T06:00")).recheckAt()).contains(nextFriday);
      assertThat(evaluate(fridayNight, paris("2025-03-08T23:00")).recheckAt()).contains(nextFriday);
    }

    @Test
    void toMidnightMeansUntilTheEndOfTheDay() {
      ConditionType mondayEvening = parisWindow("18:00", "00:00", List.of("MONDAY"));

      assertThat(evaluate(mondayEvening, paris("2025-03-03T23:59:59")).met()).isTrue();
      ConditionResult midnight = evaluate(mondayEvening, paris("2025-03-04T00:00"));
      assertThat(midnight.met()).isFalse();
      assertThat(midnight.recheckAt()).contains(paris("2025-03-10T18:00"));
    }
  }

  @Nested
  class SpringForward {
    @Test
    void nextOpeningAcrossTheTransitionIsAnHourEarlierInUtc() {
      ConditionType officeHours = parisWindow("09:00", "17:00");

      ConditionResult saturdayEvening =
          evaluate(officeHours, Instant.parse("2025-03-29T17:00:00Z"));

      // Sunday 09:00 is 08:00Z in winter time but 07:00Z once summer time has begun.
      assertThat(saturdayEvening.recheckAt()).contains(Instant.parse("2025-03-30T07:00:00Z"));
    }

    @Test
    void aBoundaryInTheGapMovesToTheEndOfTheGap() {
      ConditionType night = parisWindow("02:30", "04:00");

      ConditionResult lastWinterSecond = evaluate(night, Instant.parse("2025-03-30T00:59:59Z"));
      ConditionResult firstSummerSecond = evaluate(night, Instant.parse("2025-03-30T01:00:00Z"));

      assertThat(lastWinterSecond.met()).isFalse();
      assertThat(lastWinterSecond.recheckAt()).contains(Instant.parse("2025-03-30T01:00:00Z"));
      assertThat(firstSummerSecond.met()).isTrue();
      assertThat(firstSummerSecond.explanation()).endsWith("until 2025-03-30T04:00+02:00");
    }

    @Test
    void aWindowInsideTheGapDoesNotOpenThatDay() {
      ConditionType lostHalfHour = parisWindow("02:15", "02:45");

      ConditionResult result = evaluate(lostHalfHour, Instant.parse("2025-03-29T23:00:00Z"));

      assertThat(evaluate(lostHalfHour, Instant.parse("2025-03-30T01:00:00Z")).met()).isFalse();
      assertThat(result.met()).isFalse();
      assertThat(result.recheckAt()).contains(paris("2025-03-31T02:15"));
    }
  }

  @Nested
  class FallBack {
    @Test
    void staysOpenWhenTheClockRepeatsAnHour() {
      ConditionType night = parisWindow("02:30", "05:00");

      ConditionResult firstPass = evaluate(night, Instant.parse("2025-10-26T00:30:00Z"));
      // 02:15 CET, the second time the clock reads 02:15: the window opened at the first 02:30.
      ConditionResult repeatedHour = evaluate(night, Instant.parse("2025-10-26T01:15:00Z"));

      assertThat(firstPass.met()).isTrue();
      assertThat(repeatedHour.met()).isTrue();
      assertThat(repeatedHour.explanation()).endsWith("until 2025-10-26T05:00+01:00");
    }

    @Test
    void doesNotReopenWhenTheClockRepeatsAnHour() {
      ConditionType night = parisWindow("01:00", "02:30");

      assertThat(evaluate(night, Instant.parse("2025-10-26T00:29:59Z")).met()).isTrue();
      ConditionResult repeatedHour = evaluate(night, Instant.parse("2025-10-26T01:15:00Z"));
      assertThat(repeatedHour.met()).isFalse();
      assertThat(repeatedHour.recheckAt()).contains(Instant.parse("2025-10-27T00:00:00Z"));
    }

    @Test
    void nextOpeningAcrossTheTransitionIsAnHourLaterInUtc() {
      ConditionType officeHours = parisWindow("09:00", "17:00");

      ConditionResult saturdayEvening =
          evaluate(officeHours, Instant.parse("2025-10-25T16:00:00Z"));

      assertThat(saturdayEvening.recheckAt()).contains(Instant.parse("2025-10-26T08:00:00Z"));
    }
  }

  /**
   * For many instants around both transitions: when the condition is not met, it stays unmet until
   * the instant it asks to be rechecked at, and is met then, so the engine's timer never fires
   * early or late.
   */
  @Test
  void recheckInstantIsExactlyTheNextOpening() {
    Map<String, Object> config = new HashMap<>();
    config.put("from", "02:30");
    config.put("to", "01:45");
    config.put("days", List.of("SATURDAY", "SUNDAY", "TUESDAY"));
    ConditionType condition = deploy(config);
    for (Instant start : List.of(paris("2025-03-20T00:00"), paris("2025-10-16T00:00"))) {
      for (Instant now = start;
          now.isBefore(start.plus(Duration.ofDays(21)));
          now = now.plus(Duration.ofMinutes(13))) {
        ConditionResult result =
            condition.evaluate(TestingConditionContext.at(now).withTimeZone(PARIS));
        if (result.met()) {
          continue;
        }
        Instant recheckAt = result.recheckAt().orElseThrow();
        ConditionResult atRecheck =
            condition.evaluate(TestingConditionContext.at(recheckAt).withTimeZone(PARIS));
        ConditionResult justBefore =
            condition.evaluate(
                TestingConditionContext.at(recheckAt.minusMillis(1)).withTimeZone(PARIS));
        assertThat(recheckAt).as("recheck after %s", now).isAfter(now);
        assertThat(atRecheck.met()).as("met at %s (from %s)", recheckAt, now).isTrue();
        assertThat(justBefore.met()).as("unmet before %s (from %s)", recheckAt, now).isFalse();
      }
    }
  }
}
