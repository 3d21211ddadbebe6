/**
 * Business calendars (docs/orchestrations.md, "Business calendars"): working days and hours in a
 * time zone, and holidays, in which an approval step's {@code dueIn} and escalation durations
 * count. Everything in this package is non-null unless documented otherwise; "none" is an empty
 * collection. Values are immutable and safe to share between threads.
 */
package io.orchestrion.api.calendar;
