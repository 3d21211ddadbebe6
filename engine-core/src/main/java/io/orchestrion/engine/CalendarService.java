package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.calendars.CalendarChecks;
import io.orchestrion.engine.calendars.CalendarStore;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import io.orchestrion.engine.definitions.StoredDefinition;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.security.SecurityContext;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Business calendars (docs/orchestrations.md, "Business calendars"): list, read, create or replace,
 * delete. The changes taking a {@link SecurityContext} check that the caller may make them
 * (MANAGE_DEFINITIONS, {@link DefinitionAccess}); the others trust their caller. Every call is one
 * transaction and reads the table, never a cache, so in a cluster the next transaction on any node
 * sees a change.
 */
public final class CalendarService {
  private final Database database;
  private final CalendarStore store;
  private final DefinitionStore definitions;
  private final OrchestrationCatalog orchestrations;
  private final Clock clock;
  private final DefinitionAccess access;

  @Inject
  public CalendarService(
      Database database,
      CalendarStore store,
      DefinitionStore definitions,
      OrchestrationCatalog orchestrations,
      Clock clock,
      DefinitionAccess access) {
    this.database = requireNonNull(database, "database is null");
    this.store = requireNonNull(store, "store is null");
    this.definitions = requireNonNull(definitions, "definitions is null");
    this.orchestrations = requireNonNull(orchestrations, "orchestrations is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.access = requireNonNull(access, "access is null");
  }

  /** A calendar as stored, and whether this call created it. */
  public record Stored(BusinessCalendar calendar, boolean created) {}

  /** Every calendar, by name (calendars are few: not paginated). */
  public List<BusinessCalendar> list() {
    return database.inTransaction(store::list);
  }

  public BusinessCalendar get(String name) {
    return database.inTransaction(tx -> store.find(tx, name)).orElseThrow(() -> notFound(name));
  }

  /**
   * Like {@link #put(String, BusinessCalendar)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may manage business calendars
   *     (MANAGE_DEFINITIONS, {@link DefinitionAccess}), before the calendar is checked
   */
  public Stored put(SecurityContext caller, String name, BusinessCalendar calendar) {
    access.requireMayManageCalendars(caller);
    return put(name, calendar);
  }

  /**
   * Creates or replaces calendar {@code name}, with no access check (see {@link
   * #put(SecurityContext, String, BusinessCalendar)}). Due times already computed stay as they are;
   * work items created from now on count in the new calendar.
   *
   * @throws OrchestrionException INVALID_DEFINITION with a problem per JSON path at fault
   */
  public Stored put(String name, BusinessCalendar calendar) {
    requireNonNull(calendar, "calendar is null");
    List<Problem> problems = new ArrayList<>();
    if (!calendar.name().equals(name)) {
      problems.add(new Problem("$.name", "must be '" + name + "' as in the path"));
    }
    problems.addAll(CalendarChecks.problems(calendar));
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_DEFINITION, "Calendar '" + name + "'", problems);
    }
    return database.inTransaction(
        tx -> new Stored(calendar, store.put(tx, calendar, clock.instant())));
  }

  /**
   * Like {@link #delete(String)}, on {@code caller}'s behalf.
   *
   * @throws OrchestrionException PERMISSION_DENIED unless the caller may manage business calendars
   *     (MANAGE_DEFINITIONS, {@link DefinitionAccess}), before anything else is checked
   */
  public void delete(SecurityContext caller, String name) {
    access.requireMayManageCalendars(caller);
    delete(name);
  }

  /**
   * Deletes calendar {@code name}, with no access check (see {@link #delete(SecurityContext,
   * String)}).
   *
   * @throws OrchestrionException CONFLICT naming the orchestration when an active orchestration
   *     version refers to it; NOT_FOUND when there is no such calendar
   */
  public void delete(String name) {
    database.inTransaction(
        tx -> {
          for (StoredDefinition stored :
              definitions.activeVersions(tx, DefinitionKind.ORCHESTRATION)) {
            OrchestrationDefinition orchestration = orchestrations.definition(stored);
            String path = calendarPath(orchestration, name);
            if (path != null) {
              throw new OrchestrionException(
                  StandardErrorCode.CONFLICT,
                  "calendar '%s' is used by the active orchestration '%s' v%d at %s"
                      .formatted(name, stored.apiName(), stored.version(), path));
            }
          }
          if (!store.delete(tx, name)) {
            throw notFound(name);
          }
          return null;
        });
  }

  /** Where {@code orchestration} names calendar {@code name} (its first use), or null. */
  static String calendarPath(OrchestrationDefinition orchestration, String name) {
    List<StageDefinition> stages =
        Stream.concat(orchestration.stages().stream(), orchestration.recallStage().stream())
            .toList();
    for (int s = 0; s < stages.size(); s++) {
      List<StepDefinition> steps = stages.get(s).steps();
      for (int t = 0; t < steps.size(); t++) {
        if (steps.get(t) instanceof StepDefinition.ApprovalStep approval
            && approval.calendar().filter(name::equals).isPresent()) {
          String stage =
              s < orchestration.stages().size() ? "$.stages[" + s + "]" : "$.recallStage";
          return stage + ".steps[" + t + "].calendar";
        }
      }
    }
    return null;
  }

  private static OrchestrionException notFound(String name) {
    return OrchestrionException.notFound("Calendar '" + name + "'");
  }
}
