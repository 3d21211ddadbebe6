package io.orchestrion.engine.orchestration;

import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.AssigneeSpec.AssigneeType;
import io.orchestrion.api.orchestration.DecisionPolicy;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.approvals.ManagerChain;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Deploy checks of an approval step's approvers and decision policy (docs/orchestrations.md,
 * "Several approvers and decision policies", "Approval chains"), each problem reported with its
 * JSON path: no approver listed twice; {@code quorum} given for QUORUM only, between 1 and the
 * number of approvers; every {@code veto} entry equal to one of the step's assignees; a
 * MANAGER_CHAIN as the step's sole approver, without a policy, with exactly one of {@code levels}
 * (1..10) and {@code upToRole}; {@code levels} and {@code upToRole} on MANAGER_CHAIN only.
 */
final class ApprovalPolicyChecks {
  private ApprovalPolicyChecks() {}

  /**
   * Checks {@code step} at {@code path} ({@code $.stages[0].steps[1]}); {@code error} receives a
   * problem's path and message.
   */
  static void check(
      String path, StepDefinition.ApprovalStep step, BiConsumer<String, String> error) {
    List<AssigneeSpec> approvers = step.approvers();
    for (int i = 0; i < approvers.size(); i++) {
      String at = approverPath(path, step, i);
      AssigneeSpec approver = approvers.get(i);
      int first = approvers.indexOf(approver);
      if (first < i) {
        error.accept(
            at,
            "approver assignees[%d] repeats assignees[%d]; an approver cannot count twice"
                .formatted(i, first));
      }
      if (approver.type() == AssigneeType.MANAGER_CHAIN) {
        checkChain(path, step, at, approver, error);
      } else if (approver.levels().isPresent() || approver.upToRole().isPresent()) {
        error.accept(
            at + (approver.levels().isPresent() ? ".levels" : ".upToRole"),
            "'levels' and 'upToRole' belong to assignee MANAGER_CHAIN, not " + approver.type());
      }
    }
    step.policy().ifPresent(policy -> checkPolicy(path + ".policy", policy, approvers, error));
  }

  /** {@code $...assignee} for a sole {@code assignee}, {@code $...assignees[i]} otherwise. */
  static String approverPath(String path, StepDefinition.ApprovalStep step, int index) {
    return step.assignee().isPresent() ? path + ".assignee" : path + ".assignees[" + index + "]";
  }

  private static void checkChain(
      String path,
      StepDefinition.ApprovalStep step,
      String at,
      AssigneeSpec chain,
      BiConsumer<String, String> error) {
    if (step.approvers().size() > 1) {
      error.accept(
          at + ".type",
          "MANAGER_CHAIN must be the step's sole approver (its levels decide one after another)");
    }
    if (step.policy().isPresent()) {
      error.accept(
          path + ".policy",
          "a MANAGER_CHAIN step settles level by level and takes no 'policy': every level must"
              + " approve, the first rejection rejects");
    }
    if (chain.levels().isPresent() == chain.upToRole().isPresent()) {
      error.accept(at, "MANAGER_CHAIN needs exactly one of 'levels' and 'upToRole'");
    }
    chain
        .levels()
        .filter(levels -> levels < 1 || levels > ManagerChain.MAX_LEVELS)
        .ifPresent(
            levels ->
                error.accept(
                    at + ".levels",
                    "levels must be between 1 and %d, not %d"
                        .formatted(ManagerChain.MAX_LEVELS, levels)));
    chain
        .upToRole()
        .filter(String::isBlank)
        .ifPresent(role -> error.accept(at + ".upToRole", "upToRole must name a directory role"));
  }

  private static void checkPolicy(
      String path,
      DecisionPolicy policy,
      List<AssigneeSpec> approvers,
      BiConsumer<String, String> error) {
    if (policy.type() == DecisionPolicy.PolicyType.QUORUM) {
      if (policy.quorum().isEmpty()) {
        error.accept(path + ".quorum", "a QUORUM policy needs 'quorum'");
      } else if (policy.quorum().get() < 1 || policy.quorum().get() > approvers.size()) {
        error.accept(
            path + ".quorum",
            "quorum must be between 1 and the number of approvers (%d), not %d"
                .formatted(approvers.size(), policy.quorum().get()));
      }
    } else if (policy.quorum().isPresent()) {
      error.accept(path + ".quorum", "'quorum' belongs to the QUORUM policy, not " + policy.type());
    }
    for (int v = 0; v < policy.veto().size(); v++) {
      AssigneeSpec veto = policy.veto().get(v);
      if (!approvers.contains(veto)) {
        error.accept(
            path + ".veto[" + v + "]",
            "a veto entry must equal one of the step's assignees (the same type and id)");
      } else if (policy.veto().indexOf(veto) < v) {
        error.accept(path + ".veto[" + v + "]", "veto entry repeated");
      }
    }
  }
}
