package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.spi.ActionParameter;
import java.util.Optional;

/**
 * The static type of a value in a flow: a data type, whether it is a collection, the object type of
 * RECORD and LOOKUP values, and the scale that CURRENCY values are rounded to.
 */
record ValueType(DataType type, boolean collection, Optional<String> objectType, int scale) {
  static final int NO_SCALE = -1;

  ValueType {
    requireNonNull(type, "type is null");
    requireNonNull(objectType, "objectType is null");
  }

  static ValueType of(DataType type) {
    return new ValueType(type, false, Optional.empty(), defaultScale(type));
  }

  static ValueType of(VariableDefinition variable) {
    return new ValueType(
        variable.type(),
        variable.collection(),
        variable.objectType(),
        defaultScale(variable.type()));
  }

  static ValueType of(FieldDefinition field) {
    return new ValueType(
        field.type(),
        false,
        field.objectType(),
        field.type() == DataType.CURRENCY ? field.effectiveScale() : NO_SCALE);
  }

  static ValueType of(ActionParameter parameter) {
    return new ValueType(
        parameter.type(), parameter.collection(), Optional.empty(), defaultScale(parameter.type()));
  }

  static ValueType record(String objectType, boolean collection) {
    return new ValueType(DataType.RECORD, collection, Optional.of(objectType), NO_SCALE);
  }

  private static int defaultScale(DataType type) {
    return type == DataType.CURRENCY ? FieldDefinition.DEFAULT_CURRENCY_SCALE : NO_SCALE;
  }

  /** The type of one item of a collection. */
  ValueType item() {
    return new ValueType(type, false, objectType, scale);
  }

  ValueType asCollection() {
    return new ValueType(type, true, objectType, scale);
  }

  /** Whether values of {@code source} may be stored where this type is expected. */
  boolean accepts(ValueType source) {
    if (collection != source.collection) {
      return false;
    }
    if (type == DataType.RECORD || source.type == DataType.RECORD) {
      return type == source.type && objectType.equals(source.objectType);
    }
    return family(type) == family(source.type);
  }

  /** Whether values of the two types can be compared with EQUALS. */
  boolean comparableWith(ValueType other) {
    return !collection
        && !other.collection
        && type != DataType.RECORD
        && other.type != DataType.RECORD
        && family(type) == family(other.type);
  }

  boolean isOrdered() {
    return !collection && (type.isNumeric() || type == DataType.DATE || type == DataType.DATETIME);
  }

  private static int family(DataType type) {
    if (type.isNumeric()) {
      return 1;
    }
    if (type.isTextual()) {
      return 2;
    }
    return 3 + type.ordinal();
  }

  @Override
  public String toString() {
    String base = type + objectType.map(name -> "(" + name + ")").orElse("");
    return collection ? "collection of " + base : base;
  }
}
