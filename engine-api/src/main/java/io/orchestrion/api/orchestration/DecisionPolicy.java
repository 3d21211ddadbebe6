package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How the decisions of an approval step's approvers settle it (docs/orchestrations.md, "Decision
 * policies").
 *
 * @param type FIRST_RESPONSE, UNANIMOUS or QUORUM
 * @param quorum for QUORUM: how many approvals settle the step
 * @param veto approvers (each one of the step's assignees) whose rejection settles the step
 *     whatever the policy
 */
public record DecisionPolicy(PolicyType type, Optional<Integer> quorum, List<AssigneeSpec> veto) {
  /** The default: the first decision settles the step. */
  public static final DecisionPolicy FIRST =
      new DecisionPolicy(PolicyType.FIRST_RESPONSE, Optional.empty(), List.of());

  public DecisionPolicy {
    requireNonNull(type, "type is null");
    quorum = quorum == null ? Optional.empty() : quorum;
    veto = veto == null ? List.of() : List.copyOf(veto);
  }

  public enum PolicyType {
    /** The first decision settles the step; the other work items are canceled. */
    FIRST_RESPONSE,
    /** Every work item must approve; the first rejection settles the step. */
    UNANIMOUS,
    /** {@code quorum} approvals settle it; rejected as soon as the quorum can no longer be met. */
    QUORUM
  }
}
