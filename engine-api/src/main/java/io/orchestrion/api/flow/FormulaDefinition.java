package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.object.DataType;

/** A named, typed expression over the flow's variables, type-checked at deploy. */
public record FormulaDefinition(String name, DataType type, String expression) {
  public FormulaDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(expression, "expression is null");
  }
}
