package io.orchestrion.engine.calendars;

import io.orchestrion.api.Problem;
import io.orchestrion.api.calendar.BusinessCalendar;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What makes a business calendar acceptable, each problem with its JSON path. */
public final class CalendarChecks {
  /** A calendar's name: a letter, then letters, digits, {@code _} or {@code -}; 100 at most. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,99}");

  /** More holidays than this is a mistake (a calendar is read on every due-date computation). */
  public static final int MAX_HOLIDAYS = 1000;

  private CalendarChecks() {}

  /** The problems of {@code calendar}; none when it is acceptable. */
  public static List<Problem> problems(BusinessCalendar calendar) {
    List<Problem> problems = new ArrayList<>();
    nameProblem(calendar.name()).ifPresent(problems::add);
    try {
      ZoneId.of(calendar.timeZone());
    } catch (DateTimeException e) {
      problems.add(
          new Problem(
              "$.timeZone",
              "unknown time zone '%s'; use an IANA id such as Europe/Berlin"
                  .formatted(calendar.timeZone())));
    }
    if (calendar.workingDays().isEmpty()) {
      problems.add(new Problem("$.workingDays", "a calendar needs at least one working day"));
    }
    Set<DayOfWeek> seen = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < calendar.workingDays().size(); i++) {
      if (!seen.add(calendar.workingDays().get(i))) {
        problems.add(
            new Problem(
                "$.workingDays[" + i + "]",
                "duplicate working day " + calendar.workingDays().get(i)));
      }
    }
    if (!calendar.workStart().isBefore(calendar.workEnd())) {
      problems.add(
          new Problem(
              "$.workEnd",
              "workEnd (%s) must be after workStart (%s) on the same day"
                  .formatted(calendar.workEnd(), calendar.workStart())));
    }
    if (calendar.holidays().size() > MAX_HOLIDAYS) {
      problems.add(new Problem("$.holidays", "at most " + MAX_HOLIDAYS + " holidays per calendar"));
    }
    return problems;
  }

  /** The problem with a calendar name (at {@code $.name}), if any. */
  public static java.util.Optional<Problem> nameProblem(String name) {
    if (NAME.matcher(name).matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new Problem(
            "$.name",
            "'%s' is not a calendar name: a letter, then letters, digits, '_' or '-' (100 at most)"
                .formatted(name)));
  }
}
