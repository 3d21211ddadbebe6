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
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.flow.HostFailures;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Starts an approval step (SPEC §8): resolves its assignee (a user, group or queue, the submitter's
 * manager, or the user in a record field — active users only), creates the work item and, with a
 * due time (business time with the step's calendar), its OVERDUE job, and its escalation rungs'
 * jobs. An assignee or a calendar that cannot be resolved fails the step.
 */
final class ApprovalStepStarter {
  private final Assignees assignees;
  private final EscalationLadder ladder;

  @Inject
  ApprovalStepStarter(Assignees assignees, EscalationLadder ladder) {
    this.assignees = assignees;
    this.ladder = ladder;
  }

  /** SPEC §8: one work item, ASSIGNED to the resolved assignee; an unresolvable one errors. */
  void start(
      Transaction tx,
      RunState run,
      RunState.StepInstance step,
      StepDefinition.ApprovalStep definition,
      PassResolver resolver,
      Instant now) {
    step.attempt++;
    step.setStatus(StepStatus.IN_PROGRESS, now);
    run.notifications.ofStep(
        STEP_STARTED, step, fields("stepKind", step.kind, "attempt", step.attempt), now);
    String[] assignee;
    EscalationLadder.StepTime time;
    try {
      assignee = resolveAssignee(tx, definition.approvers().get(0), run, resolver);
      time = ladder.timeOf(tx, definition);
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      run.failStep(step, "step '%s' could not start: %s".formatted(step.name, e.getMessage()), now);
      return;
    }
    RunState.WorkItem item = new RunState.WorkItem(Ids.next(), step.id, step.name, now);
    item.isNew = true;
    item.status = WorkItemStatus.ASSIGNED;
    item.assigneeType = assignee[0];
    item.assigneeId = assignee[1];
    if (definition.dueIn().isPresent()) {
      item.dueAt = time.plus(now, definition.dueIn().get());
      run.newJobs.add(NewJob.overdue(run.id, step.id, step.attempt, item.dueAt));
    }
    run.workItems.add(item);
    ladder.schedule(run, step, item, definition, time);
    run.notifications.ofWorkItem(
        WORK_ITEM_CREATED,
        item,
        fields("dueAt", item.dueAt == null ? null : item.dueAt.toString()),
        now);
    step.executionReason = "work item assigned to " + assignee[0] + " " + assignee[1];
  }

  private String[] resolveAssignee(
      Transaction tx, AssigneeSpec spec, RunState run, PassResolver resolver) {
    return switch (spec.type()) {
      case USER -> {
        String user = spec.userId().orElseThrow();
        requireActiveUser(tx, user, "assignee USER");
        yield new String[] {"USER", user};
      }
      case GROUP -> {
        String group = spec.group().orElseThrow();
        if (!assignees.within(tx).groupExists(group)) {
          throw unresolvable("group '%s' does not exist".formatted(group));
        }
        yield new String[] {"GROUP", group};
      }
      case QUEUE -> {
        String queue = spec.queue().orElseThrow();
        if (!assignees.within(tx).queueExists(queue)) {
          throw unresolvable("queue '%s' does not exist".formatted(queue));
        }
        yield new String[] {"QUEUE", queue};
      }
      case SUBMITTER_MANAGER -> {
        String submitter = run.submission.submitterId;
        String manager =
            assignees
                .within(tx)
                .managerOf(submitter)
                .orElseThrow(
                    () -> unresolvable("submitter '%s' has no manager".formatted(submitter)));
        requireActiveUser(tx, manager, "the submitter's manager");
        yield new String[] {"USER", manager};
      }
      case RECORD_FIELD -> {
        String field = spec.field().orElseThrow();
        Object value = resolver.resolve(new Reference.RecordField(field).text()).orElse(null);
        if (!(value instanceof String user) || user.isBlank()) {
          throw unresolvable("field '%s' of the record holds no user id".formatted(field));
        }
        requireActiveUser(tx, user, "the user in field '" + field + "'");
        yield new String[] {"USER", user};
      }
      case MANAGER_CHAIN, ASSIGNEE_MANAGER ->
          throw unresolvable("assignee %s is not supported yet".formatted(spec.type()));
    };
  }

  /** Passes when the user exists and is active; else an unresolvable assignee (INVALID_REQUEST). */
  void requireActiveUser(Transaction tx, String userId, String what) {
    if (!assignees.within(tx).isActiveUser(userId)) {
      throw unresolvable("%s '%s' is unknown or inactive".formatted(what, userId));
    }
  }

  private static OrchestrionException unresolvable(String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST, "unresolvable assignee: " + message);
  }
}
