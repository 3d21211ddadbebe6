package io.orchestrion.testkit;

import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.WorkItemView;
import java.time.Instant;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one work item of a run; failures show the whole run. */
public final class WorkItemAssert extends AbstractAssert<WorkItemAssert, WorkItemView> {
  private final RunAssert run;

  WorkItemAssert(WorkItemView actual, RunAssert run) {
    super(actual, WorkItemAssert.class);
    this.run = run;
  }

  public WorkItemAssert hasStatus(WorkItemStatus expected) {
    if (actual.status() != expected) {
      throw failure(
          "Expected the work item of step '%s' to be %s but it is %s"
              .formatted(actual.stepName(), expected, actual.status()));
    }
    return this;
  }

  /** Waiting for a decision. */
  public WorkItemAssert isAssigned() {
    return hasStatus(WorkItemStatus.ASSIGNED);
  }

  public WorkItemAssert isApproved() {
    return hasStatus(WorkItemStatus.APPROVED);
  }

  public WorkItemAssert isRejected() {
    return hasStatus(WorkItemStatus.REJECTED);
  }

  /** Assigned to the user {@code userId} (not a group or queue). */
  public WorkItemAssert isAssignedTo(String userId) {
    return hasAssignee("USER", userId);
  }

  /** Assigned to the queue {@code queueId}. */
  public WorkItemAssert isAssignedToQueue(String queueId) {
    return hasAssignee("QUEUE", queueId);
  }

  /** Assigned to the public group {@code groupId}. */
  public WorkItemAssert isAssignedToGroup(String groupId) {
    return hasAssignee("GROUP", groupId);
  }

  private WorkItemAssert hasAssignee(String type, String id) {
    if (!actual.assigneeType().equals(type) || !actual.assigneeId().equals(id)) {
      throw failure(
          "Expected the work item of step '%s' to be assigned to %s %s but it is assigned to %s %s"
              .formatted(actual.stepName(), type, id, actual.assigneeType(), actual.assigneeId()));
    }
    return this;
  }

  /** Due at {@code expected} (the step's {@code dueIn} after the item was created). */
  public WorkItemAssert isDueAt(Instant expected) {
    if (!actual.dueAt().map(expected::equals).orElse(false)) {
      throw failure(
          "Expected the work item of step '%s' to be due at %s but it is %s"
              .formatted(
                  actual.stepName(),
                  expected,
                  actual.dueAt().map(due -> "due at " + due).orElse("not due ever")));
    }
    return this;
  }

  /** Decided (approved or rejected) by {@code userId}. */
  public WorkItemAssert wasDecidedBy(String userId) {
    if (!actual.decidedBy().map(userId::equals).orElse(false)) {
      throw failure(
          "Expected the work item of step '%s' to be decided by %s but it %s"
              .formatted(
                  actual.stepName(),
                  userId,
                  actual.decidedBy().map(by -> "was decided by " + by).orElse("is undecided")));
    }
    return this;
  }

  /** Back to the run, to go on chaining. */
  public RunAssert run() {
    return run;
  }

  private AssertionError failure(String message) {
    return run.runFailure(message, info.descriptionText());
  }
}
