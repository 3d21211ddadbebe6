package io.orchestrion.server.api;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import io.orchestrion.server.http.RouteTable;

/** The {@code /api/v1} endpoints: the route table and one handler per endpoint. */
public final class ApiModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(RouteTable.class).to(ApiRoutes.class);
    bind(ApiRoutes.class).in(Scopes.SINGLETON);
    bind(PutObjectTypeHandler.class);
    bind(GetObjectTypeHandler.class);
    bind(ListObjectTypesHandler.class);
    bind(CreateRecordHandler.class);
    bind(GetRecordHandler.class);
    bind(UpdateRecordHandler.class);
    bind(DeployFlowHandler.class);
    bind(ListFlowVersionsHandler.class);
    bind(GetFlowVersionHandler.class);
    bind(ActivateFlowVersionHandler.class);
    bind(DeployOrchestrationHandler.class);
    bind(ListOrchestrationVersionsHandler.class);
    bind(GetOrchestrationVersionHandler.class);
    bind(ActivateOrchestrationVersionHandler.class);
    bind(DefinitionLifecycleRoutes.class).in(Scopes.SINGLETON);
    bind(DefinitionGuards.class).in(Scopes.SINGLETON);
    bind(DeactivateFlowVersionHandler.class);
    bind(DeleteFlowVersionHandler.class);
    bind(DeactivateOrchestrationVersionHandler.class);
    bind(DeleteOrchestrationVersionHandler.class);
    bind(CreateSubmissionHandler.class);
    bind(GetSubmissionHandler.class);
    bind(ListSubmissionsHandler.class);
    bind(GetRunHandler.class);
    bind(PublishRunEventHandler.class);
    bind(ListEventsHandler.class);
    bind(ListFlowsHandler.class);
    bind(ListOrchestrationsHandler.class);
    bind(MintTokenHandler.class);
    bind(ApprovalRoutes.class).in(Scopes.SINGLETON);
    bind(ListWorkItemsHandler.class);
    bind(GetWorkItemHandler.class);
    bind(DecideWorkItemHandler.class);
    bind(ReassignWorkItemHandler.class);
    bind(RecallSubmissionHandler.class);
    bind(CancelSubmissionHandler.class);
    bind(SuspendRunHandler.class);
    bind(ResumeRunHandler.class);
    bind(RetryRunHandler.class);
    bind(ExplainRunHandler.class);
    bind(ListRunWorkItemsHandler.class);
    bind(PublishFlowEventHandler.class);
    bind(DirectoryRoutes.class).in(Scopes.SINGLETON);
    bind(CalendarRoutes.class).in(Scopes.SINGLETON);
    bind(DirectoryAccess.class).in(Scopes.SINGLETON);
    bind(ListUsersHandler.class);
    bind(GetUserHandler.class);
    bind(PutUserHandler.class);
    bind(GetDelegationHandler.class);
    bind(PutDelegationHandler.class);
    bind(DeleteDelegationHandler.class);
    bind(ListRolesHandler.class);
    bind(PutRoleHandler.class);
    bind(ListGroupsHandler.class);
    bind(PutGroupHandler.class);
    bind(DeleteGroupHandler.class);
    bind(ListQueuesHandler.class);
    bind(PutQueueHandler.class);
    bind(DeleteQueueHandler.class);
    bind(ListPermissionSetsHandler.class);
    bind(PutPermissionSetHandler.class);
    bind(AssignPermissionSetHandler.class);
    bind(UnassignPermissionSetHandler.class);
    bind(ListRecordSharesHandler.class);
    bind(ShareRecordHandler.class);
    bind(UnshareRecordHandler.class);
    bind(GetMeHandler.class);
    bind(ActionViews.class).in(Scopes.SINGLETON);
  }
}
