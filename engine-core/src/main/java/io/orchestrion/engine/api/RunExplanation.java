package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Why is this step waiting?" (SPEC §5.5): the current truth of the stage's exit condition and of
 * the start condition of every NOT_STARTED step of the current stage, evaluated at {@code
 * evaluatedAt} against the record as it is now.
 *
 * @param note why nothing moves regardless of conditions (a SUSPENDED, ERROR or finished run)
 * @param stage the current stage, when the run has one
 * @param nextRecheckAt the durable timer that evaluates the run again without any event
 * @param approvals the IN_PROGRESS approval steps of the current stage: who has decided what and
 *     what is still needed
 */
public record RunExplanation(
    String runId,
    RunStatus status,
    Optional<String> note,
    Optional<String> stage,
    Optional<ConditionExplanation> exit,
    List<StepExplanation> steps,
    Optional<Instant> nextRecheckAt,
    Instant evaluatedAt,
    List<ApprovalExplanation> approvals) {
  public RunExplanation {
    requireNonNull(runId, "runId is null");
    requireNonNull(status, "status is null");
    requireNonNull(note, "note is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(exit, "exit is null");
    steps = List.copyOf(steps);
    requireNonNull(nextRecheckAt, "nextRecheckAt is null");
    requireNonNull(evaluatedAt, "evaluatedAt is null");
    approvals = approvals == null ? List.of() : List.copyOf(approvals);
  }

  /** Without approval steps in progress. */
  public RunExplanation(
      String runId,
      RunStatus status,
      Optional<String> note,
      Optional<String> stage,
      Optional<ConditionExplanation> exit,
      List<StepExplanation> steps,
      Optional<Instant> nextRecheckAt,
      Instant evaluatedAt) {
    this(runId, status, note, stage, exit, steps, nextRecheckAt, evaluatedAt, List.of());
  }

  /**
   * An approval step waiting for decisions (docs/orchestrations.md, "Several approvers and decision
   * policies").
   *
   * @param policy FIRST_RESPONSE, UNANIMOUS, QUORUM or MANAGER_CHAIN
   * @param approved approvals so far (a chain: levels approved)
   * @param pending approvers who have not decided (a chain: levels still to come, when known)
   * @param stillNeeded in words, such as {@code 1 more approval needed (quorum 2 of 3); veto: USER
   *     cfo}
   * @param waitingFor the assignees of the open work items, such as {@code QUEUE Finance}
   * @param decisions who decided what: {approver, level, assignee, decision, decidedBy, decidedAt,
   *     comments}
   */
  public record ApprovalExplanation(
      String step,
      String policy,
      int approved,
      int rejected,
      int pending,
      String stillNeeded,
      List<String> waitingFor,
      List<Map<String, Object>> decisions) {
    public ApprovalExplanation {
      requireNonNull(step, "step is null");
      requireNonNull(policy, "policy is null");
      requireNonNull(stillNeeded, "stillNeeded is null");
      waitingFor = List.copyOf(waitingFor);
      decisions = List.copyOf(decisions);
    }
  }

  /**
   * One condition's answer: its type, whether it holds, a one-line reason and the structured
   * details (requirement rows with resolved values, an evaluation flow's answer and inputs).
   */
  public record ConditionExplanation(
      String type,
      boolean met,
      String explanation,
      Map<String, Object> details,
      Optional<Instant> recheckAt) {
    public ConditionExplanation {
      requireNonNull(type, "type is null");
      requireNonNull(explanation, "explanation is null");
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
      requireNonNull(recheckAt, "recheckAt is null");
    }
  }

  /**
   * A step that has not started, with its start condition; {@code blockedForever} says why it can
   * no longer start at all (the step it waits for ended without completing), when that is so.
   */
  public record StepExplanation(
      String name,
      String kind,
      StepStatus status,
      boolean required,
      ConditionExplanation start,
      Optional<String> blockedForever) {
    public StepExplanation {
      requireNonNull(name, "name is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(status, "status is null");
      requireNonNull(start, "start is null");
      requireNonNull(blockedForever, "blockedForever is null");
    }
  }
}
