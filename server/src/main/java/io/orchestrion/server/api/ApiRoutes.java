package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.events.EventRoutes;
import io.orchestrion.server.http.HttpServerVerticle;
import io.orchestrion.server.http.Permissions;
import io.orchestrion.server.http.RequestLanes;
import io.orchestrion.server.http.RouteTable;
import io.orchestrion.spi.directory.SystemPermission;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The route table of {@code /api/v1}: one handler per endpoint, preceded by the system permission
 * it needs, if any (docs/api.md "Authorization"), and by the evaluation lane when it may run flows
 * inline ({@link RequestLanes}). Documented in openapi.yaml.
 */
public final class ApiRoutes implements RouteTable {
  public static final String PREFIX = HttpServerVerticle.API_PREFIX;

  private final PutObjectTypeHandler putObjectType;
  private final GetObjectTypeHandler getObjectType;
  private final ListObjectTypesHandler listObjectTypes;
  private final CreateRecordHandler createRecord;
  private final GetRecordHandler getRecord;
  private final UpdateRecordHandler updateRecord;
  private final DeployFlowHandler deployFlow;
  private final ListFlowVersionsHandler listFlowVersions;
  private final GetFlowVersionHandler getFlowVersion;
  private final ActivateFlowVersionHandler activateFlowVersion;
  private final DeployOrchestrationHandler deployOrchestration;
  private final ListOrchestrationVersionsHandler listOrchestrationVersions;
  private final GetOrchestrationVersionHandler getOrchestrationVersion;
  private final ActivateOrchestrationVersionHandler activateOrchestrationVersion;
  private final CreateSubmissionHandler createSubmission;
  private final GetSubmissionHandler getSubmission;
  private final ListSubmissionsHandler listSubmissions;
  private final GetRunHandler getRun;
  private final PublishRunEventHandler publishRunEvent;
  private final ListEventsHandler listEvents;
  private final ApprovalRoutes approvalRoutes;
  private final PublishFlowEventHandler publishFlowEvent;
  private final DirectoryRoutes directoryRoutes;
  private final DefinitionLifecycleRoutes definitionLifecycleRoutes;
  private final Permissions permissions;
  private final DefinitionGuards definitionGuards;
  private final RequestLanes lanes;
  private final ListFlowsHandler listFlows;
  private final ListOrchestrationsHandler listOrchestrations;
  private final MintTokenHandler mintToken;
  private final GetMeHandler getMe;
  private final EventRoutes eventRoutes;
  private final CalendarRoutes calendarRoutes;

  @Inject
  public ApiRoutes(
      PutObjectTypeHandler putObjectType,
      GetObjectTypeHandler getObjectType,
      ListObjectTypesHandler listObjectTypes,
      CreateRecordHandler createRecord,
      GetRecordHandler getRecord,
      UpdateRecordHandler updateRecord,
      DeployFlowHandler deployFlow,
      ListFlowVersionsHandler listFlowVersions,
      GetFlowVersionHandler getFlowVersion,
      ActivateFlowVersionHandler activateFlowVersion,
      DeployOrchestrationHandler deployOrchestration,
      ListOrchestrationVersionsHandler listOrchestrationVersions,
      GetOrchestrationVersionHandler getOrchestrationVersion,
      ActivateOrchestrationVersionHandler activateOrchestrationVersion,
      CreateSubmissionHandler createSubmission,
      GetSubmissionHandler getSubmission,
      ListSubmissionsHandler listSubmissions,
      GetRunHandler getRun,
      PublishRunEventHandler publishRunEvent,
      ListEventsHandler listEvents,
      ApprovalRoutes approvalRoutes,
      PublishFlowEventHandler publishFlowEvent,
      DirectoryRoutes directoryRoutes,
      DefinitionLifecycleRoutes definitionLifecycleRoutes,
      Permissions permissions,
      DefinitionGuards definitionGuards,
      RequestLanes lanes,
      ListFlowsHandler listFlows,
      ListOrchestrationsHandler listOrchestrations,
      MintTokenHandler mintToken,
      GetMeHandler getMe,
      EventRoutes eventRoutes,
      CalendarRoutes calendarRoutes) {
    this.putObjectType = requireNonNull(putObjectType, "putObjectType is null");
    this.getObjectType = requireNonNull(getObjectType, "getObjectType is null");
    this.listObjectTypes = requireNonNull(listObjectTypes, "listObjectTypes is null");
    this.createRecord = requireNonNull(createRecord, "createRecord is null");
    this.getRecord = requireNonNull(getRecord, "getRecord is null");
    this.updateRecord = requireNonNull(updateRecord, "updateRecord is null");
    this.deployFlow = requireNonNull(deployFlow, "deployFlow is null");
    this.listFlowVersions = requireNonNull(listFlowVersions, "listFlowVersions is null");
    this.getFlowVersion = requireNonNull(getFlowVersion, "getFlowVersion is null");
    this.activateFlowVersion = requireNonNull(activateFlowVersion, "activateFlowVersion is null");
    this.deployOrchestration = requireNonNull(deployOrchestration, "deployOrchestration is null");
    this.listOrchestrationVersions =
        requireNonNull(listOrchestrationVersions, "listOrchestrationVersions is null");
    this.getOrchestrationVersion =
        requireNonNull(getOrchestrationVersion, "getOrchestrationVersion is null");
    this.activateOrchestrationVersion =
        requireNonNull(activateOrchestrationVersion, "activateOrchestrationVersion is null");
    this.createSubmission = requireNonNull(createSubmission, "createSubmission is null");
    this.getSubmission = requireNonNull(getSubmission, "getSubmission is null");
    this.listSubmissions = requireNonNull(listSubmissions, "listSubmissions is null");
    this.getRun = requireNonNull(getRun, "getRun is null");
    this.publishRunEvent = requireNonNull(publishRunEvent, "publishRunEvent is null");
    this.listEvents = requireNonNull(listEvents, "listEvents is null");
    this.approvalRoutes = requireNonNull(approvalRoutes, "approvalRoutes is null");
    this.publishFlowEvent = requireNonNull(publishFlowEvent, "publishFlowEvent is null");
    this.directoryRoutes = requireNonNull(directoryRoutes, "directoryRoutes is null");
    this.definitionLifecycleRoutes =
        requireNonNull(definitionLifecycleRoutes, "definitionLifecycleRoutes is null");
    this.permissions = requireNonNull(permissions, "permissions is null");
    this.definitionGuards = requireNonNull(definitionGuards, "definitionGuards is null");
    this.lanes = requireNonNull(lanes, "lanes is null");
    this.listFlows = requireNonNull(listFlows, "listFlows is null");
    this.listOrchestrations = requireNonNull(listOrchestrations, "listOrchestrations is null");
    this.mintToken = requireNonNull(mintToken, "mintToken is null");
    this.getMe = requireNonNull(getMe, "getMe is null");
    this.eventRoutes = requireNonNull(eventRoutes, "eventRoutes is null");
    this.calendarRoutes = requireNonNull(calendarRoutes, "calendarRoutes is null");
  }

  @Override
  public void addRoutes(Router router) {
    // The engine decides who may change definitions; asked before a body is read.
    Handler<RoutingContext> manageDefinitions = definitionGuards.mayDeploy();
    Handler<RoutingContext> manageRuns =
        permissions.requiring(SystemPermission.MANAGE_RUNS, "publish events");
    // Routes that may run an evaluation pass (and so flows) inline move to the evaluation pool.
    Handler<RoutingContext> evaluation = lanes.evaluation();

    // The signed-in user: open to every authenticated user.
    router.get(PREFIX + "/me").handler(getMe);

    // Definitions: reading is open to every authenticated user, changing needs MANAGE_DEFINITIONS.
    router.get(PREFIX + "/object-types").handler(listObjectTypes);
    router.put(PREFIX + "/object-types/:apiName").handler(manageDefinitions).handler(putObjectType);
    router.get(PREFIX + "/object-types/:apiName").handler(getObjectType);

    // Records: the engine enforces the caller's access (USER mode).
    router.post(PREFIX + "/records/:objectType").handler(evaluation).handler(createRecord);
    router.get(PREFIX + "/records/:objectType/:id").handler(getRecord);
    router.patch(PREFIX + "/records/:objectType/:id").handler(evaluation).handler(updateRecord);

    router.post(PREFIX + "/flows").handler(manageDefinitions).handler(deployFlow);
    router.get(PREFIX + "/flows").handler(listFlows);
    router.get(PREFIX + "/flows/:apiName/versions").handler(listFlowVersions);
    router.get(PREFIX + "/flows/:apiName/versions/:version").handler(getFlowVersion);
    router
        .post(PREFIX + "/flows/:apiName/versions/:version/activate")
        .handler(manageDefinitions)
        .handler(activateFlowVersion);

    router.post(PREFIX + "/orchestrations").handler(manageDefinitions).handler(deployOrchestration);
    router.get(PREFIX + "/orchestrations").handler(listOrchestrations);
    router.get(PREFIX + "/orchestrations/:apiName/versions").handler(listOrchestrationVersions);
    router
        .get(PREFIX + "/orchestrations/:apiName/versions/:version")
        .handler(getOrchestrationVersion);
    router
        .post(PREFIX + "/orchestrations/:apiName/versions/:version/activate")
        .handler(manageDefinitions)
        .handler(activateOrchestrationVersion);

    // Submissions, runs and events: visible to the submitter, assignees and run managers
    // (RunAudience, decided in the handlers); submitting needs read access to the record.
    // A submission without an Idempotency-Key may share a transaction with others (group commit).
    router
        .post(PREFIX + "/submissions")
        .handler(lanes.evaluationUnlessGrouped(CreateSubmissionHandler::isKeyed))
        .handler(createSubmission);
    router.get(PREFIX + "/submissions").handler(listSubmissions);
    router.get(PREFIX + "/submissions/:id").handler(getSubmission);

    router.get(PREFIX + "/runs/:id").handler(getRun);
    router
        .post(PREFIX + "/runs/:id/events")
        .handler(evaluation)
        .handler(manageRuns)
        .handler(publishRunEvent);

    router.get(PREFIX + "/events").handler(listEvents);
    eventRoutes.addRoutes(router);
    router
        .post(PREFIX + "/flow-events")
        .handler(evaluation)
        .handler(manageRuns)
        .handler(publishFlowEvent);

    router
        .post(PREFIX + "/tokens")
        .handler(permissions.requiring(SystemPermission.MANAGE_TOKENS, "mint tokens"))
        .handler(mintToken);

    approvalRoutes.addRoutes(router);
    directoryRoutes.addRoutes(router);
    definitionLifecycleRoutes.addRoutes(router);
    calendarRoutes.addRoutes(router);
  }

  static String recordPath(String objectType, String id) {
    return PREFIX + "/records/" + encode(objectType) + "/" + encode(id);
  }

  static String versionPath(String collection, String apiName, int version) {
    return PREFIX + "/" + collection + "/" + encode(apiName) + "/versions/" + version;
  }

  /** Strict: only {@code true} or {@code false} (any case). */
  static Boolean parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(text);
    };
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
