package io.orchestrion.engine.orchestration;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import io.orchestrion.api.orchestration.StageDefinition;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.references.Reference;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The types of the references an orchestration's conditions may use (SPEC §5.2, parsed by {@link
 * Reference}), for deploy-time checks.
 */
final class ReferenceTypes {
  private final Optional<ObjectTypeDefinition> objectType;
  private final Map<String, VariableDefinition> variables;
  private final Map<String, StepDefinition> steps = new HashMap<>();
  private final Map<String, StageDefinition> stages = new HashMap<>();
  private final Function<String, Optional<FlowDefinition>> activeFlow;
  private final Map<String, Optional<FlowDefinition>> flowCache = new HashMap<>();

  ReferenceTypes(
      OrchestrationDefinition definition,
      Optional<ObjectTypeDefinition> objectType,
      Map<String, VariableDefinition> variables,
      Function<String, Optional<FlowDefinition>> activeFlow) {
    this.objectType = objectType;
    this.variables = variables;
    this.activeFlow = activeFlow;
    for (StageDefinition stage : definition.stages()) {
      stages.putIfAbsent(stage.name(), stage);
      stage.steps().forEach(step -> steps.putIfAbsent(step.name(), step));
    }
    definition
        .recallStage()
        .ifPresent(stage -> stage.steps().forEach(step -> steps.putIfAbsent(step.name(), step)));
  }

  /** The active version of a flow, looked up once per compilation. */
  Optional<FlowDefinition> activeFlow(String apiName) {
    return flowCache.computeIfAbsent(apiName, activeFlow);
  }

  Optional<DataType> type(String reference) {
    return switch (Reference.parse(reference)) {
      case Reference.RecordField record ->
          objectType.flatMap(type -> type.field(record.field())).map(FieldDefinition::type);
      case Reference.SubmissionProperty property ->
          !property.known()
              ? Optional.empty()
              : Optional.of(
                  property.property().equals("submitterId") ? DataType.USER : DataType.TEXT);
      case Reference.StepStatus status ->
          steps.containsKey(status.step()) ? Optional.of(DataType.PICKLIST) : Optional.empty();
      case Reference.StepOutput output ->
          steps.containsKey(output.step())
              ? outputType(steps.get(output.step()), output.output())
              : Optional.empty();
      case Reference.StageStatus status ->
          stages.containsKey(status.stage()) ? Optional.of(DataType.PICKLIST) : Optional.empty();
      case Reference.Now now -> Optional.of(DataType.DATETIME);
      case Reference.Today today -> Optional.of(DataType.DATE);
      case Reference.RunId runId -> Optional.of(DataType.TEXT);
      case Reference.Variable variable ->
          Optional.ofNullable(variables.get(variable.text())).map(VariableDefinition::type);
      case Reference.Malformed malformed -> Optional.empty();
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
              .computeIfAbsent(background.flow(), activeFlow)
              .flatMap(flow -> flow.variable(output))
              .filter(VariableDefinition::output)
              .map(VariableDefinition::type);
    };
  }
}
