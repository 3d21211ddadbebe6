package io.orchestrion.engine.run;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.api.RunExplanation.ApprovalExplanation;
import io.orchestrion.engine.approvals.DecisionTally;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StageInstance;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.run.model.StepKind;
import io.orchestrion.engine.run.model.WorkItem;
import io.orchestrion.engine.work.UnitOfWork;
import io.orchestrion.flow.HostFailures;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains the approval steps a run waits for (SPEC §5.5, docs/orchestrations.md "Several approvers
 * and decision policies"): for each IN_PROGRESS approval step of the current stage, who has decided
 * what, who is still asked, and what the policy still needs. Reads only.
 */
final class ApprovalExplanations {
  private final ApprovalStepStarter starter;

  @Inject
  ApprovalExplanations(ApprovalStepStarter starter) {
    this.starter = starter;
  }

  List<ApprovalExplanation> explain(
      UnitOfWork uow, RunState run, CompiledOrchestration orchestration, StageInstance stage) {
    List<ApprovalExplanation> approvals = new ArrayList<>();
    for (StepInstance step : run.stepsOf(stage)) {
      if (step.status() != StepStatus.IN_PROGRESS || step.kind() != StepKind.APPROVAL) {
        continue;
      }
      List<WorkItem> items = new ArrayList<>();
      for (WorkItem item : run.workItems()) {
        if (item.stepInstanceId().equals(step.id()) && item.stepAttempt() == step.attempt()) {
          items.add(item);
        }
      }
      if (items.isEmpty()) {
        continue;
      }
      StepDefinition.ApprovalStep definition =
          ApprovalDecisions.definitionOf(run, orchestration, step);
      approvals.add(
          ApprovalStepStarter.isChain(definition)
              ? chain(uow, run, step, definition, items)
              : policy(run, step, definition, items));
    }
    return approvals;
  }

  private static ApprovalExplanation policy(
      RunState run,
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      List<WorkItem> items) {
    WorkItem open =
        items.stream()
            .filter(item -> item.status() == WorkItemStatus.ASSIGNED)
            .findFirst()
            .orElse(items.get(0));
    // The tally without the open item's (missing) decision: the decisions made so far.
    DecisionTally tally = ApprovalDecisions.tallyOf(run, definition, open);
    String needed = tally.stillNeeded();
    List<AssigneeSpec> veto = definition.effectivePolicy().veto();
    if (!veto.isEmpty()) {
      needed +=
          "; veto: " + String.join(", ", veto.stream().map(ApprovalTallies::describe).toList());
    }
    return new ApprovalExplanation(
        step.name(),
        definition.effectivePolicy().type().name(),
        tally.approved(),
        tally.rejected(),
        tally.pending(),
        needed,
        waitingFor(items),
        ApprovalTallies.decisions(run, open));
  }

  private ApprovalExplanation chain(
      UnitOfWork uow,
      RunState run,
      StepInstance step,
      StepDefinition.ApprovalStep definition,
      List<WorkItem> items) {
    int approved =
        (int) items.stream().filter(item -> item.status() == WorkItemStatus.APPROVED).count();
    WorkItem current =
        items.stream()
            .filter(item -> item.status() == WorkItemStatus.ASSIGNED)
            .findFirst()
            .orElse(items.get(items.size() - 1));
    int level = current.chainLevel().orElse(1);
    String needed;
    int pending;
    try {
      List<String> chain = starter.chainOf(uow, run, definition);
      pending = Math.max(0, chain.size() - approved);
      needed =
          "level %d of %d (%s %s) must approve%s"
              .formatted(
                  level,
                  chain.size(),
                  current.assignee().type().name(),
                  current.assignee().id(),
                  level < chain.size()
                      ? ", then " + String.join(", ", chain.subList(level, chain.size()))
                      : "");
    } catch (OrchestrionException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      pending = 1;
      needed =
          "level %d (%s %s) must approve; the rest of the chain cannot be resolved now: %s"
              .formatted(
                  level, current.assignee().type().name(), current.assignee().id(), e.getMessage());
    }
    return new ApprovalExplanation(
        step.name(),
        "MANAGER_CHAIN",
        approved,
        0,
        pending,
        needed,
        waitingFor(items),
        ApprovalTallies.decisions(run, current));
  }

  private static List<String> waitingFor(List<WorkItem> items) {
    return items.stream()
        .filter(item -> item.status() == WorkItemStatus.ASSIGNED)
        .map(item -> item.assignee().toString())
        .toList();
  }
}
