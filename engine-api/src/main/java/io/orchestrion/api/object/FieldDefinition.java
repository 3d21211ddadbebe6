package io.orchestrion.api.object;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A field of an object type.
 *
 * @param values the allowed values of a PICKLIST field
 * @param objectType the referenced object type of a LOOKUP field
 * @param approverVisible whether the eligible deciders of an open work item on a record may read
 *     this field, whatever their own access (SPEC §7; the work item's record summary)
 * @param scale digits after the decimal point of a NUMBER or CURRENCY field (defaults: CURRENCY 2,
 *     NUMBER 6)
 */
public record FieldDefinition(
    String name,
    DataType type,
    boolean required,
    List<String> values,
    Optional<String> objectType,
    Optional<Integer> scale,
    boolean approverVisible) {
  public static final int DEFAULT_CURRENCY_SCALE = 2;
  public static final int DEFAULT_NUMBER_SCALE = 6;

  public FieldDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    values = values == null ? List.of() : List.copyOf(values);
    objectType = objectType == null ? Optional.empty() : objectType;
    scale = scale == null ? Optional.empty() : scale;
  }

  /** A field that only its readers see (not {@code approverVisible}). */
  public FieldDefinition(
      String name,
      DataType type,
      boolean required,
      List<String> values,
      Optional<String> objectType,
      Optional<Integer> scale) {
    this(name, type, required, values, objectType, scale, false);
  }

  /** This field, readable by the eligible deciders of an open work item on the record. */
  public FieldDefinition withApproverVisible(boolean visible) {
    return new FieldDefinition(name, type, required, values, objectType, scale, visible);
  }

  public static FieldDefinition of(String name, DataType type) {
    return new FieldDefinition(name, type, false, List.of(), Optional.empty(), Optional.empty());
  }

  /** The scale used to store and round values of a NUMBER or CURRENCY field. */
  public int effectiveScale() {
    return scale.orElse(type == DataType.CURRENCY ? DEFAULT_CURRENCY_SCALE : DEFAULT_NUMBER_SCALE);
  }
}
