package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.server.http.RequestLanes;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;

/**
 * The routes of approvals and run operations (SPEC §3, §5.5, §8), added to the {@code /api/v1}
 * route table by {@link ApiRoutes}. Documented in openapi.yaml.
 */
public final class ApprovalRoutes {
  private static final String PREFIX = ApiRoutes.PREFIX;

  private final ListWorkItemsHandler listWorkItems;
  private final GetWorkItemHandler getWorkItem;
  private final DecideWorkItemHandler decideWorkItem;
  private final ReassignWorkItemHandler reassignWorkItem;
  private final RecallSubmissionHandler recallSubmission;
  private final CancelSubmissionHandler cancelSubmission;
  private final SuspendRunHandler suspendRun;
  private final ResumeRunHandler resumeRun;
  private final RetryRunHandler retryRun;
  private final ExplainRunHandler explainRun;
  private final ListRunWorkItemsHandler listRunWorkItems;
  private final RequestLanes lanes;

  @Inject
  public ApprovalRoutes(
      ListWorkItemsHandler listWorkItems,
      GetWorkItemHandler getWorkItem,
      DecideWorkItemHandler decideWorkItem,
      ReassignWorkItemHandler reassignWorkItem,
      RecallSubmissionHandler recallSubmission,
      CancelSubmissionHandler cancelSubmission,
      SuspendRunHandler suspendRun,
      ResumeRunHandler resumeRun,
      RetryRunHandler retryRun,
      ExplainRunHandler explainRun,
      ListRunWorkItemsHandler listRunWorkItems,
      RequestLanes lanes) {
    this.listWorkItems = requireNonNull(listWorkItems, "listWorkItems is null");
    this.getWorkItem = requireNonNull(getWorkItem, "getWorkItem is null");
    this.decideWorkItem = requireNonNull(decideWorkItem, "decideWorkItem is null");
    this.reassignWorkItem = requireNonNull(reassignWorkItem, "reassignWorkItem is null");
    this.recallSubmission = requireNonNull(recallSubmission, "recallSubmission is null");
    this.cancelSubmission = requireNonNull(cancelSubmission, "cancelSubmission is null");
    this.suspendRun = requireNonNull(suspendRun, "suspendRun is null");
    this.resumeRun = requireNonNull(resumeRun, "resumeRun is null");
    this.retryRun = requireNonNull(retryRun, "retryRun is null");
    this.explainRun = requireNonNull(explainRun, "explainRun is null");
    this.listRunWorkItems = requireNonNull(listRunWorkItems, "listRunWorkItems is null");
    this.lanes = requireNonNull(lanes, "lanes is null");
  }

  public void addRoutes(Router router) {
    // Deciding, recalling, resuming and retrying run an evaluation pass inline.
    Handler<RoutingContext> evaluation = lanes.evaluation();
    router.get(PREFIX + "/work-items").handler(listWorkItems);
    router.get(PREFIX + "/work-items/:id").handler(getWorkItem);
    // A decision without an Idempotency-Key may share a transaction with others (group commit).
    router
        .post(PREFIX + "/work-items/:id/decision")
        .handler(lanes.evaluationUnlessGrouped(CreateSubmissionHandler::isKeyed))
        .handler(decideWorkItem);
    router.post(PREFIX + "/work-items/:id/reassign").handler(reassignWorkItem);
    router.post(PREFIX + "/submissions/:id/recall").handler(evaluation).handler(recallSubmission);
    router.post(PREFIX + "/submissions/:id/cancel").handler(cancelSubmission);
    router.post(PREFIX + "/runs/:id/suspend").handler(suspendRun);
    router.post(PREFIX + "/runs/:id/resume").handler(evaluation).handler(resumeRun);
    router.post(PREFIX + "/runs/:id/retry").handler(evaluation).handler(retryRun);
    router.get(PREFIX + "/runs/:id/explain").handler(explainRun);
    router.get(PREFIX + "/runs/:id/work-items").handler(listRunWorkItems);
  }
}
