package io.orchestrion.engine.run;

import static io.orchestrion.api.run.EventKind.WORK_ITEM_REASSIGNED;
import static io.orchestrion.engine.run.model.Notifications.fields;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.EscalationRung;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.approvals.ApprovalRules;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.run.RunEngine.UnderRunLock;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.Ids;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.work.UnitOfWork;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The commands on a run's work items (SPEC §8): decide, reassign, and what the engine's timers do
 * to an undecided item — escalation rungs and the OVERDUE event. Each works inside the caller's
 * transaction under the run's lock ({@link LockedRuns}), like {@link RunEngine}'s.
 */
public final class WorkItemCommands {
  private final LockedRuns runs;
  private final RunRepository repository;
  private final Assignees assignees;
  private final RunPermissions permissions;
  private final ApprovalStepStarter approvalSteps;
  private final EvaluationPass evaluation;
  private final ApprovalDecisions approvalDecisions;
  private final EscalationLadder escalation;

  @Inject
  WorkItemCommands(
      LockedRuns runs,
      RunRepository repository,
      Assignees assignees,
      RunPermissions permissions,
      ApprovalStepStarter approvalSteps,
      EvaluationPass evaluation,
      ApprovalDecisions approvalDecisions,
      EscalationLadder escalation) {
    this.runs = runs;
    this.repository = repository;
    this.assignees = assignees;
    this.permissions = permissions;
    this.approvalSteps = approvalSteps;
    this.evaluation = evaluation;
    this.approvalDecisions = approvalDecisions;
    this.escalation = escalation;
  }

  /**
   * Decides a work item (docs/orchestrations.md, "Several approvers and decision policies"):
   * authorizes the decider, records the decision, counts it with the step's decision policy — the
   * run's lock serialises deciders, so the step settles exactly once — and evaluates the run. A
   * decision on an item the step no longer waits for is a 409 saying how it ended.
   *
   * @return the decided item as this transaction wrote it (not read back)
   */
  public WorkItemView decide(
      UnitOfWork uow,
      String workItemId,
      Decision decision,
      Optional<String> comments,
      String actorId)
      throws SQLException {
    RunState run = runs.lockOfWorkItem(uow, workItemId);
    run.actAs(actorId);
    WorkItem item = workItemOf(run, workItemId);
    ApprovalDecisions.requireOpen(run, item);
    CompiledOrchestration orchestration = runs.orchestrationOf(uow, run);
    RunPermissions.Decider decider =
        permissions.requireMayDecide(uow, run, orchestration, item, actorId);
    Instant now = uow.now();
    run.recordApprover(actorId);
    approvalDecisions.apply(
        uow,
        run,
        orchestration,
        item,
        decision,
        comments,
        actorId,
        decider.role(),
        decider.onBehalfOf(),
        "API",
        now);
    evaluation.run(uow, run, orchestration);
    runs.persist(uow, run, orchestration);
    return RunViews.workItem(run, item);
  }

  /**
   * The runs of the work items {@code workItemIds}, by work item id, in one statement (items that
   * do not exist are left out): what {@link #decide} locks first, so that a group of decisions
   * takes the runs' locks in the order of their ids ({@code work.CommandGroups.LockOrder}).
   */
  public static Map<String, String> runsOf(UnitOfWork uow, Set<String> workItemIds)
      throws SQLException {
    Map<String, String> runs = new HashMap<>();
    String sql =
        "SELECT id, run_id FROM work_items WHERE id IN ("
            + String.join(", ", Collections.nCopies(workItemIds.size(), "?"))
            + ")";
    try (PreparedStatement statement = uow.connection().prepareStatement(sql)) {
      int index = 1;
      for (String id : workItemIds) {
        statement.setString(index++, id);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          runs.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return runs;
  }

  /**
   * Fires rung {@code rung} (0-based) of a work item's escalation ladder (docs/orchestrations.md,
   * "Escalation"), with any earlier rung of the item still pending (they fire first, in order, and
   * their jobs go): REMIND, REASSIGN or DECIDE, each only while the item is undecided. A rung of a
   * decided or canceled item is a no-op.
   */
  public void escalate(
      UnitOfWork uow, String runId, String workItemId, int rung, UnderRunLock underLock)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    underLock.run();
    Optional<WorkItem> found = run.workItem(workItemId);
    if (found.isEmpty() || !found.get().isOpen()) {
      return;
    }
    WorkItem item = found.get();
    CompiledOrchestration orchestration = runs.orchestrationOf(uow, run);
    StepInstance step = run.step(item.stepInstanceId()).orElseThrow();
    List<EscalationRung> ladder =
        ApprovalDecisions.definitionOf(run, orchestration, step).escalation();
    if (rung < 0 || rung >= ladder.size()) {
      return; // cannot happen: a run keeps its orchestration version
    }
    RunLogging.step(step.name());
    Instant now = uow.now();
    List<Integer> rungs =
        new ArrayList<>(repository.takeEarlierRungs(uow.transaction(), workItemId, rung));
    rungs.add(rung);
    for (int index : rungs) {
      if (!item.isOpen()) {
        break;
      }
      EscalationRung definition = ladder.get(index);
      switch (definition.action()) {
        case REMIND -> escalation.remind(run, item, definition, index, now);
        case REASSIGN -> escalation.reassign(uow, run, item, definition, index, now);
        case DECIDE ->
            approvalDecisions.apply(
                uow,
                run,
                orchestration,
                item,
                Decision.valueOf(definition.decision().orElseThrow()),
                Optional.of(EscalationLadder.decisionComments(definition, index)),
                EscalationLadder.ENGINE_ACTOR,
                "SYSTEM",
                Optional.empty(),
                "SYSTEM",
                now);
      }
    }
    evaluation.run(uow, run, orchestration);
    runs.persist(uow, run, orchestration);
  }

  /**
   * Gives a work item to another user, group or queue; it stays ASSIGNED. Returns the item as this
   * transaction wrote it (not read back).
   */
  public WorkItemView reassign(
      UnitOfWork uow, String workItemId, String assigneeType, String assigneeId, String actorId)
      throws SQLException {
    RunState run = runs.lockOfWorkItem(uow, workItemId);
    run.actAs(actorId);
    WorkItem item = workItemOf(run, workItemId);
    if (!item.isOpen()) {
      throw new OrchestrionException(
          StandardErrorCode.CONFLICT,
          "work item '%s' is %s; only ASSIGNED items can be reassigned"
              .formatted(workItemId, item.status()));
    }
    boolean admin = permissions.isApprovalAdmin(uow, actorId);
    if (!ApprovalRules.isAssigneeOrAdmin(permissions.isAssignee(uow, item, actorId), admin)) {
      throw new OrchestrionException(
          StandardErrorCode.PERMISSION_DENIED,
          "only the assignee of work item '%s' or an approval admin may reassign it"
              .formatted(workItemId));
    }
    Assignee to = Assignee.of(assigneeType, assigneeId);
    switch (to.type()) {
      case USER -> approvalSteps.requireActiveUser(uow, assigneeId, "user");
      case GROUP -> {
        if (!assignees.within(uow).groupExists(assigneeId)) {
          throw OrchestrionException.notFound("Group '" + assigneeId + "'");
        }
      }
      case QUEUE -> {
        if (!assignees.within(uow).queueExists(assigneeId)) {
          throw OrchestrionException.notFound("Queue '" + assigneeId + "'");
        }
      }
    }
    Instant now = uow.now();
    Assignee from = item.assignee();
    run.reassign(item, to, WORK_ITEM_REASSIGNED, fields(), now);
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                "REASSIGN",
                actorId,
                admin && !permissions.isAssignee(uow, item, actorId) ? "ADMIN" : "ASSIGNEE",
                "API",
                Optional.of("work item %s from %s to %s".formatted(workItemId, from, to)),
                now));
    runs.persist(uow, run);
    return RunViews.workItem(run, item);
  }

  /** Publishes an OVERDUE event for an approval step whose work item is still undecided. */
  public void overdue(UnitOfWork uow, String runId, String stepInstanceId, UnderRunLock underLock)
      throws SQLException {
    RunState run = runs.lock(uow, runId);
    underLock.run();
    Instant now = uow.now();
    for (WorkItem item : run.workItems()) {
      // A manager chain's later level has its own due time: only items already due are overdue.
      if (item.stepInstanceId().equals(stepInstanceId)
          && item.isOpen()
          && item.dueAt().map(due -> !due.isAfter(now)).orElse(true)) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("workItemId", item.id());
        payload.put("step", item.stepName());
        payload.put("dueAt", String.valueOf(item.dueAt().orElse(null)));
        run.outbox()
            .publish(
                new RunOutbox.NewEvent(
                    Ids.next(),
                    EventKind.OVERDUE,
                    Optional.of(stepInstanceId),
                    Optional.empty(),
                    Optional.empty(),
                    repository.writeJson(payload),
                    now));
      }
    }
    evaluation.run(uow, run, runs.orchestrationOf(uow, run));
    runs.persist(uow, run);
  }

  private static WorkItem workItemOf(RunState run, String workItemId) {
    return run.workItem(workItemId)
        .orElseThrow(() -> OrchestrionException.notFound("Work item '" + workItemId + "'"));
  }
}
