package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.orchestrion.api.flow.ValueSpec;
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
   * Puts a work item in front of a person.
   *
   * @param dueIn ISO-8601 duration after which an OVERDUE event is published
   */
  record ApprovalStep(
      String name,
      AssigneeSpec assignee,
      RejectPolicy onReject,
      Optional<String> dueIn,
      Optional<ConditionSpec> start,
      Boolean required)
      implements StepDefinition {
    public ApprovalStep {
      requireNonNull(name, "name is null");
      requireNonNull(assignee, "assignee is null");
      onReject = onReject == null ? RejectPolicy.REJECT_SUBMISSION : onReject;
      dueIn = dueIn == null ? Optional.empty() : dueIn;
      start = start == null ? Optional.empty() : start;
      required = required == null ? Boolean.TRUE : required;
    }
  }

  enum RejectPolicy {
    REJECT_SUBMISSION,
    CONTINUE
  }
}
