/**
 * Business calendars: their table ({@link io.orchestrion.engine.calendars.CalendarStore}), their
 * checks ({@link io.orchestrion.engine.calendars.CalendarChecks}) and business-time arithmetic
 * ({@link io.orchestrion.engine.calendars.BusinessTime}, pure). Depends only on persistence.
 */
package io.orchestrion.engine.calendars;
