package io.orchestrion.engine.run.model;

import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import java.time.Instant;
import java.util.Optional;

/**
 * A work item of an approval step (SPEC §8): its assignee, and the decision once taken. Part of the
 * {@link RunState} aggregate: changed only by its transitions.
 */
public final class WorkItem {
  private final String id;
  private final String stepInstanceId;
  private final String stepName;
  private final Instant createdAt;
  private final int approverIndex;
  private final Integer chainLevel;
  private final int stepAttempt;
  private final Instant dueAt;
  private WorkItemStatus status;
  private Assignee assignee;
  private Decision decision;
  private String comments;
  private String decidedBy;
  private String decidedOnBehalfOf;
  private Instant decidedAt;
  private Instant updatedAt;
  private boolean isNew;
  private boolean changed;

  /** What a work item is for: which step attempt, which approver, which chain level, due when. */
  public record Placement(
      String stepInstanceId,
      String stepName,
      int stepAttempt,
      int approverIndex,
      Optional<Integer> chainLevel,
      Optional<Instant> dueAt) {}

  /** Its decision as stored (each column nullable). */
  public record StoredDecision(
      Decision decision,
      String comments,
      String decidedBy,
      String decidedOnBehalfOf,
      Instant decidedAt) {}

  /** A stored work item, as the repository loads it. */
  public WorkItem(
      String id,
      Placement placement,
      Instant createdAt,
      WorkItemStatus status,
      Assignee assignee,
      StoredDecision decision,
      Instant updatedAt) {
    this.id = id;
    this.stepInstanceId = placement.stepInstanceId();
    this.stepName = placement.stepName();
    this.stepAttempt = placement.stepAttempt();
    this.approverIndex = placement.approverIndex();
    this.chainLevel = placement.chainLevel().orElse(null);
    this.dueAt = placement.dueAt().orElse(null);
    this.createdAt = createdAt;
    this.status = status;
    this.assignee = assignee;
    this.decision = decision.decision();
    this.comments = decision.comments();
    this.decidedBy = decision.decidedBy();
    this.decidedOnBehalfOf = decision.decidedOnBehalfOf();
    this.decidedAt = decision.decidedAt();
    this.updatedAt = updatedAt;
  }

  static WorkItem assigned(Placement placement, Assignee assignee, Instant now) {
    WorkItem item =
        new WorkItem(
            Ids.next(),
            placement,
            now,
            WorkItemStatus.ASSIGNED,
            assignee,
            new StoredDecision(null, null, null, null, null),
            now);
    item.isNew = true;
    return item;
  }

  public String id() {
    return id;
  }

  public String stepInstanceId() {
    return stepInstanceId;
  }

  public String stepName() {
    return stepName;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** Which approver of the step's definition (0-based, definition order) the item is for. */
  public int approverIndex() {
    return approverIndex;
  }

  /** Its level in a MANAGER_CHAIN (1 = the submitter's manager); empty for other approvers. */
  public Optional<Integer> chainLevel() {
    return Optional.ofNullable(chainLevel);
  }

  /** The step attempt that created it: a retried step counts only its new items. */
  public int stepAttempt() {
    return stepAttempt;
  }

  public Optional<Instant> dueAt() {
    return Optional.ofNullable(dueAt);
  }

  public WorkItemStatus status() {
    return status;
  }

  /** Whether it still waits for a decision (ASSIGNED). */
  public boolean isOpen() {
    return status == WorkItemStatus.ASSIGNED;
  }

  /** Whether it was APPROVED or REJECTED. */
  public boolean isDecided() {
    return status == WorkItemStatus.APPROVED || status == WorkItemStatus.REJECTED;
  }

  public Assignee assignee() {
    return assignee;
  }

  public Optional<Decision> decision() {
    return Optional.ofNullable(decision);
  }

  public Optional<String> comments() {
    return Optional.ofNullable(comments);
  }

  public Optional<String> decidedBy() {
    return Optional.ofNullable(decidedBy);
  }

  /** The user on whose behalf {@link #decidedBy()}, their delegate, decided. */
  public Optional<String> decidedOnBehalfOf() {
    return Optional.ofNullable(decidedOnBehalfOf);
  }

  public Optional<Instant> decidedAt() {
    return Optional.ofNullable(decidedAt);
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public boolean isNew() {
    return isNew;
  }

  public boolean isChanged() {
    return changed && !isNew;
  }

  void decide(
      Decision decision,
      Optional<String> comments,
      String actorId,
      Optional<String> onBehalfOf,
      Instant now) {
    this.decision = decision;
    this.comments = comments.orElse(null);
    this.decidedBy = actorId;
    this.decidedOnBehalfOf = onBehalfOf.orElse(null);
    this.decidedAt = now;
    setStatus(
        decision == Decision.APPROVE ? WorkItemStatus.APPROVED : WorkItemStatus.REJECTED, now);
  }

  void reassign(Assignee to, Instant now) {
    this.assignee = to;
    setStatus(WorkItemStatus.ASSIGNED, now);
  }

  void close(WorkItemStatus status, Instant now) {
    setStatus(status, now);
  }

  private void setStatus(WorkItemStatus status, Instant now) {
    this.status = status;
    this.updatedAt = now;
    this.changed = true;
  }

  void markPersisted() {
    isNew = false;
    changed = false;
  }
}
