package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One rung of an approval step's escalation ladder (docs/orchestrations.md, "Escalation"): {@code
 * after} the work item was created (an ISO-8601 duration, business time when the step names a
 * calendar), if the item is still undecided, the action happens once.
 *
 * @param to for REASSIGN: a USER, GROUP or QUEUE, or ASSIGNEE_MANAGER (the current assignee's
 *     manager)
 * @param decision for DECIDE: APPROVE or REJECT, recorded as decided by the engine
 * @param comments for DECIDE: the comments recorded with the decision
 */
public record EscalationRung(
    String after,
    EscalationAction action,
    Optional<AssigneeSpec> to,
    Optional<String> decision,
    Optional<String> comments) {
  public EscalationRung {
    requireNonNull(after, "after is null");
    requireNonNull(action, "action is null");
    to = to == null ? Optional.empty() : to;
    decision = decision == null ? Optional.empty() : decision;
    comments = comments == null ? Optional.empty() : comments;
  }

  public enum EscalationAction {
    /** Publishes WORK_ITEM_REMINDED; the item stays with its assignee. */
    REMIND,
    /** Gives the item to {@code to}; publishes WORK_ITEM_ESCALATED. */
    REASSIGN,
    /** Decides the item as the engine, with the rule that fired. */
    DECIDE
  }
}
