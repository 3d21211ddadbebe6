package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.engine.CalendarService;
import io.orchestrion.server.http.HttpServerVerticle;
import io.orchestrion.server.http.JsonBodies;
import io.orchestrion.server.http.Permissions;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * The {@code /calendars} endpoints (docs/api.md "Business calendars"): reading is open to every
 * authenticated user, like definitions; creating, replacing and deleting need MANAGE_DEFINITIONS
 * (calendars are part of what definitions refer to), which the engine decides ({@link
 * DefinitionGuards} asks it before the body is read). Each method is one endpoint's handler; they
 * only translate HTTP to {@link CalendarService} calls and back.
 */
public final class CalendarRoutes {
  /** The calendars' collection. */
  public static final String CALENDARS = HttpServerVerticle.API_PREFIX + "/calendars";

  private final CalendarService calendars;
  private final JsonBodies json;
  private final DefinitionGuards guards;

  @Inject
  public CalendarRoutes(CalendarService calendars, JsonBodies json, DefinitionGuards guards) {
    this.calendars = requireNonNull(calendars, "calendars is null");
    this.json = requireNonNull(json, "json is null");
    this.guards = requireNonNull(guards, "guards is null");
  }

  public void addRoutes(Router router) {
    Handler<RoutingContext> manageDefinitions = guards.mayManageCalendars();
    router.get(CALENDARS).handler(this::list);
    router.get(CALENDARS + "/:name").handler(this::get);
    router.put(CALENDARS + "/:name").handler(manageDefinitions).handler(this::put);
    router.delete(CALENDARS + "/:name").handler(manageDefinitions).handler(this::delete);
  }

  /** {@code GET /calendars}: every calendar, by name (not paginated: they are few). */
  void list(RoutingContext context) {
    json.respond(context, 200, ListResponse.of(calendars.list()));
  }

  /** {@code GET /calendars/{name}}. */
  void get(RoutingContext context) {
    json.respond(context, 200, calendars.get(context.pathParam("name")));
  }

  /** {@code PUT /calendars/{name}}: creates (201) or replaces (200) a calendar. */
  void put(RoutingContext context) {
    BusinessCalendar calendar =
        json.read(
            context,
            BusinessCalendar.class,
            "Business calendar",
            StandardErrorCode.INVALID_DEFINITION);
    CalendarService.Stored stored =
        calendars.put(Permissions.userMode(context), context.pathParam("name"), calendar);
    json.respond(context, stored.created() ? 201 : 200, stored.calendar());
  }

  /** {@code DELETE /calendars/{name}}: 409 while an active orchestration refers to it. */
  void delete(RoutingContext context) {
    calendars.delete(Permissions.userMode(context), context.pathParam("name"));
    context.response().setStatusCode(204).end();
  }
}
