package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.approvals.ManagerChain;
import io.orchestrion.engine.queue.JobKind;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.HostFailures;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      PassResolver resolver,
      Instant now) {
    run.startStep(step, now);
    List<AssigneeSpec> approvers = definition.approvers();
    List<Assignee> resolved = new ArrayList<>();
    EscalationLadder.StepTime time;
    try {
      time = ladder.timeOf(uow, definition);
      if (isChain(definition)) {
        String first = chainOf(uow, run, definition).get(0);
        resolved.add(Assignee.user(first));
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
      run.failStep(
          step, "step '%s' could not start: %s".formatted(step.name(), e.getMessage()), now);
      return;
    }
    for (int i = 0; i < resolved.size(); i++) {
      createItem(
          run,
          step,
          definition,
          i,
          resolved.get(i),
          isChain(definition) ? Optional.of(1) : Optional.empty(),
          time,
          now);
    }
    run.explainStep(
        step,
        isChain(definition)
            ? "manager chain level 1 assigned to " + resolved.get(0)
            : resolved.size() == 1
                ? "work item assigned to " + resolved.get(0)
                : "%d work items assigned, decided by %s"
                    .formatted(resolved.size(), definition.effectivePolicy().type()));
  }

  /** Whether the step's approver is a MANAGER_CHAIN (then its sole approver, deploy checks). */
  static boolean isChain(StepDefinition.ApprovalStep definition) {
    return definition.approvers().get(0).type() == AssigneeSpec.AssigneeType.MANAGER_CHAIN;
  }

  /** The step's manager chain as the directory says now (unresolvable: INVALID_REQUEST). */
  List<String> chainOf(UnitOfWork uow, RunState run, StepDefinition.ApprovalStep definition) {
    return ManagerChain.resolve(
        assignees.within(uow), run.submission().submitterId(), definition.approvers().get(0));
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
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      int approverIndex,
      Assignee assignee,
      Optional<Integer> chainLevel,
      EscalationLadder.StepTime time,
      Instant now) {
    Optional<Instant> dueAt = definition.dueIn().map(dueIn -> time.plus(now, dueIn));
    WorkItem item =
        run.assign(
            new WorkItem.Placement(
                step.id(), step.name(), step.attempt(), approverIndex, chainLevel, dueAt),
            assignee,
            now);
    if (dueAt.isPresent()) {
      // One OVERDUE job per step and due time: it publishes for every item then due.
      if (!run.outbox()
          .hasNewJob(
              job ->
                  job.kind() == JobKind.OVERDUE
                      && job.stepInstanceId().equals(Optional.of(step.id()))
                      && job.dueAt().equals(dueAt.get()))) {
        run.outbox().schedule(NewJob.overdue(run.id(), step.id(), step.attempt(), dueAt.get()));
      }
    }
    ladder.schedule(run, step, item, definition, time);
  }

  private Assignee resolveApprover(
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
  private static void requireDistinct(List<Assignee> resolved) {
    for (int i = 0; i < resolved.size(); i++) {
      for (int j = i + 1; j < resolved.size(); j++) {
        if (resolved.get(i).equals(resolved.get(j))) {
          throw unresolvable(
              "approvers %d and %d (assignees[%d] and assignees[%d]) both resolve to %s; an"
                      .formatted(i, j, i, j, resolved.get(i))
                  + " assignee cannot count twice");
        }
      }
    }
  }

  private Assignee resolveAssignee(
      UnitOfWork uow, AssigneeSpec spec, RunState run, PassResolver resolver) {
    return switch (spec.type()) {
      case USER -> {
        String user = spec.userId().orElseThrow();
        requireActiveUser(uow, user, "assignee USER");
        yield Assignee.user(user);
      }
      case GROUP -> {
        String group = spec.group().orElseThrow();
        if (!assignees.within(uow).groupExists(group)) {
          throw unresolvable("group '%s' does not exist".formatted(group));
        }
        yield Assignee.group(group);
      }
      case QUEUE -> {
        String queue = spec.queue().orElseThrow();
        if (!assignees.within(uow).queueExists(queue)) {
          throw unresolvable("queue '%s' does not exist".formatted(queue));
        }
        yield Assignee.queue(queue);
      }
      case SUBMITTER_MANAGER -> {
        String submitter = run.submission().submitterId();
        String manager =
            assignees
                .within(uow)
                .managerOf(submitter)
                .orElseThrow(
                    () -> unresolvable("submitter '%s' has no manager".formatted(submitter)));
        requireActiveUser(uow, manager, "the submitter's manager");
        yield Assignee.user(manager);
      }
      case RECORD_FIELD -> {
        String field = spec.field().orElseThrow();
        Object value = resolver.resolve(new Reference.RecordField(field).text()).orElse(null);
        if (!(value instanceof String user) || user.isBlank()) {
          throw unresolvable("field '%s' of the record holds no user id".formatted(field));
        }
        requireActiveUser(uow, user, "the user in field '" + field + "'");
        yield Assignee.user(user);
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
