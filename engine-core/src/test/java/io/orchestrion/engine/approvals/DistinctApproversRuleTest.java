package io.orchestrion.engine.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ApprovalRules#breaksDistinctApprovers} and {@link ApprovalRules#deciders}: the rule the
 * engine and {@code allowedActions} share. The engine-level behaviour (403 text, delegates) is in
 * DelegationContract; these are the cases a two-step orchestration cannot show, such as several
 * items of one step.
 */
class DistinctApproversRuleTest {
  private static final Instant AT = Instant.parse("2025-01-15T09:30:00Z");

  @Test
  void severalItemsOfTheSameStepAreNotTwoSteps() {
    List<PriorDecision> earlier = List.of(decision("Panel", "w1", "bob", Optional.empty()));

    assertThat(
            ApprovalRules.breaksDistinctApprovers(
                true, "Panel", ApprovalRules.deciders("bob", Optional.empty()), earlier))
        .isEmpty();
    assertThat(
            ApprovalRules.breaksDistinctApprovers(
                true, "Finance", ApprovalRules.deciders("bob", Optional.empty()), earlier))
        .contains(earlier.getFirst());
  }

  @Test
  void theDelegateAndTheUserOnWhoseBehalfTheyDecidedBothCount() {
    List<PriorDecision> earlier =
        List.of(
            decision("Manager", "w1", "ann", Optional.empty()),
            decision("Director", "w2", "dave", Optional.of("bob")));

    assertThat(breaks("bob", Optional.empty(), earlier))
        .map(PriorDecision::workItemId)
        .contains("w2");
    assertThat(breaks("dave", Optional.empty(), earlier))
        .map(PriorDecision::workItemId)
        .contains("w2");
    assertThat(breaks("erin", Optional.of("bob"), earlier))
        .map(PriorDecision::workItemId)
        .contains("w2");
    assertThat(breaks("erin", Optional.of("carol"), earlier)).isEmpty();
    assertThat(
            ApprovalRules.breaksDistinctApprovers(
                false, "Finance", ApprovalRules.deciders("bob", Optional.empty()), earlier))
        .isEmpty();
  }

  @Test
  void decisionsOfTheEngineDoNotCount() {
    List<PriorDecision> earlier =
        List.of(decision("Manager", "w1", "automated-process", Optional.empty()));

    assertThat(breaks("automated-process", Optional.empty(), earlier)).isEmpty();
    assertThat(ApprovalRules.deciders("automated-process", Optional.empty())).isEmpty();
    assertThat(ApprovalRules.deciders("dave", Optional.of("bob"))).isEqualTo(Set.of("dave", "bob"));
  }

  @Test
  void theRefusalNamesTheRuleAndTheEarlierDecision() {
    assertThat(
            decision("Manager", "w1", "dave", Optional.of("bob")).refusal("bob", "w2", "Director"))
        .isEqualTo(
            "user 'bob' may not decide work item 'w2' of step 'Director': the orchestration"
                + " requires distinct approvers (distinctApprovers), and step 'Manager' was"
                + " already decided by 'dave' on behalf of 'bob' (work item 'w1' at"
                + " 2025-01-15T09:30:00Z)");
  }

  private static Optional<PriorDecision> breaks(
      String userId, Optional<String> onBehalfOf, List<PriorDecision> earlier) {
    return ApprovalRules.breaksDistinctApprovers(
        true, "Finance", ApprovalRules.deciders(userId, onBehalfOf), earlier);
  }

  private static PriorDecision decision(
      String step, String itemId, String decidedBy, Optional<String> onBehalfOf) {
    return new PriorDecision(step, itemId, decidedBy, onBehalfOf, AT);
  }
}
