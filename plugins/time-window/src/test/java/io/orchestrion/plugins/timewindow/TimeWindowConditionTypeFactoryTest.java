package io.orchestrion.plugins.timewindow;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.testing.TestingConditionSetup;
import io.orchestrion.spi.testing.TestingConditionSetup.ReportedProblem;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeWindowConditionTypeFactoryTest {
  private final TimeWindowConditionTypeFactory factory = new TimeWindowConditionTypeFactory();

  @Test
  void hasTheConditionTypeId() {
    assertThat(factory.id()).isEqualTo("TIME_WINDOW");
  }

  @Test
  void parsesACompleteConfiguration() {
    TestingConditionSetup setup =
        TestingConditionSetup.withConfig(
            Map.of(
                "from", "09:00",
                "to", "17:30:15",
                "days", List.of("FRIDAY", "MONDAY"),
                "timeZone", "Europe/Paris"));

    ConditionType condition = factory.create(setup);

    setup.assertNoProblems();
    assertThat(condition)
        .isEqualTo(
            new TimeWindowCondition(
                new TimeWindow(
                    LocalTime.of(9, 0),
                    LocalTime.of(17, 30, 15),
                    EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                    Optional.of(ZoneId.of("Europe/Paris")))));
  }

  @Test
  void defaultsToEveryDayAndTheOrchestrationsZone() {
    TestingConditionSetup setup =
        TestingConditionSetup.withConfig(Map.of("from", "22:00", "to", "06:00"));

    ConditionType condition = factory.create(setup);

    setup.assertNoProblems();
    TimeWindow window = ((TimeWindowCondition) condition).window();
    assertThat(window.days()).containsExactly(DayOfWeek.values());
    assertThat(window.timeZone()).isEmpty();
    assertThat(window.wrapsMidnight()).isTrue();
  }

  @Test
  void treatsJsonNullOptionalPropertiesAsAbsent() {
    Map<String, Object> config = new HashMap<>(Map.of("from", "09:00", "to", "10:00"));
    config.put("days", null);
    config.put("timeZone", null);
    TestingConditionSetup setup = TestingConditionSetup.withConfig(config);

    factory.create(setup);

    setup.assertNoProblems();
  }

  @Test
  void reportsMissingTimes() {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(Map.of());

    factory.create(setup);

    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem("from", "is required: a local time such as \"09:00\""),
            new ReportedProblem("to", "is required: a local time such as \"09:00\""));
  }

  @Test
  void reportsUnparseableTimes() {
    TestingConditionSetup setup = TestingConditionSetup.withConfig(Map.of("from", "9am", "to", 17));

    factory.create(setup);

    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem(
                "from",
                "\"9am\" is not a local time; use HH:mm or HH:mm:ss, such as \"09:00\" or"
                    + " \"17:30\""),
            new ReportedProblem(
                "to",
                "17 is not a local time; use HH:mm or HH:mm:ss, such as \"09:00\" or \"17:30\""));
  }

  @Test
  void reportsAnEmptyWindow() {
    TestingConditionSetup setup =
        TestingConditionSetup.withConfig(Map.of("from", "09:00", "to", "09:00:00"));

    factory.create(setup);

    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem(
                "to",
                "must differ from \"from\" (both are 09:00); a window cannot be empty, and a whole"
                    + " day needs no condition"));
  }

  @Test
  void reportsEveryBadDayWithItsIndex() {
    TestingConditionSetup setup =
        TestingConditionSetup.withConfig(
            Map.of(
                "from",
                "09:00",
                "to",
                "17:00",
                "days",
                List.of("MONDAY", "FUNDAY", "monday", "MONDAY", 3)));

    factory.create(setup);

    String dayNames = "[MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]";
    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem(
                "days[1]", "\"FUNDAY\" is not a day of the week; use one of " + dayNames),
            new ReportedProblem(
                "days[2]", "\"monday\" is not a day of the week; use one of " + dayNames),
            new ReportedProblem("days[3]", "\"MONDAY\" is listed more than once"),
            new ReportedProblem("days[4]", "3 is not a day of the week; use one of " + dayNames));
  }

  @Test
  void reportsDaysThatAreNotAListOrEmpty() {
    TestingConditionSetup notAList =
        TestingConditionSetup.withConfig(Map.of("from", "09:00", "to", "17:00", "days", "MONDAY"));
    TestingConditionSetup empty =
        TestingConditionSetup.withConfig(Map.of("from", "09:00", "to", "17:00", "days", List.of()));

    factory.create(notAList);
    factory.create(empty);

    assertThat(notAList.problems())
        .containsExactly(
            new ReportedProblem(
                "days", "must be a list of day names such as [\"MONDAY\"], not \"MONDAY\""));
    assertThat(empty.problems())
        .containsExactly(
            new ReportedProblem(
                "days", "must not be empty; leave \"days\" out for every day of the week"));
  }

  @Test
  void reportsABadTimeZone() {
    TestingConditionSetup setup =
        TestingConditionSetup.withConfig(
            Map.of("from", "09:00", "to", "17:00", "timeZone", "Mars/Olympus_Mons"));

    factory.create(setup);

    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem(
                "timeZone",
                "\"Mars/Olympus_Mons\" is not a time zone id; use a region such as"
                    + " \"Europe/Paris\" or \"UTC\""));
  }

  @Test
  void reportsUnknownProperties() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("from", "09:00");
    config.put("to", "17:00");
    config.put("zone", "Europe/Paris");
    TestingConditionSetup setup = TestingConditionSetup.withConfig(config);

    factory.create(setup);

    assertThat(setup.problems())
        .containsExactly(
            new ReportedProblem(
                "zone",
                "unknown property \"zone\"; known properties are [from, to, days, timeZone]"));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("color", "blue");
    config.put("from", "25:00");
    config.put("days", List.of("MONDAY", "MONDAY"));
    config.put("timeZone", "Nowhere");
    TestingConditionSetup setup = TestingConditionSetup.withConfig(config);

    factory.create(setup);

    assertThat(setup.problemProperties())
        .containsExactly("color", "from", "to", "days[1]", "timeZone");
  }
}
