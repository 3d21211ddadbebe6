package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.DecisionPolicy;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.approvals.DecisionTally;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.run.model.Assignee;
import io.orchestrion.engine.run.model.RunOutbox;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.HostFailures;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one decision on a work item, under the run's lock (docs/orchestrations.md, "Several
 * approvers and decision policies", "Approval chains"): records it, counts it with the step's
 * decision policy, and when that settles the step cancels its other open items and completes it
 * with the outcome and the tally; a manager chain's approval assigns the next level instead. The
 * caller has authorized the decider and evaluates and persists the run afterwards.
 */
final class ApprovalDecisions {
  private final ApprovalStepStarter starter;

  @Inject
  ApprovalDecisions(ApprovalStepStarter starter) {
    this.starter = starter;
  }

  /**
   * Passes when the item can be decided; else 409 saying why: who decided it already, or how its
   * step settled (an item canceled because the step was settled by the other approvers).
   */
  static void requireOpen(RunState run, WorkItem item) {
    if (item.isOpen()) {
      return;
    }
    Optional<String> settled =
        run.step(item.stepInstanceId())
            .filter(step -> step.status() == StepStatus.COMPLETED)
            .map(step -> step.outputs().get(ApprovalTallies.TALLY))
            .filter(Map.class::isInstance)
            .map(tally -> ((Map<?, ?>) tally).get("settlement"))
            .map(String::valueOf);
    String message;
    if (item.decidedBy().isPresent()) {
      message =
          "work item '%s' was already %s by '%s' at %s"
              .formatted(
                  item.id(), item.status(), item.decidedBy().get(), item.decidedAt().orElse(null));
    } else if (item.status() == WorkItemStatus.CANCELED && settled.isPresent()) {
      message =
          "work item '%s' is CANCELED: step '%s' was already settled: %s"
              .formatted(item.id(), item.stepName(), settled.get());
    } else {
      message = "work item '%s' is %s, not ASSIGNED".formatted(item.id(), item.status());
    }
    throw new OrchestrionException(StandardErrorCode.CONFLICT, message);
  }

  /**
   * Records {@code actorId}'s decision on the open {@code item} (already authorized, {@code role}
   * and {@code onBehalfOf} as {@link RunPermissions#requireMayDecide} answered: a delegate decides
   * on behalf of the user; or the engine's escalation rung, channel SYSTEM), then applies the
   * step's policy.
   */
  void apply(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      WorkItem item,
      Decision decision,
      Optional<String> comments,
      String actorId,
      String role,
      Optional<String> onBehalfOf,
      String channel,
      Instant now) {
    run.decide(item, decision, comments, actorId, onBehalfOf, now);
    run.outbox()
        .audit(
            new RunOutbox.AuditEntry(
                "REVIEW",
                actorId,
                role,
                channel,
                Optional.of(
                    decision
                        + onBehalfOf.map(user -> " on behalf of " + user).orElse("")
                        + comments.map(c -> ": " + c).orElse("")),
                now));
    StepInstance step = run.step(item.stepInstanceId()).orElseThrow();
    if (step.status() != StepStatus.IN_PROGRESS) {
      return;
    }
    StepDefinition.ApprovalStep definition = definitionOf(run, orchestration, step);
    if (ApprovalStepStarter.isChain(definition)) {
      applyChainLevel(uow, run, orchestration, step, definition, item, now);
    } else {
      applyPolicy(run, orchestration, step, definition, item, now);
    }
  }

  private void applyPolicy(
      RunState run,
      CompiledOrchestration orchestration,
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      WorkItem item,
      Instant now) {
    DecisionTally tally = tallyOf(run, definition, item);
    Optional<DecisionTally.Settlement> settled =
        tally.record(item.approverIndex(), item.status() == WorkItemStatus.APPROVED);
    if (settled.isPresent()) {
      DecisionTally.Settlement settlement = settled.get();
      String description = settlement.describe();
      if (settlement.rule() == DecisionTally.Rule.FIRST_RESPONSE
          || settlement.rule() == DecisionTally.Rule.VETO) {
        description += " of '" + item.decidedBy().orElseThrow() + "'";
      }
      Map<String, Object> summary = ApprovalTallies.policySummary(definition, tally);
      summary.put("settledBy", settlement.rule().name());
      summary.put("settlement", description);
      settle(
          run,
          orchestration,
          step,
          definition,
          item,
          settlement.outcome() == DecisionTally.Outcome.APPROVED,
          summary,
          now);
    }
  }

  /**
   * The tally of the item's step attempt before {@code item}'s decision: the earlier decisions, in
   * the order they were made (none of them settled the step, or it would not be open).
   */
  static DecisionTally tallyOf(
      RunState run, StepDefinition.ApprovalStep definition, WorkItem item) {
    DecisionTally tally =
        DecisionTally.of(
            definition.effectivePolicy(), definition.approvers().size(), vetoIndexes(definition));
    run.workItems().stream()
        .filter(other -> other != item && sameAttempt(other, item))
        .filter(other -> other.decidedAt().isPresent() && other.isDecided())
        .sorted(Comparator.comparing((WorkItem other) -> other.decidedAt().orElseThrow()))
        .forEach(
            other ->
                tally.record(other.approverIndex(), other.status() == WorkItemStatus.APPROVED));
    return tally;
  }

  /** The approvers (by index) whose rejection settles the step: each veto entry's equal. */
  static Set<Integer> vetoIndexes(StepDefinition.ApprovalStep definition) {
    Set<Integer> indexes = new LinkedHashSet<>();
    DecisionPolicy policy = definition.effectivePolicy();
    List<AssigneeSpec> approvers = definition.approvers();
    for (AssigneeSpec veto : policy.veto()) {
      int index = approvers.indexOf(veto);
      if (index >= 0) {
        indexes.add(index);
      }
    }
    return indexes;
  }

  private void applyChainLevel(
      UnitOfWork uow,
      RunState run,
      CompiledOrchestration orchestration,
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      WorkItem item,
      Instant now) {
    int level = item.chainLevel().orElse(1);
    if (item.status() == WorkItemStatus.REJECTED) {
      Map<String, Object> summary = ApprovalTallies.chainSummary(run, definition, item, null);
      summary.put("settledBy", "MANAGER_CHAIN");
      summary.put(
          "settlement",
          "REJECTED at level %d of the manager chain by '%s'"
              .formatted(level, item.decidedBy().orElseThrow()));
      settle(run, orchestration, step, definition, item, false, summary, now);
      return;
    }
    List<String> chain;
    EscalationLadder.StepTime time;
    try {
      chain = starter.chainOf(uow, run, definition);
      time = starter.timeOf(uow, definition);
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      run.failStep(
          step,
          "step '%s' could not assign level %d: %s"
              .formatted(step.name(), level + 1, e.getMessage()),
          now);
      return;
    }
    if (level >= chain.size()) {
      Map<String, Object> summary = ApprovalTallies.chainSummary(run, definition, item, chain);
      summary.put("settledBy", "MANAGER_CHAIN");
      summary.put(
          "settlement",
          "APPROVED by the manager chain (%d of %d levels)".formatted(level, chain.size()));
      settle(run, orchestration, step, definition, item, true, summary, now);
      return;
    }
    starter.createItem(
        run,
        step,
        definition,
        0,
        Assignee.user(chain.get(level)),
        Optional.of(level + 1),
        time,
        now);
    run.explainStep(
        step, "manager chain level %d assigned to USER %s".formatted(level + 1, chain.get(level)));
  }

  /**
   * The step settled: its other open items are canceled, it completes with the outcome, the
   * settling decision's comments and the tally, and a rejection applies {@code onReject}.
   */
  private static void settle(
      RunState run,
      CompiledOrchestration orchestration,
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      WorkItem settling,
      boolean approved,
      Map<String, Object> summary,
      Instant now) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("approvalDecision", approved ? "APPROVE" : "REJECT");
    outputs.put("approvalComments", settling.comments().orElse(null));
    outputs.put(ApprovalTallies.TALLY, summary);
    outputs.put(ApprovalTallies.DECISIONS, ApprovalTallies.decisions(run, settling));
    run.settle(orchestration, step, approved, outputs, now);
    if (!approved
        && definition.onReject() == StepDefinition.RejectPolicy.REJECT_SUBMISSION
        && run.status() == RunStatus.IN_PROGRESS) {
      // SPEC §5.4: the run ends at once; running steps are discontinued, open items canceled.
      run.rejectSubmission(now);
    }
  }

  static boolean sameAttempt(WorkItem a, WorkItem b) {
    return a.stepInstanceId().equals(b.stepInstanceId()) && a.stepAttempt() == b.stepAttempt();
  }

  static StepDefinition.ApprovalStep definitionOf(
      RunState run, CompiledOrchestration orchestration, StepInstance step) {
    return (StepDefinition.ApprovalStep)
        run.stageOf(step).compiledIn(orchestration).steps().get(step.stepIndex()).definition();
  }

  /** Items of {@code item}'s step attempt, approver order then chain level. */
  static List<WorkItem> itemsOfAttempt(RunState run, WorkItem item) {
    List<WorkItem> items = new ArrayList<>();
    for (WorkItem other : run.workItems()) {
      if (sameAttempt(other, item)) {
        items.add(other);
      }
    }
    items.sort(
        Comparator.comparingInt(WorkItem::approverIndex)
            .thenComparingInt(other -> other.chainLevel().orElse(0)));
    return items;
  }
}
