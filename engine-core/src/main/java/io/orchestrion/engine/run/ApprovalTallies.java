package io.orchestrion.engine.run;

import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.DecisionPolicy;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.approvals.DecisionTally;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.WorkItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tally of an approval step as its outputs and explanations show it (docs/orchestrations.md,
 * "Several approvers and decision policies"): {@code approvalTally} {policy, approvers, needed,
 * quorum, approved, rejected, pending, veto, settledBy, settlement} and {@code approvalDecisions}
 * [{approver, level, assignee, decision, decidedBy, decidedAt, comments}].
 */
final class ApprovalTallies {
  static final String TALLY = "approvalTally";
  static final String DECISIONS = "approvalDecisions";

  private ApprovalTallies() {}

  /** The counts of a policy step (before "settledBy" and "settlement" are added). */
  static Map<String, Object> policySummary(
      StepDefinition.ApprovalStep definition, DecisionTally tally) {
    DecisionPolicy policy = definition.effectivePolicy();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("policy", policy.type().name());
    summary.put("approvers", tally.approvers());
    summary.put("needed", tally.needed());
    policy.quorum().ifPresent(quorum -> summary.put("quorum", quorum));
    summary.put("approved", tally.approved());
    summary.put("rejected", tally.rejected());
    summary.put("pending", tally.pending());
    summary.put("veto", policy.veto().stream().map(ApprovalTallies::describe).toList());
    return summary;
  }

  /**
   * The counts of a manager chain: levels approved, rejected (0 or 1), and the levels still to come
   * ({@code chain} is the chain as resolved now, null when unknown — after a rejection).
   */
  static Map<String, Object> chainSummary(
      RunState run, StepDefinition.ApprovalStep definition, WorkItem current, List<String> chain) {
    AssigneeSpec spec = definition.approvers().get(0);
    int approved = 0;
    int rejected = 0;
    List<Integer> approvedLevels = new ArrayList<>();
    for (WorkItem item : ApprovalDecisions.itemsOfAttempt(run, current)) {
      if (item.status() == WorkItemStatus.APPROVED) {
        approved++;
        approvedLevels.add(item.chainLevel().orElse(null));
      } else if (item.status() == WorkItemStatus.REJECTED) {
        rejected++;
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("policy", "MANAGER_CHAIN");
    spec.levels().ifPresent(levels -> summary.put("levels", levels));
    spec.upToRole().ifPresent(role -> summary.put("upToRole", role));
    summary.put("approved", approved);
    summary.put("rejected", rejected);
    summary.put("approvedLevels", approvedLevels);
    if (chain != null) {
      summary.put("chain", chain);
      summary.put("pending", Math.max(0, chain.size() - approved - rejected));
    } else if (spec.levels().isPresent()) {
      summary.put("pending", Math.max(0, spec.levels().get() - approved - rejected));
    }
    return summary;
  }

  /** Who decided what in the item's step attempt, in approver order (chain: level order). */
  static List<Map<String, Object>> decisions(RunState run, WorkItem anyItem) {
    List<Map<String, Object>> decisions = new ArrayList<>();
    for (WorkItem item : ApprovalDecisions.itemsOfAttempt(run, anyItem)) {
      if (!item.isDecided()) {
        continue;
      }
      Map<String, Object> decision = new LinkedHashMap<>();
      decision.put("approver", item.approverIndex());
      item.chainLevel().ifPresent(level -> decision.put("level", level));
      decision.put("assignee", item.assignee().toString());
      decision.put("decision", item.decision().map(Enum::name).orElse(null));
      decision.put("decidedBy", item.decidedBy().orElse(null));
      decision.put("decidedAt", String.valueOf(item.decidedAt().orElse(null)));
      decision.put("comments", item.comments().orElse(null));
      decisions.add(decision);
    }
    return decisions;
  }

  /**
   * An assignee spec in words: {@code USER cfo}, {@code QUEUE Finance}, {@code SUBMITTER_MANAGER}.
   */
  static String describe(AssigneeSpec spec) {
    return switch (spec.type()) {
      case USER -> "USER " + spec.userId().orElse("?");
      case GROUP -> "GROUP " + spec.group().orElse("?");
      case QUEUE -> "QUEUE " + spec.queue().orElse("?");
      case RECORD_FIELD -> "RECORD_FIELD " + spec.field().orElse("?");
      case SUBMITTER_MANAGER, MANAGER_CHAIN, ASSIGNEE_MANAGER -> spec.type().name();
    };
  }
}
