package io.orchestrion.engine.run;

import static io.orchestrion.api.run.EventKind.STEP_STARTED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_CREATED;
import static io.orchestrion.engine.run.Notifications.fields;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.ManagerChain;
import io.orchestrion.engine.queue.JobKind;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.HostFailures;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts an approval step (SPEC §8): resolves its approvers (users, groups or queues, the
 * submitter's manager, the user in a record field — active users only — or the first level of a
 * manager chain), creates one work item per approver and, with a due time (business time with the
 * step's calendar), the step's OVERDUE job, and each item's escalation rungs' jobs. An approver or
 * a calendar that cannot be resolved fails the step.
 */
final class ApprovalStepStarter {
  private final Assignees assignees;
  private final EscalationLadder ladder;

  @Inject
  ApprovalStepStarter(Assignees assignees, EscalationLadder ladder) {
    this.assignees = assignees;
    this.ladder = ladder;
  }

  /**
   * SPEC §8: one work item per approver, ASSIGNED to the resolved assignee (a MANAGER_CHAIN starts
   * with its first level); an approver that cannot be resolved, or two approvers resolving to the
   * same assignee, fail the step and create no item.
   */
  void start(
      UnitOfWork uow,
      RunState run,
      RunState.StepInstance step,
      StepDefinition.ApprovalStep definition,
      PassResolver resolver,
      Instant now) {
    step.attempt++;
    step.setStatus(StepStatus.IN_PROGRESS, now);
    run.notifications.ofStep(
        STEP_STARTED, step, fields("stepKind", step.kind, "attempt", step.attempt), now);
    List<AssigneeSpec> approvers = definition.approvers();
    List<String[]> resolved = new ArrayList<>();
    EscalationLadder.StepTime time;
    try {
      time = ladder.timeOf(uow, definition);
      if (isChain(definition)) {
        String first = chainOf(uow, run, definition).get(0);
        resolved.add(new String[] {"USER", first});
      } else {
        for (int i = 0; i < approvers.size(); i++) {
          resolved.add(resolveApprover(uow, approvers, i, run, resolver));
        }
        requireDistinct(resolved);
      }
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      run.failStep(step, "step '%s' could not start: %s".formatted(step.name, e.getMessage()), now);
      return;
    }
    for (int i = 0; i < resolved.size(); i++) {
      createItem(
          run, step, definition, i, resolved.get(i), isChain(definition) ? 1 : null, time, now);
    }
    step.executionReason =
        isChain(definition)
            ? "manager chain level 1 assigned to USER " + resolved.get(0)[1]
            : resolved.size() == 1
                ? "work item assigned to " + resolved.get(0)[0] + " " + resolved.get(0)[1]
                : "%d work items assigned, decided by %s"
                    .formatted(resolved.size(), definition.effectivePolicy().type());
  }

  /** Whether the step's approver is a MANAGER_CHAIN (then its sole approver, deploy checks). */
  static boolean isChain(StepDefinition.ApprovalStep definition) {
    return definition.approvers().get(0).type() == AssigneeSpec.AssigneeType.MANAGER_CHAIN;
  }

  /** The step's manager chain as the directory says now (unresolvable: INVALID_REQUEST). */
  List<String> chainOf(UnitOfWork uow, RunState run, StepDefinition.ApprovalStep definition) {
    return ManagerChain.resolve(
        assignees.within(uow), run.submission.submitterId, definition.approvers().get(0));
  }

  /** The step's clock: business time with its calendar (unresolvable: INVALID_REQUEST). */
  EscalationLadder.StepTime timeOf(UnitOfWork uow, StepDefinition.ApprovalStep definition) {
    return ladder.timeOf(uow, definition);
  }

  /**
   * Creates one ASSIGNED work item, with the step's OVERDUE job when it has {@code dueIn} and the
   * item's escalation rungs' jobs.
   */
  void createItem(
      RunState run,
      RunState.StepInstance step,
      StepDefinition.ApprovalStep definition,
      int approverIndex,
      String[] assignee,
      Integer chainLevel,
      EscalationLadder.StepTime time,
      Instant now) {
    RunState.WorkItem item = new RunState.WorkItem(Ids.next(), step.id, step.name, now);
    item.isNew = true;
    item.status = WorkItemStatus.ASSIGNED;
    item.assigneeType = assignee[0];
    item.assigneeId = assignee[1];
    item.approverIndex = approverIndex;
    item.chainLevel = chainLevel;
    item.stepAttempt = step.attempt;
    if (definition.dueIn().isPresent()) {
      item.dueAt = time.plus(now, definition.dueIn().get());
      // One OVERDUE job per step and due time: it publishes for every item then due.
      Instant dueAt = item.dueAt;
      if (run.newJobs.stream()
          .noneMatch(
              job ->
                  job.kind() == JobKind.OVERDUE
                      && job.stepInstanceId().equals(java.util.Optional.of(step.id))
                      && job.dueAt().equals(dueAt))) {
        run.newJobs.add(NewJob.overdue(run.id, step.id, step.attempt, item.dueAt));
      }
    }
    run.workItems.add(item);
    ladder.schedule(run, step, item, definition, time);
    run.notifications.ofWorkItem(
        WORK_ITEM_CREATED,
        item,
        fields("dueAt", item.dueAt == null ? null : item.dueAt.toString()),
        now);
  }

  private String[] resolveApprover(
      UnitOfWork uow,
      List<AssigneeSpec> approvers,
      int index,
      RunState run,
      PassResolver resolver) {
    try {
      return resolveAssignee(uow, approvers.get(index), run, resolver);
    } catch (OrchestrionException e) {
      if (approvers.size() == 1 || HostFailures.isHostFailure(e)) {
        throw e;
      }
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "approver %d (assignees[%d]): %s".formatted(index, index, e.getMessage()));
    }
  }

  /** One person or group cannot count twice: two approvers resolving alike fail the step. */
  private static void requireDistinct(List<String[]> resolved) {
    for (int i = 0; i < resolved.size(); i++) {
      for (int j = i + 1; j < resolved.size(); j++) {
        if (Arrays.equals(resolved.get(i), resolved.get(j))) {
          throw unresolvable(
              "approvers %d and %d (assignees[%d] and assignees[%d]) both resolve to %s %s; an"
                      .formatted(i, j, i, j, resolved.get(i)[0], resolved.get(i)[1])
                  + " assignee cannot count twice");
        }
      }
    }
  }

  private String[] resolveAssignee(
      UnitOfWork uow, AssigneeSpec spec, RunState run, PassResolver resolver) {
    return switch (spec.type()) {
      case USER -> {
        String user = spec.userId().orElseThrow();
        requireActiveUser(uow, user, "assignee USER");
        yield new String[] {"USER", user};
      }
      case GROUP -> {
        String group = spec.group().orElseThrow();
        if (!assignees.within(uow).groupExists(group)) {
          throw unresolvable("group '%s' does not exist".formatted(group));
        }
        yield new String[] {"GROUP", group};
      }
      case QUEUE -> {
        String queue = spec.queue().orElseThrow();
        if (!assignees.within(uow).queueExists(queue)) {
          throw unresolvable("queue '%s' does not exist".formatted(queue));
        }
        yield new String[] {"QUEUE", queue};
      }
      case SUBMITTER_MANAGER -> {
        String submitter = run.submission.submitterId;
        String manager =
            assignees
                .within(uow)
                .managerOf(submitter)
                .orElseThrow(
                    () -> unresolvable("submitter '%s' has no manager".formatted(submitter)));
        requireActiveUser(uow, manager, "the submitter's manager");
        yield new String[] {"USER", manager};
      }
      case RECORD_FIELD -> {
        String field = spec.field().orElseThrow();
        Object value = resolver.resolve(new Reference.RecordField(field).text()).orElse(null);
        if (!(value instanceof String user) || user.isBlank()) {
          throw unresolvable("field '%s' of the record holds no user id".formatted(field));
        }
        requireActiveUser(uow, user, "the user in field '" + field + "'");
        yield new String[] {"USER", user};
      }
      case MANAGER_CHAIN, ASSIGNEE_MANAGER ->
          // Refused at deploy: a chain is its step's sole approver, started by start().
          throw unresolvable("assignee %s is not an approver here".formatted(spec.type()));
    };
  }

  /** Passes when the user exists and is active; else an unresolvable assignee (INVALID_REQUEST). */
  void requireActiveUser(UnitOfWork uow, String userId, String what) {
    if (!assignees.within(uow).isActiveUser(userId)) {
      throw unresolvable("%s '%s' is unknown or inactive".formatted(what, userId));
    }
  }

  private static OrchestrionException unresolvable(String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "unresolvable assignee: " + message);
  }
}
