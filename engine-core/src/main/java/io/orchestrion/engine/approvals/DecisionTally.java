package io.orchestrion.engine.approvals;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.orchestration.DecisionPolicy;
import io.orchestrion.api.orchestration.DecisionPolicy.PolicyType;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The decision policy of one approval step with several approvers (docs/orchestrations.md, "Several
 * approvers and decision policies"), as a pure state machine: decisions are recorded one at a time,
 * in the order the run's lock admitted them, and the first one that settles the step fixes its
 * outcome. After that no decision is accepted: the step settles exactly once.
 *
 * <ul>
 *   <li>a rejection by a veto approver settles REJECTED, whatever the policy;
 *   <li>FIRST_RESPONSE: the first decision settles, with its own value;
 *   <li>UNANIMOUS: every approver approves (APPROVED), or the first rejection (REJECTED);
 *   <li>QUORUM q: the q-th approval (APPROVED), or the decision after which fewer than q approvals
 *       remain possible (REJECTED).
 * </ul>
 *
 * Approvers are numbered 0..n-1 in definition order. Not thread-safe: one run's lock owns it.
 */
public final class DecisionTally {
  /** The step's outcome. */
  public enum Outcome {
    APPROVED,
    REJECTED
  }

  /** What settled the step: the policy or a veto. */
  public enum Rule {
    FIRST_RESPONSE,
    UNANIMOUS,
    QUORUM,
    VETO
  }

  /**
   * How a step settled.
   *
   * @param approved approvals counted when it settled
   * @param rejected rejections counted when it settled
   * @param approvers how many approvers the step has
   * @param needed approvals the policy needs (1, n or the quorum)
   * @param approver the approver whose decision settled it
   */
  public record Settlement(
      Outcome outcome,
      Rule rule,
      int approved,
      int rejected,
      int approvers,
      int needed,
      int approver) {
    public Settlement {
      requireNonNull(outcome, "outcome is null");
      requireNonNull(rule, "rule is null");
    }

    /** One line, such as {@code APPROVED by quorum (2 of 3)}. */
    public String describe() {
      return switch (rule) {
        case FIRST_RESPONSE -> outcome + " by the first response";
        case VETO -> outcome + " by veto";
        case UNANIMOUS ->
            outcome == Outcome.APPROVED
                ? "APPROVED unanimously (%d of %d)".formatted(approved, approvers)
                : "REJECTED: unanimous approval failed (%d of %d approved, 1 rejection)"
                    .formatted(approved, approvers);
        case QUORUM ->
            outcome == Outcome.APPROVED
                ? "APPROVED by quorum (%d of %d)".formatted(approved, approvers)
                : "REJECTED: a quorum of %d of %d can no longer be reached (%d approved, %d rejected)"
                    .formatted(needed, approvers, approved, rejected);
      };
    }
  }

  private final PolicyType type;
  private final int approvers;
  private final int needed;
  private final Set<Integer> veto;
  private final Set<Integer> decided = new HashSet<>();
  private int approved;
  private int rejected;
  private Settlement settlement;

  private DecisionTally(PolicyType type, int approvers, int needed, Set<Integer> veto) {
    this.type = type;
    this.approvers = approvers;
    this.needed = needed;
    this.veto = Set.copyOf(veto);
  }

  /**
   * A tally with no decision yet.
   *
   * @param approvers how many approvers (work items) the step has, at least 1
   * @param veto the approvers (by index) whose rejection settles the step
   * @throws IllegalArgumentException when the quorum or a veto index is out of range (the deploy
   *     checks refuse such definitions)
   */
  public static DecisionTally of(DecisionPolicy policy, int approvers, Set<Integer> veto) {
    if (approvers < 1) {
      throw new IllegalArgumentException("a step needs at least one approver");
    }
    int needed =
        switch (policy.type()) {
          case FIRST_RESPONSE -> 1;
          case UNANIMOUS -> approvers;
          case QUORUM ->
              policy.quorum().orElseThrow(() -> new IllegalArgumentException("no quorum"));
        };
    if (needed < 1 || needed > approvers) {
      throw new IllegalArgumentException(
          "quorum %d is not within 1..%d".formatted(needed, approvers));
    }
    for (int index : veto) {
      if (index < 0 || index >= approvers) {
        throw new IllegalArgumentException("veto approver " + index + " does not exist");
      }
    }
    return new DecisionTally(policy.type(), approvers, needed, veto);
  }

  /**
   * Records one approver's decision and says whether it settled the step.
   *
   * @throws IllegalStateException when the step is already settled or the approver has decided
   */
  public Optional<Settlement> record(int approver, boolean approve) {
    if (settlement != null) {
      throw new IllegalStateException("the step is already settled: " + settlement.describe());
    }
    if (approver < 0 || approver >= approvers || !decided.add(approver)) {
      throw new IllegalStateException("approver " + approver + " cannot decide (again)");
    }
    if (approve) {
      approved++;
    } else {
      rejected++;
    }
    settlement = settle(approver, approve);
    return Optional.ofNullable(settlement);
  }

  private Settlement settle(int approver, boolean approve) {
    if (!approve && veto.contains(approver)) {
      return settled(Outcome.REJECTED, Rule.VETO, approver);
    }
    return switch (type) {
      case FIRST_RESPONSE ->
          settled(approve ? Outcome.APPROVED : Outcome.REJECTED, Rule.FIRST_RESPONSE, approver);
      case UNANIMOUS ->
          !approve
              ? settled(Outcome.REJECTED, Rule.UNANIMOUS, approver)
              : approved == approvers ? settled(Outcome.APPROVED, Rule.UNANIMOUS, approver) : null;
      case QUORUM ->
          approved >= needed
              ? settled(Outcome.APPROVED, Rule.QUORUM, approver)
              : approved + pending() < needed
                  ? settled(Outcome.REJECTED, Rule.QUORUM, approver)
                  : null;
    };
  }

  private Settlement settled(Outcome outcome, Rule rule, int approver) {
    return new Settlement(outcome, rule, approved, rejected, approvers, needed, approver);
  }

  public Optional<Settlement> settlement() {
    return Optional.ofNullable(settlement);
  }

  public int approved() {
    return approved;
  }

  public int rejected() {
    return rejected;
  }

  /** Approvers who have not decided. */
  public int pending() {
    return approvers - approved - rejected;
  }

  /** Approvals the policy needs: 1 for a first response, all for unanimous, or the quorum. */
  public int needed() {
    return needed;
  }

  public int approvers() {
    return approvers;
  }

  public boolean hasDecided(int approver) {
    return decided.contains(approver);
  }

  /**
   * What is still needed while unsettled, such as {@code 1 more approval needed (quorum 2 of 3)};
   * for a first response {@code the first decision of 3 approvers settles the step}.
   */
  public String stillNeeded() {
    if (settlement != null) {
      return "nothing: " + settlement.describe();
    }
    if (type == PolicyType.FIRST_RESPONSE) {
      return "the first decision of %d approver%s settles the step"
          .formatted(approvers, approvers == 1 ? "" : "s");
    }
    int more = needed - approved;
    String plural = more == 1 ? "" : "s";
    return type == PolicyType.UNANIMOUS
        ? "%d more approval%s needed (all %d must approve)".formatted(more, plural, approvers)
        : "%d more approval%s needed (quorum %d of %d)".formatted(more, plural, needed, approvers);
  }
}
