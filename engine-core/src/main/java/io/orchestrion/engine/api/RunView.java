package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StageStatus;
import io.orchestrion.api.run.StepStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An orchestration run with its stage and step instances, as the API shows it. */
public record RunView(
    String id,
    String submissionId,
    String orchestration,
    int orchestrationVersion,
    RunStatus status,
    Optional<String> error,
    Map<String, Object> variables,
    List<Stage> stages,
    Instant createdAt,
    Instant updatedAt) {
  public RunView {
    requireNonNull(id, "id is null");
    requireNonNull(submissionId, "submissionId is null");
    requireNonNull(orchestration, "orchestration is null");
    requireNonNull(status, "status is null");
    requireNonNull(error, "error is null");
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    stages = List.copyOf(stages);
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }

  /** One stage instance; a re-entered stage has several. */
  public record Stage(
      String id,
      String name,
      StageStatus status,
      List<Step> steps,
      Instant startedAt,
      Optional<Instant> endedAt) {
    public Stage {
      requireNonNull(id, "id is null");
      requireNonNull(name, "name is null");
      requireNonNull(status, "status is null");
      steps = List.copyOf(steps);
      requireNonNull(startedAt, "startedAt is null");
      requireNonNull(endedAt, "endedAt is null");
    }
  }

  /**
   * One step instance. For background steps: the flow version it launched, whether it ran
   * synchronously or asynchronously and why ({@code executionReason}), and who it ran as.
   */
  public record Step(
      String id,
      String name,
      String kind,
      StepStatus status,
      Optional<String> flow,
      Optional<Integer> flowVersion,
      Optional<ExecutionMode> executionMode,
      Optional<String> executionReason,
      int attempt,
      Optional<String> runAsUserId,
      Optional<RunMode> runMode,
      Map<String, Object> outputs,
      Optional<String> error,
      Optional<Instant> startedAt,
      Optional<Instant> endedAt) {
    public Step {
      requireNonNull(id, "id is null");
      requireNonNull(name, "name is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(status, "status is null");
      requireNonNull(flow, "flow is null");
      requireNonNull(flowVersion, "flowVersion is null");
      requireNonNull(executionMode, "executionMode is null");
      requireNonNull(executionReason, "executionReason is null");
      requireNonNull(runAsUserId, "runAsUserId is null");
      requireNonNull(runMode, "runMode is null");
      outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
      requireNonNull(error, "error is null");
      requireNonNull(startedAt, "startedAt is null");
      requireNonNull(endedAt, "endedAt is null");
    }
  }
}
