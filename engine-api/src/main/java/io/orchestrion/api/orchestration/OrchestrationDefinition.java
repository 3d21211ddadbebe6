package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.VariableDefinition;
import java.util.List;
import java.util.Optional;

/**
 * A deployable orchestration for records of {@code objectType}.
 *
 * @param variables orchestration variables, written by step output mappings
 * @param recallStage background steps that run when a submission is recalled
 * @param timeZone the zone of {@code $Today} and time-based conditions (default: the engine's)
 * @param allowSubmitterApproval whether a submitter may decide work items of their own submission
 * @param distinctApprovers whether one person (or their delegate) may decide at most one approval
 *     step of a submission
 */
public record OrchestrationDefinition(
    String apiName,
    String objectType,
    Optional<String> description,
    List<VariableDefinition> variables,
    List<StageDefinition> stages,
    Optional<StageDefinition> recallStage,
    Optional<String> timeZone,
    boolean allowSubmitterApproval,
    boolean distinctApprovers) {
  public OrchestrationDefinition {
    requireNonNull(apiName, "apiName is null");
    requireNonNull(objectType, "objectType is null");
    description = description == null ? Optional.empty() : description;
    variables = variables == null ? List.of() : List.copyOf(variables);
    stages = stages == null ? List.of() : List.copyOf(stages);
    recallStage = recallStage == null ? Optional.empty() : recallStage;
    timeZone = timeZone == null ? Optional.empty() : timeZone;
  }

  public Optional<StageDefinition> stage(String name) {
    return stages.stream().filter(stage -> stage.name().equals(name)).findFirst();
  }
}
