package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.orchestrion.api.object.DataType;
import java.util.Optional;

/**
 * A flow (or orchestration) variable.
 *
 * @param objectType the object type of a RECORD or LOOKUP variable
 * @param defaultValue the initial value, converted to the variable's type at deploy
 */
public record VariableDefinition(
    String name,
    DataType type,
    Optional<String> objectType,
    boolean collection,
    boolean input,
    boolean output,
    @JsonProperty("default") Optional<Object> defaultValue) {
  public VariableDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    objectType = objectType == null ? Optional.empty() : objectType;
    defaultValue = defaultValue == null ? Optional.empty() : defaultValue;
  }
}
