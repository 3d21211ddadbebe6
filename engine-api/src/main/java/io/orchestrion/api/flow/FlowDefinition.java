package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A deployable flow: what a JSON flow document says. Versions and status are kept by the engine,
 * not in the document.
 */
public record FlowDefinition(
    String apiName,
    FlowType type,
    RunMode runMode,
    Optional<String> description,
    List<VariableDefinition> variables,
    List<FormulaDefinition> formulas,
    String start,
    List<FlowElement> elements) {
  public FlowDefinition {
    requireNonNull(apiName, "apiName is null");
    requireNonNull(type, "type is null");
    runMode = runMode == null ? RunMode.DEFAULT : runMode;
    description = description == null ? Optional.empty() : description;
    variables = variables == null ? List.of() : List.copyOf(variables);
    formulas = formulas == null ? List.of() : List.copyOf(formulas);
    requireNonNull(start, "start is null");
    elements = elements == null ? List.of() : List.copyOf(elements);
  }

  public Optional<VariableDefinition> variable(String name) {
    return variables.stream().filter(variable -> variable.name().equals(name)).findFirst();
  }

  public Optional<FlowElement> element(String name) {
    return elements.stream().filter(element -> element.name().equals(name)).findFirst();
  }
}
