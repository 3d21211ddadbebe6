package io.orchestrion.engine.run;

import static io.orchestrion.api.run.EventKind.WORK_ITEM_ESCALATED;
import static io.orchestrion.api.run.EventKind.WORK_ITEM_REMINDED;
import static io.orchestrion.engine.run.model.Notifications.fields;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.calendar.BusinessCalendar;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.EscalationRung;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.approvals.Assignees;
import io.orchestrion.engine.calendars.BusinessDuration;
import io.orchestrion.engine.calendars.BusinessTime;
import io.orchestrion.engine.calendars.CalendarStore;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.queue.NewJob;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.security.SystemUsers;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Due times and escalation ladders of approval steps (docs/orchestrations.md, "Business calendars"
 * and "Escalation"): counts {@code dueIn} and each rung's {@code after} in the step's calendar (or
 * wall-clock time), schedules one ESCALATION job per rung when a work item is created, and carries
 * out REMIND and REASSIGN rungs. DECIDE rungs go through {@link RunEngine}'s decision path.
 */
final class EscalationLadder {
  /** Who the engine's own decisions are recorded as (decided_by, the audit's performer). */
  static final String ENGINE_ACTOR = SystemUsers.AUTOMATED_PROCESS_USER_ID;

  private final CalendarStore calendars;
  private final Assignees assignees;

  @Inject
  EscalationLadder(CalendarStore calendars, Assignees assignees) {
    this.calendars = calendars;
    this.assignees = assignees;
  }

  /** How a step's durations count: in its calendar's working time, or wall-clock time. */
  interface StepTime {
    Instant plus(Instant start, String duration);
  }

  /**
   * The step's time: its calendar's, read through {@code uow} (a change is seen by the next work
   * item on any node), or wall-clock time when it names none.
   *
   * @throws OrchestrionException INVALID_REQUEST when the calendar no longer exists
   */
  StepTime timeOf(UnitOfWork uow, StepDefinition.ApprovalStep definition) {
    if (definition.calendar().isEmpty()) {
      return (start, duration) -> start.plus(java.time.Duration.parse(duration));
    }
    String name = definition.calendar().get();
    Optional<BusinessCalendar> calendar;
    try {
      calendar = calendars.find(uow.transaction(), name);
    } catch (SQLException e) {
      throw Database.databaseError("reading calendar '" + name + "'", e);
    }
    BusinessTime time =
        BusinessTime.of(
            calendar.orElseThrow(
                () ->
                    new OrchestrionException(
                        StandardErrorCode.INVALID_REQUEST,
                        "calendar '%s' does not exist (deleted after the deploy?)"
                            .formatted(name))));
    return (start, duration) -> time.plus(start, BusinessDuration.parse(duration));
  }

  /**
   * One ESCALATION job per rung of the step's ladder, due {@code after} the item's creation; a rung
   * is never due before the rung above it.
   */
  void schedule(
      RunState run,
      StepInstance step,
      WorkItem item,
      StepDefinition.ApprovalStep definition,
      StepTime time) {
    Instant previous = item.createdAt();
    for (int r = 0; r < definition.escalation().size(); r++) {
      Instant due = time.plus(item.createdAt(), definition.escalation().get(r).after());
      if (due.isBefore(previous)) {
        due = previous;
      }
      run.outbox()
          .schedule(NewJob.escalation(run.id(), step.id(), step.attempt(), item.id(), r, due));
      previous = due;
    }
  }

  /** REMIND: WORK_ITEM_REMINDED; the item stays with its assignee. */
  void remind(RunState run, WorkItem item, EscalationRung rung, int index, Instant now) {
    Map<String, Object> payload = rungFields(item, rung, index);
    payload.put("comments", rung.comments().orElse(null));
    run.notifications().ofWorkItem(WORK_ITEM_REMINDED, item, payload, now);
  }

  /**
   * REASSIGN: gives the item to the rung's {@code to} and publishes WORK_ITEM_ESCALATED, with an
   * ESCALATE audit entry. When the target cannot be resolved (an unknown or inactive user, a
   * missing group or queue, ASSIGNEE_MANAGER of a group, a queue or a user without an active
   * manager), the item stays where it is: WORK_ITEM_REMINDED with the reason, and the audit entry
   * says why.
   */
  void reassign(
      UnitOfWork uow, RunState run, WorkItem item, EscalationRung rung, int index, Instant now) {
    Assignee from = item.assignee();
    Assignees people = assignees.within(uow);
    AssigneeSpec to = rung.to().orElseThrow();
    Assignee target;
    String reason = null;
    switch (to.type()) {
      case USER -> {
        String user = to.userId().orElseThrow();
        target = Assignee.user(user);
        if (!people.isActiveUser(user)) {
          reason = "user '%s' is unknown or inactive".formatted(user);
        }
      }
      case GROUP -> {
        String group = to.group().orElseThrow();
        target = Assignee.group(group);
        if (!people.groupExists(group)) {
          reason = "group '%s' does not exist".formatted(group);
        }
      }
      case QUEUE -> {
        String queue = to.queue().orElseThrow();
        target = Assignee.queue(queue);
        if (!people.queueExists(queue)) {
          reason = "queue '%s' does not exist".formatted(queue);
        }
      }
      case ASSIGNEE_MANAGER -> {
        Optional<String> manager =
            from.isUser()
                ? people.managerOf(from.id()).filter(people::isActiveUser)
                : Optional.empty();
        target = manager.map(Assignee::user).orElse(null);
        if (manager.isEmpty()) {
          reason =
              from.isUser()
                  ? "user '%s' has no active manager".formatted(from.id())
                  : "a %s assignee has no manager".formatted(from.type());
        }
      }
      default -> throw new IllegalStateException("deploy checks refuse 'to' " + to.type());
    }
    String rule = rule(rung, index);
    if (reason != null) {
      Map<String, Object> payload = rungFields(item, rung, index);
      payload.put("reason", "not reassigned: " + reason);
      run.notifications().ofWorkItem(WORK_ITEM_REMINDED, item, payload, now);
      run.outbox()
          .audit(
              new RunOutbox.AuditEntry(
                  "ESCALATE",
                  ENGINE_ACTOR,
                  "SYSTEM",
                  "SYSTEM",
                  Optional.of(
                      "%s: work item %s stays with %s: %s"
                          .formatted(rule, item.id(), from, reason)),
                  now));
      return;
    }
    run.reassign(item, target, WORK_ITEM_ESCALATED, rungFields(item, rung, index), now);
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                "ESCALATE",
                ENGINE_ACTOR,
                "SYSTEM",
                "SYSTEM",
                Optional.of(
                    "%s: work item %s from %s to %s".formatted(rule, item.id(), from, target)),
                now));
  }

  /** The comments of a DECIDE rung's decision: the rule that fired, then the rung's comments. */
  static String decisionComments(EscalationRung rung, int index) {
    return rule(rung, index) + rung.comments().map(c -> ": " + c).orElse("");
  }

  /** E.g. "escalation rung 3 after P3D" (rungs are numbered from 1, escalation[2] is rung 3). */
  static String rule(EscalationRung rung, int index) {
    return "escalation rung %d after %s".formatted(index + 1, rung.after());
  }

  private static Map<String, Object> rungFields(WorkItem item, EscalationRung rung, int index) {
    return fields(
        "step",
        item.stepName(),
        "rung",
        index + 1,
        "action",
        rung.action().name(),
        "after",
        rung.after());
  }
}
