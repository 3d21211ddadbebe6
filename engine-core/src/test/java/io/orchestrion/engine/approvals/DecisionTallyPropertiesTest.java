package io.orchestrion.engine.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.orchestration.DecisionPolicy;
import io.orchestrion.api.orchestration.DecisionPolicy.PolicyType;
import io.orchestrion.engine.approvals.DecisionTally.Outcome;
import io.orchestrion.engine.approvals.DecisionTally.Settlement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any policy, approvers, veto list, decisions and order of arrival: the step settles exactly
 * once, at the earliest decision the policy allows, and its outcome is the policy's definition
 * (stated here independently of the order-by-order state machine).
 */
class DecisionTallyPropertiesTest {
  /**
   * One generated case: approver i decides {@code approves.get(i)}; they arrive in {@code order}.
   */
  record Case(
      PolicyType type, int quorum, Set<Integer> veto, List<Boolean> approves, List<Integer> order) {
    int approvers() {
      return approves.size();
    }

    DecisionPolicy policy() {
      return new DecisionPolicy(
          type, type == PolicyType.QUORUM ? Optional.of(quorum) : Optional.empty(), List.of());
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.integers()
        .between(1, 7)
        .flatMap(
            n ->
                Combinators.combine(
                        Arbitraries.of(PolicyType.class),
                        Arbitraries.integers().between(1, n),
                        Arbitraries.integers().between(0, n - 1).set().ofMaxSize(n),
                        Arbitraries.of(true, false).list().ofSize(n),
                        Arbitraries.longs())
                    .as(
                        (type, quorum, veto, approves, seed) -> {
                          List<Integer> order = new ArrayList<>();
                          for (int i = 0; i < n; i++) {
                            order.add(i);
                          }
                          Collections.shuffle(order, new Random(seed));
                          return new Case(type, quorum, new TreeSet<>(veto), approves, order);
                        }));
  }

  @Property(tries = 2000)
  void settlesExactlyOnceWithThePolicysOutcome(@ForAll("cases") Case c) {
    DecisionTally tally = DecisionTally.of(c.policy(), c.approvers(), c.veto());
    Settlement settlement = null;
    int settledAt = -1;
    for (int k = 0; k < c.order().size(); k++) {
      int approver = c.order().get(k);
      Optional<Settlement> result = tally.record(approver, c.approves().get(approver));
      if (result.isPresent()) {
        settlement = result.get();
        settledAt = k + 1;
        break;
      }
    }
    // Every approver decided at the latest: settled, once; nothing is accepted afterwards.
    assertThat(settlement).as("settled after all decisions").isNotNull();
    assertThat(tally.settlement()).contains(settlement);
    for (int approver = 0; approver < c.approvers(); approver++) {
      int next = approver;
      assertThatThrownBy(() -> tally.record(next, true)).isInstanceOf(IllegalStateException.class);
    }
    assertThat(settlement.approved() + settlement.rejected()).isEqualTo(settledAt);

    assertThat(settlement.outcome()).isEqualTo(expectedOutcome(c));
    assertThat(settledAt).isEqualTo(expectedSettlingDecision(c));
  }

  /** The policy's definition, over the whole sequence of decisions. */
  private static Outcome expectedOutcome(Case c) {
    List<Boolean> arrived = c.order().stream().map(c.approves()::get).toList();
    int firstVeto = firstVetoRejection(c);
    return switch (c.type()) {
      case FIRST_RESPONSE -> arrived.get(0) ? Outcome.APPROVED : Outcome.REJECTED;
      case UNANIMOUS -> arrived.contains(false) ? Outcome.REJECTED : Outcome.APPROVED;
      case QUORUM -> {
        int quorumReachedAt = nthApproval(arrived, c.quorum());
        yield quorumReachedAt > 0 && (firstVeto < 0 || firstVeto > quorumReachedAt)
            ? Outcome.APPROVED
            : Outcome.REJECTED;
      }
    };
  }

  /** The 1-based position of the decision that must settle the step. */
  private static int expectedSettlingDecision(Case c) {
    List<Boolean> arrived = c.order().stream().map(c.approves()::get).toList();
    int n = arrived.size();
    int firstVeto = firstVetoRejection(c);
    int firstRejection = arrived.indexOf(false) + 1;
    int byPolicy =
        switch (c.type()) {
          case FIRST_RESPONSE -> 1;
          case UNANIMOUS -> firstRejection > 0 ? firstRejection : n;
          case QUORUM -> {
            int reached = nthApproval(arrived, c.quorum());
            if (reached > 0) {
              yield reached;
            }
            // The first position after which fewer than quorum approvals remain possible.
            int approved = 0;
            int position = 0;
            for (boolean approve : arrived) {
              position++;
              approved += approve ? 1 : 0;
              if (approved + (n - position) < c.quorum()) {
                break;
              }
            }
            yield position;
          }
        };
    return firstVeto > 0 ? Math.min(firstVeto, byPolicy) : byPolicy;
  }

  private static int firstVetoRejection(Case c) {
    for (int k = 0; k < c.order().size(); k++) {
      int approver = c.order().get(k);
      if (!c.approves().get(approver) && c.veto().contains(approver)) {
        return k + 1;
      }
    }
    return -1;
  }

  private static int nthApproval(List<Boolean> arrived, int nth) {
    int seen = 0;
    for (int k = 0; k < arrived.size(); k++) {
      if (arrived.get(k) && ++seen == nth) {
        return k + 1;
      }
    }
    return -1;
  }
}
