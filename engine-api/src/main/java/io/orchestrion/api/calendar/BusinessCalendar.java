package io.orchestrion.api.calendar;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * A business calendar: on each working day that is not a holiday, one working period from {@code
 * workStart} (inclusive) to {@code workEnd} (exclusive), local time in {@code timeZone}. The rules
 * of business-time arithmetic are in docs/orchestrations.md, "Business calendars".
 *
 * @param name the calendar's name, as approval steps refer to it ({@code "calendar": "..."})
 * @param timeZone an IANA time zone id such as {@code Europe/Berlin}
 * @param workingDays the days of the week with working hours (default: MONDAY to FRIDAY)
 * @param workStart when the working period starts, {@code HH:mm}, e.g. {@code 09:00}
 * @param workEnd when it ends, after {@code workStart} on the same day, e.g. {@code 17:00}
 * @param holidays dates without working hours, whatever their day of the week
 */
public record BusinessCalendar(
    String name,
    String timeZone,
    List<DayOfWeek> workingDays,
    @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "HH:mm") LocalTime workStart,
    @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "HH:mm") LocalTime workEnd,
    List<LocalDate> holidays) {
  /** Monday to Friday, the working days when none are given. */
  public static final List<DayOfWeek> WEEKDAYS =
      List.of(
          DayOfWeek.MONDAY,
          DayOfWeek.TUESDAY,
          DayOfWeek.WEDNESDAY,
          DayOfWeek.THURSDAY,
          DayOfWeek.FRIDAY);

  public BusinessCalendar {
    requireNonNull(name, "name is null");
    requireNonNull(timeZone, "timeZone is null");
    requireNonNull(workStart, "workStart is null");
    requireNonNull(workEnd, "workEnd is null");
    workingDays = workingDays == null ? WEEKDAYS : List.copyOf(workingDays);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
  }
}
