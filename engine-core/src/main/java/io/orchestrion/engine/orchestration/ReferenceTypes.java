package io.orchestrion.engine.orchestration;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The types of the references an orchestration's conditions may use (SPEC §5.2), for deploy-time
 * checks: {@code $Record.<field>}, {@code $Submission.<property>}, {@code $Step.<name>.status},
 * {@code $Step.<name>.outputs.<output>}, {@code $Stage.<name>.status}, {@code $Now}, {@code
 * $Today}, {@code $Run.id} and orchestration variables.
 */
final class ReferenceTypes {
  private final Optional<ObjectTypeDefinition> objectType;
  private final Map<String, VariableDefinition> variables;
  private final Map<String, StepDefinition> steps = new HashMap<>();
  private final Map<String, StageDefinition> stages = new HashMap<>();
  private final Function<String, Optional<FlowDefinition>> flows;
  private final Map<String, Optional<FlowDefinition>> flowCache = new HashMap<>();

  ReferenceTypes(
      OrchestrationDefinition definition,
      Optional<ObjectTypeDefinition> objectType,
      Map<String, VariableDefinition> variables,
      Function<String, Optional<FlowDefinition>> flows) {
    this.objectType = objectType;
    this.variables = variables;
    this.flows = flows;
    for (StageDefinition stage : definition.stages()) {
      stages.putIfAbsent(stage.name(), stage);
      stage.steps().forEach(step -> steps.putIfAbsent(step.name(), step));
    }
    definition
        .recallStage()
        .ifPresent(stage -> stage.steps().forEach(step -> steps.putIfAbsent(step.name(), step)));
  }

  Optional<DataType> type(String reference) {
    if (reference.startsWith("$Record.")) {
      return objectType
          .flatMap(type -> type.field(reference.substring("$Record.".length())))
          .map(FieldDefinition::type);
    }
    if (reference.startsWith("$Submission.")) {
      return switch (reference.substring("$Submission.".length())) {
        case "id", "recordId", "objectType", "comments" -> Optional.of(DataType.TEXT);
        case "submitterId" -> Optional.of(DataType.USER);
        default -> Optional.empty();
      };
    }
    if (reference.startsWith("$Step.")) {
      String[] parts = reference.split("\\.", 4);
      if (parts.length < 3 || !steps.containsKey(parts[1])) {
        return Optional.empty();
      }
      if (parts.length == 3 && parts[2].equals("status")) {
        return Optional.of(DataType.PICKLIST);
      }
      if (parts.length == 4 && parts[2].equals("outputs")) {
        return outputType(steps.get(parts[1]), parts[3]);
      }
      return Optional.empty();
    }
    if (reference.startsWith("$Stage.")) {
      String[] parts = reference.split("\\.", 3);
      return parts.length == 3 && parts[2].equals("status") && stages.containsKey(parts[1])
          ? Optional.of(DataType.PICKLIST)
          : Optional.empty();
    }
    return switch (reference) {
      case "$Now" -> Optional.of(DataType.DATETIME);
      case "$Today" -> Optional.of(DataType.DATE);
      case "$Run.id" -> Optional.of(DataType.TEXT);
      default -> Optional.ofNullable(variables.get(reference)).map(VariableDefinition::type);
    };
  }

  private Optional<DataType> outputType(StepDefinition step, String output) {
    return switch (step) {
      case StepDefinition.ApprovalStep approval ->
          output.equals("approvalDecision") || output.equals("approvalComments")
              ? Optional.of(DataType.TEXT)
              : Optional.empty();
      case StepDefinition.BackgroundStep background ->
          flowCache
              .computeIfAbsent(background.flow(), flows)
              .flatMap(flow -> flow.variable(output))
              .filter(VariableDefinition::output)
              .map(VariableDefinition::type);
    };
  }
}
