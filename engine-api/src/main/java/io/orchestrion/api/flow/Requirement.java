package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

/** {@code left operator right}, e.g. {@code $Record.Amount GREATER_THAN 1000} (SPEC §5.2). */
public record Requirement(ValueSpec left, Operator operator, ValueSpec right) {
  public Requirement {
    requireNonNull(left, "left is null");
    requireNonNull(operator, "operator is null");
    requireNonNull(right, "right is null");
  }
}
