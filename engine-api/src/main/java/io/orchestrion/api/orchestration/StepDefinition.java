package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.orchestrion.api.flow.ValueSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step of a stage. The JSON property {@code kind} is {@code BACKGROUND} or {@code APPROVAL}.
 * Without {@code start}, a step starts when its stage starts. {@code required} (default true) says
 * whether the stage's default exit waits for it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = StepDefinition.BackgroundStep.class, name = "BACKGROUND"),
  @JsonSubTypes.Type(value = StepDefinition.ApprovalStep.class, name = "APPROVAL")
})
public sealed interface StepDefinition {
  String name();

  Optional<ConditionSpec> start();

  Boolean required();

  /** The start condition, {@code STAGE_STARTS} when none is given. */
  default ConditionSpec effectiveStart() {
    return start().orElse(ConditionSpec.of("STAGE_STARTS"));
  }

  /**
   * Launches an autolaunched flow.
   *
   * @param inputs flow input variable name to value
   * @param outputs flow output variable name to orchestration variable name
   */
  record BackgroundStep(
      String name,
      String flow,
      Map<String, ValueSpec> inputs,
      Map<String, String> outputs,
      RunAsSpec runAs,
      Optional<ConditionSpec> start,
      Boolean required)
      implements StepDefinition {
    public BackgroundStep {
      requireNonNull(name, "name is null");
      requireNonNull(flow, "flow is null");
      inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
      outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
      runAs = runAs == null ? RunAsSpec.AUTOMATED_PROCESS_USER : runAs;
      start = start == null ? Optional.empty() : start;
      required = required == null ? Boolean.TRUE : required;
    }
  }

  /**
   * Puts work items in front of people (SPEC §8, docs/orchestrations.md "Approval steps").
   *
   * @param assignee the one approver, when the step has one; exactly one of {@code assignee} and
   *     {@code assignees} is given
   * @param assignees several approvers (any mix of assignee kinds), settled by {@code policy}
   * @param policy how the approvers' decisions settle the step (default: first response)
   * @param dueIn ISO-8601 duration after which an OVERDUE event is published (business time when
   *     {@code calendar} is given)
   * @param calendar the business calendar that {@code dueIn} and the escalation durations count in
   * @param escalation rungs that fire, in order, while a work item stays undecided
   */
  record ApprovalStep(
      String name,
      Optional<AssigneeSpec> assignee,
      List<AssigneeSpec> assignees,
      Optional<DecisionPolicy> policy,
      RejectPolicy onReject,
      Optional<String> dueIn,
      Optional<String> calendar,
      List<EscalationRung> escalation,
      Optional<ConditionSpec> start,
      Boolean required)
      implements StepDefinition {
    public ApprovalStep {
      requireNonNull(name, "name is null");
      assignee = assignee == null ? Optional.empty() : assignee;
      assignees = assignees == null ? List.of() : List.copyOf(assignees);
      policy = policy == null ? Optional.empty() : policy;
      onReject = onReject == null ? RejectPolicy.REJECT_SUBMISSION : onReject;
      dueIn = dueIn == null ? Optional.empty() : dueIn;
      calendar = calendar == null ? Optional.empty() : calendar;
      escalation = escalation == null ? List.of() : List.copyOf(escalation);
      start = start == null ? Optional.empty() : start;
      required = required == null ? Boolean.TRUE : required;
    }

    /** The approvers in definition order: {@code assignee} alone, or {@code assignees}. */
    public List<AssigneeSpec> approvers() {
      return assignee.map(List::of).orElse(assignees);
    }

    /** The decision policy, first response when none is given. */
    public DecisionPolicy effectivePolicy() {
      return policy.orElse(DecisionPolicy.FIRST);
    }
  }

  enum RejectPolicy {
    REJECT_SUBMISSION,
    CONTINUE
  }
}
