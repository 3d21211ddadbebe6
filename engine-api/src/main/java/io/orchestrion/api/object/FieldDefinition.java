package io.orchestrion.api.object;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A field of an object type.
 *
 * @param values the allowed values of a PICKLIST field
 * @param objectType the referenced object type of a LOOKUP field
 * @param scale digits after the decimal point of a NUMBER or CURRENCY field (defaults: CURRENCY 2,
 *     NUMBER 6)
 */
public record FieldDefinition(
    String name,
    DataType type,
    boolean required,
    List<String> values,
    Optional<String> objectType,
    Optional<Integer> scale) {
  public static final int DEFAULT_CURRENCY_SCALE = 2;
  public static final int DEFAULT_NUMBER_SCALE = 6;

  public FieldDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    values = values == null ? List.of() : List.copyOf(values);
    objectType = objectType == null ? Optional.empty() : objectType;
    scale = scale == null ? Optional.empty() : scale;
  }

  public static FieldDefinition of(String name, DataType type) {
    return new FieldDefinition(name, type, false, List.of(), Optional.empty(), Optional.empty());
  }

  /** The scale used to store and round values of a NUMBER or CURRENCY field. */
  public int effectiveScale() {
    return scale.orElse(type == DataType.CURRENCY ? DEFAULT_CURRENCY_SCALE : DEFAULT_NUMBER_SCALE);
  }
}
