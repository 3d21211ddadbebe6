package io.orchestrion.engine.approvals;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A decided work item of a submission, as cross-step separation of duties ({@link
 * ApprovalRules#breaksDistinctApprovers}) compares it with a new decision.
 *
 * @param onBehalfOf the user on whose behalf {@code decidedBy}, their delegate, decided
 */
public record PriorDecision(
    String stepName,
    String workItemId,
    String decidedBy,
    Optional<String> onBehalfOf,
    Instant decidedAt) {
  public PriorDecision {
    requireNonNull(stepName, "stepName is null");
    requireNonNull(workItemId, "workItemId is null");
    requireNonNull(decidedBy, "decidedBy is null");
    requireNonNull(onBehalfOf, "onBehalfOf is null");
    requireNonNull(decidedAt, "decidedAt is null");
  }

  /**
   * Why a decision by {@code deciders} is refused because of this one: names the rule and this
   * decision (step, work item, who, when).
   */
  public String refusal(String actorId, String workItemId, String stepName) {
    return ("user '%s' may not decide work item '%s' of step '%s': the orchestration requires"
            + " distinct approvers (distinctApprovers), and step '%s' was already decided by %s"
            + " (work item '%s' at %s)")
        .formatted(
            actorId,
            workItemId,
            stepName,
            this.stepName,
            onBehalfOf
                .map(user -> "'%s' on behalf of '%s'".formatted(decidedBy, user))
                .orElse("'" + decidedBy + "'"),
            this.workItemId,
            decidedAt);
  }
}
