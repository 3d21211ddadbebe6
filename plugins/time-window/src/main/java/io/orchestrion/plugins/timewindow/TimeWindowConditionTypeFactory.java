package io.orchestrion.plugins.timewindow;

import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code TIME_WINDOW} condition type: true when the local time is within {@code [from, to)} on
 * one of {@code days}.
 *
 * <pre>{@code
 * { "type": "TIME_WINDOW", "from": "09:00", "to": "17:30",
 *   "days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
 *   "timeZone": "Europe/Paris" }
 * }</pre>
 *
 * <ul>
 *   <li>{@code from}, {@code to}: required local times, {@code HH:mm} or {@code HH:mm:ss}; they
 *       must differ. When {@code from} is after {@code to} the window wraps midnight and belongs to
 *       the day it starts on ({@code "to": "00:00"} means until midnight).
 *   <li>{@code days}: optional, day names in upper case, each at most once; every day when absent.
 *   <li>{@code timeZone}: optional zone id; the orchestration's zone when absent.
 * </ul>
 *
 * <p>Every problem of the configuration is reported at once, each against its property.
 */
public final class TimeWindowConditionTypeFactory implements ConditionTypeFactory {
  public static final String ID = "TIME_WINDOW";

  static final String FROM = "from";
  static final String TO = "to";
  static final String DAYS = "days";
  static final String TIME_ZONE = "timeZone";
  private static final List<String> PROPERTIES = List.of(FROM, TO, DAYS, TIME_ZONE);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ConditionType create(ConditionSetup setup) {
    ProblemReporter problems = new ProblemReporter(setup);
    Map<String, Object> config = setup.config();
    rejectUnknownProperties(problems, config);
    Optional<LocalTime> from = localTime(problems, FROM, config.get(FROM));
    Optional<LocalTime> to = localTime(problems, TO, config.get(TO));
    Set<DayOfWeek> days = days(problems, config.get(DAYS));
    Optional<ZoneId> timeZone = timeZone(problems, config.get(TIME_ZONE));
    if (from.isPresent() && from.equals(to)) {
      problems.report(
          TO,
          "must differ from \"from\" (both are "
              + from.get()
              + "); a window cannot be empty, and a whole day needs no condition");
    }
    if (problems.any()) {
      // Discarded by the engine because a problem was reported.
      return context -> ConditionResult.notMet("invalid TIME_WINDOW configuration");
    }
    return new TimeWindowCondition(
        new TimeWindow(from.orElseThrow(), to.orElseThrow(), days, timeZone));
  }

  private static void rejectUnknownProperties(
      ProblemReporter problems, Map<String, Object> config) {
    for (String property : config.keySet()) {
      if (!PROPERTIES.contains(property)) {
        problems.report(
            property, "unknown property \"" + property + "\"; known properties are " + PROPERTIES);
      }
    }
  }

  /** The time; empty after reporting a problem. */
  private static Optional<LocalTime> localTime(
      ProblemReporter problems, String property, Object value) {
    if (value == null) {
      problems.report(property, "is required: a local time such as \"09:00\"");
      return Optional.empty();
    }
    if (value instanceof String text) {
      try {
        return Optional.of(LocalTime.parse(text));
      } catch (DateTimeParseException e) {
        // Fall through to the common message.
      }
    }
    problems.report(
        property,
        quote(value)
            + " is not a local time; use HH:mm or HH:mm:ss, such as \"09:00\" or \"17:30\"");
    return Optional.empty();
  }

  /** The listed days, every day when absent; meaningless after reporting a problem. */
  private static Set<DayOfWeek> days(ProblemReporter problems, Object value) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    if (value == null) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    if (!(value instanceof List<?> names)) {
      problems.report(
          DAYS, "must be a list of day names such as [\"MONDAY\"], not " + quote(value));
      return days;
    }
    if (names.isEmpty()) {
      problems.report(DAYS, "must not be empty; leave \"days\" out for every day of the week");
      return days;
    }
    for (int index = 0; index < names.size(); index++) {
      Object name = names.get(index);
      String property = DAYS + "[" + index + "]";
      Optional<DayOfWeek> day = dayOfWeek(name);
      if (day.isEmpty()) {
        problems.report(
            property,
            quote(name)
                + " is not a day of the week; use one of "
                + Arrays.toString(DayOfWeek.values()));
      } else if (!days.add(day.get())) {
        problems.report(property, quote(name) + " is listed more than once");
      }
    }
    return days;
  }

  private static Optional<DayOfWeek> dayOfWeek(Object name) {
    if (name instanceof String text) {
      for (DayOfWeek day : DayOfWeek.values()) {
        if (day.name().equals(text)) {
          return Optional.of(day);
        }
      }
    }
    return Optional.empty();
  }

  /** The configured zone; empty for the orchestration's zone, or after reporting a problem. */
  private static Optional<ZoneId> timeZone(ProblemReporter problems, Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text) {
      try {
        return Optional.of(ZoneId.of(text));
      } catch (DateTimeException e) {
        // Fall through to the common message.
      }
    }
    problems.report(
        TIME_ZONE,
        quote(value) + " is not a time zone id; use a region such as \"Europe/Paris\" or \"UTC\"");
    return Optional.empty();
  }

  /** Shows a JSON value the way it appeared in the definition. */
  private static String quote(Object value) {
    return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }

  /** Passes problems on to the setup and remembers whether there was any. */
  private static final class ProblemReporter {
    private final ConditionSetup setup;
    private boolean any;

    ProblemReporter(ConditionSetup setup) {
      this.setup = setup;
    }

    void report(String property, String message) {
      any = true;
      setup.problem(property, message);
    }

    boolean any() {
      return any;
    }
  }
}
