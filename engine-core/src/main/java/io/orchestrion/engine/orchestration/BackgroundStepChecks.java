package io.orchestrion.engine.orchestration;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.RunAsSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.orchestration.OrchestrationCompiler.Purpose;
import io.orchestrion.engine.references.Reference;
import io.orchestrion.flow.json.JsonPaths;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy checks of a background step, each problem with its JSON path: its inputs' references,
 * its outputs' orchestration variables, its run-as, and — unless a stored version is compiled to
 * run it — its flow: active (a warning for a draft deploy, an error for activation), AUTOLAUNCHED,
 * with input and output variables of the names and compatible types the step maps.
 */
final class BackgroundStepChecks {
  private BackgroundStepChecks() {}

  static void check(OrchestrationScope scope, String path, StepDefinition.BackgroundStep step) {
    OrchestrationProblems problems = scope.problems();
    Optional<ObjectTypeDefinition> objectType = scope.objectType();
    Map<String, VariableDefinition> variables = scope.variables();
    for (Map.Entry<String, ValueSpec> input : step.inputs().entrySet()) {
      checkValue(
          problems,
          JsonPaths.property(path + ".inputs", input.getKey()),
          input.getValue(),
          objectType,
          variables);
    }
    for (Map.Entry<String, String> output : step.outputs().entrySet()) {
      if (!variables.containsKey(output.getValue())) {
        problems.error(
            JsonPaths.property(path + ".outputs", output.getKey()),
            "unknown orchestration variable '%s' (declare it in $.variables)",
            output.getValue());
      }
    }
    RunAsSpec runAs = step.runAs();
    switch (runAs.type()) {
      case USER -> {
        if (runAs.userId().isEmpty()) {
          problems.error(path + ".runAs.userId", "runAs USER needs 'userId'");
        }
      }
      case RECORD_FIELD ->
          ApprovalStepChecks.checkUserField(
              problems, path + ".runAs.field", "runAs", runAs.field(), objectType);
      default -> {}
    }
    if (scope.purpose() == Purpose.RUN) {
      return;
    }
    Optional<FlowDefinition> flow = scope.lookups().activeFlow().apply(step.flow());
    if (flow.isEmpty()) {
      String message =
          scope.lookups().flowHasAnyVersion().test(step.flow())
              ? "flow '%s' has no active version"
              : "unknown flow '%s'";
      if (scope.purpose() == Purpose.ACTIVATE) {
        problems.error(path + ".flow", message, step.flow());
      } else {
        problems.warning(path + ".flow", message + " (needed before activation)", step.flow());
      }
      return;
    }
    if (flow.get().type() != FlowType.AUTOLAUNCHED) {
      problems.error(
          path + ".flow",
          "flow '%s' is %s; background steps launch AUTOLAUNCHED flows",
          step.flow(),
          flow.get().type());
      return;
    }
    checkFlowInputs(scope, path, step, flow.get());
    checkFlowOutputs(problems, path, step, flow.get(), variables);
  }

  private static void checkFlowInputs(
      OrchestrationScope scope,
      String path,
      StepDefinition.BackgroundStep step,
      FlowDefinition flow) {
    for (Map.Entry<String, ValueSpec> input : step.inputs().entrySet()) {
      Optional<VariableDefinition> variable = flow.variable(input.getKey());
      if (variable.isEmpty() || !variable.get().input()) {
        scope
            .problems()
            .error(
                JsonPaths.property(path + ".inputs", input.getKey()),
                "flow '%s' has no input variable '%s'",
                step.flow(),
                input.getKey());
      } else if (input.getValue() instanceof ValueSpec.Reference reference) {
        Optional<DataType> given = scope.types().type(reference.ref());
        if (given.isPresent() && !fits(given.get(), variable.get().type())) {
          scope
              .problems()
              .error(
                  JsonPaths.property(path + ".inputs", input.getKey()),
                  "'%s' is %s but input variable '%s' of flow '%s' is %s",
                  reference.ref(),
                  given.get(),
                  input.getKey(),
                  step.flow(),
                  variable.get().type());
        }
      }
    }
  }

  private static void checkFlowOutputs(
      OrchestrationProblems problems,
      String path,
      StepDefinition.BackgroundStep step,
      FlowDefinition flow,
      Map<String, VariableDefinition> variables) {
    for (Map.Entry<String, String> output : step.outputs().entrySet()) {
      Optional<VariableDefinition> variable = flow.variable(output.getKey());
      if (variable.isEmpty() || !variable.get().output()) {
        problems.error(
            JsonPaths.property(path + ".outputs", output.getKey()),
            "flow '%s' has no output variable '%s'",
            step.flow(),
            output.getKey());
        continue;
      }
      VariableDefinition target = variables.get(output.getValue());
      if (target != null
          && (!fits(variable.get().type(), target.type())
              || variable.get().collection() != target.collection())) {
        problems.error(
            JsonPaths.property(path + ".outputs", output.getKey()),
            "output variable '%s' of flow '%s' is %s but orchestration variable '%s' is %s",
            output.getKey(),
            step.flow(),
            describe(variable.get()),
            target.name(),
            describe(target));
      }
    }
  }

  /** Whether a value of type {@code from} converts to {@code to} when a step starts or ends. */
  private static boolean fits(DataType from, DataType to) {
    return from == to
        || (from.isNumeric() && to.isNumeric())
        || (from.isTextual() && to.isTextual())
        || (from == DataType.DATE && to == DataType.DATETIME);
  }

  private static String describe(VariableDefinition variable) {
    return variable.collection() ? "a collection of " + variable.type() : variable.type().name();
  }

  private static void checkValue(
      OrchestrationProblems problems,
      String path,
      ValueSpec value,
      Optional<ObjectTypeDefinition> objectType,
      Map<String, VariableDefinition> variables) {
    switch (value) {
      case ValueSpec.Literal literal -> {}
      case ValueSpec.Formula formula ->
          problems.error(path, "formulas are not supported in step inputs yet (issue #3)");
      case ValueSpec.Reference reference -> {
        String ref = reference.ref();
        switch (Reference.parse(ref)) {
          case Reference.RecordField record -> {
            if (objectType.isPresent() && objectType.get().field(record.field()).isEmpty()) {
              problems.error(
                  path,
                  "unknown field '%s' of %s in '%s'",
                  record.field(),
                  objectType.get().apiName(),
                  ref);
            }
          }
          case Reference.SubmissionProperty property -> {
            if (!property.known()) {
              problems.error(
                  path,
                  "unknown submission property '%s' (known: %s)",
                  property.property(),
                  Reference.SUBMISSION_PROPERTIES);
            }
          }
          case Reference.RunId runId -> {
            // the run's id
          }
          default -> {
            if (!variables.containsKey(ref)) {
              problems.error(
                  path,
                  "unknown reference '%s': use $Record.<field>, $Submission.<property>, $Run.id or"
                      + " an orchestration variable",
                  ref);
            }
          }
        }
      }
    }
  }
}
