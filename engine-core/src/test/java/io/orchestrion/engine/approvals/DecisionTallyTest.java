package io.orchestrion.engine.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.orchestration.DecisionPolicy;
import io.orchestrion.api.orchestration.DecisionPolicy.PolicyType;
import io.orchestrion.engine.approvals.DecisionTally.Outcome;
import io.orchestrion.engine.approvals.DecisionTally.Rule;
import io.orchestrion.engine.approvals.DecisionTally.Settlement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTallyTest {
  private static final DecisionPolicy UNANIMOUS =
      new DecisionPolicy(PolicyType.UNANIMOUS, Optional.empty(), List.of());

  private static DecisionPolicy quorum(int quorum) {
    return new DecisionPolicy(PolicyType.QUORUM, Optional.of(quorum), List.of());
  }

  @Test
  void theFirstResponseSettlesWithItsOwnValue() {
    DecisionTally tally = DecisionTally.of(DecisionPolicy.FIRST, 3, Set.of());
    assertThat(tally.stillNeeded()).isEqualTo("the first decision of 3 approvers settles the step");
    Settlement settled = tally.record(2, false).orElseThrow();
    assertThat(settled.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(settled.rule()).isEqualTo(Rule.FIRST_RESPONSE);
    assertThat(settled.approver()).isEqualTo(2);
    assertThat(settled.describe()).isEqualTo("REJECTED by the first response");
    assertThatThrownBy(() -> tally.record(0, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already settled");
  }

  @Test
  void unanimousNeedsEveryApprovalAndTheFirstRejectionSettles() {
    DecisionTally approving = DecisionTally.of(UNANIMOUS, 3, Set.of());
    assertThat(approving.record(0, true)).isEmpty();
    assertThat(approving.stillNeeded()).isEqualTo("2 more approvals needed (all 3 must approve)");
    assertThat(approving.record(2, true)).isEmpty();
    Settlement approved = approving.record(1, true).orElseThrow();
    assertThat(approved.outcome()).isEqualTo(Outcome.APPROVED);
    assertThat(approved.describe()).isEqualTo("APPROVED unanimously (3 of 3)");

    DecisionTally rejecting = DecisionTally.of(UNANIMOUS, 3, Set.of());
    assertThat(rejecting.record(0, true)).isEmpty();
    Settlement rejected = rejecting.record(1, false).orElseThrow();
    assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(rejected.rule()).isEqualTo(Rule.UNANIMOUS);
    assertThat(rejecting.pending()).isEqualTo(1);
  }

  @Test
  void aQuorumSettlesOnItsLastApprovalOrWhenItCanNoLongerBeReached() {
    DecisionTally tally = DecisionTally.of(quorum(2), 3, Set.of());
    assertThat(tally.record(1, false)).isEmpty();
    assertThat(tally.stillNeeded()).isEqualTo("2 more approvals needed (quorum 2 of 3)");
    assertThat(tally.record(0, true)).isEmpty();
    assertThat(tally.stillNeeded()).isEqualTo("1 more approval needed (quorum 2 of 3)");
    Settlement approved = tally.record(2, true).orElseThrow();
    assertThat(approved.describe()).isEqualTo("APPROVED by quorum (2 of 3)");

    DecisionTally unreachable = DecisionTally.of(quorum(2), 3, Set.of());
    assertThat(unreachable.record(0, false)).isEmpty();
    Settlement rejected = unreachable.record(2, false).orElseThrow();
    assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(rejected.describe())
        .isEqualTo(
            "REJECTED: a quorum of 2 of 3 can no longer be reached (0 approved, 2 rejected)");
    assertThat(unreachable.hasDecided(1)).isFalse();
  }

  @Test
  void aVetoRejectionSettlesWhateverThePolicy() {
    DecisionTally tally = DecisionTally.of(quorum(1), 3, Set.of(2));
    assertThat(tally.record(0, false)).isEmpty();
    Settlement vetoed = tally.record(2, false).orElseThrow();
    assertThat(vetoed.rule()).isEqualTo(Rule.VETO);
    assertThat(vetoed.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(vetoed.describe()).isEqualTo("REJECTED by veto");

    DecisionTally approvalByVetoHolder = DecisionTally.of(quorum(2), 3, Set.of(2));
    assertThat(approvalByVetoHolder.record(2, true)).isEmpty();
  }

  @Test
  void refusesImpossiblePoliciesAndRepeatedDecisions() {
    assertThatThrownBy(() -> DecisionTally.of(quorum(4), 3, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTally.of(quorum(0), 3, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DecisionTally.of(UNANIMOUS, 2, Set.of(2)))
        .isInstanceOf(IllegalArgumentException.class);
    DecisionTally tally = DecisionTally.of(UNANIMOUS, 2, Set.of());
    tally.record(0, true);
    assertThatThrownBy(() -> tally.record(0, true)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> tally.record(5, true)).isInstanceOf(IllegalStateException.class);
  }
}
