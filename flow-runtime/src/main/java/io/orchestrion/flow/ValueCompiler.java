package io.orchestrion.flow;

import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SystemFields;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Compiles the values of a flow: literals converted to the type they must have, references to
 * variables, their fields and {@code $} names, formulas, and the targets of assignments. Every
 * problem goes to the {@link CompilationContext} with its JSON path.
 */
final class ValueCompiler {
  static final String FAULT_MESSAGE = "$Flow.FaultMessage";
  static final String ITEM = "$Item";

  private final CompilationContext context;

  /** The flow's formulas that compiled, by name. */
  private Map<String, CompiledFormula> formulas = Map.of();

  /** The current item of a CollectionFilter while its requirements compile ({@code $Item}). */
  private Ref itemScope;

  ValueCompiler(CompilationContext context) {
    this.context = context;
  }

  /**
   * A resolved reference or formula: how to read it, its type, and how problems name it.
   *
   * @param describe e.g. {@code 'expense.Amount'} or {@code formula 'total'}
   */
  record Ref(Operand operand, ValueType type, String describe) {}

  /** A resolved assignment target. */
  record TargetRef(Target target, ValueType type) {}

  /** Makes the flow's formulas that compiled known, by name; before any value compiles. */
  void useFormulas(Map<String, CompiledFormula> formulas) {
    this.formulas = formulas;
  }

  /** Runs {@code compile} with {@code $Item} defined as {@code item}. */
  <T> T withItem(Ref item, Supplier<T> compile) {
    itemScope = item;
    try {
      return compile.get();
    } finally {
      itemScope = null;
    }
  }

  /**
   * Converts a literal to {@code type}; reports a problem and returns null when it does not fit.
   */
  Object literal(Object value, ValueType type, String path, Optional<FieldDefinition> field) {
    if (value != null && type.type() == DataType.RECORD) {
      context.error(path, "a " + type + " value cannot be written as a literal");
      return null;
    }
    try {
      Object converted = Values.convert(value, type);
      if (converted instanceof String text
          && field.isPresent()
          && field.get().type() == DataType.PICKLIST
          && !field.get().values().isEmpty()
          && !field.get().values().contains(text)) {
        context.error(
            path,
            "'"
                + text
                + "' is not a value of picklist field '"
                + field.get().name()
                + "' "
                + field.get().values());
      }
      return converted;
    } catch (IllegalArgumentException e) {
      context.error(path, e.getMessage());
      return null;
    }
  }

  Ref reference(String ref, String path) {
    if (ref.equals(FAULT_MESSAGE)) {
      return new Ref(
          new Operand.Slot(context.definition().variables().size()),
          ValueType.of(DataType.TEXT),
          "'" + ref + "'");
    }
    if (ref.equals(ITEM) || ref.startsWith(ITEM + ".")) {
      return itemReference(ref, path);
    }
    if (ref.startsWith("$")) {
      context.error(
          path,
          "unknown reference '"
              + ref
              + "' (flows can use "
              + FAULT_MESSAGE
              + ", and "
              + ITEM
              + " in the requirements of a CollectionFilter)");
      return null;
    }
    int dot = ref.indexOf('.');
    String variable = dot < 0 ? ref : ref.substring(0, dot);
    Integer slot = context.slotOf(variable);
    if (slot == null) {
      context.error(path, "unknown variable '" + variable + "'");
      return null;
    }
    ValueType type = context.typeOf(slot);
    if (dot < 0) {
      return new Ref(new Operand.Slot(slot), type, "'" + ref + "'");
    }
    String fieldName = ref.substring(dot + 1);
    Optional<FieldDefinition> field = recordField(variable, type, fieldName, path);
    return field
        .map(
            definition ->
                new Ref(
                    new Operand.Field(slot, fieldName), ValueType.of(definition), "'" + ref + "'"))
        .orElse(null);
  }

  private Ref itemReference(String ref, String path) {
    if (itemScope == null) {
      context.error(
          path, "'" + ITEM + "' is only defined in the requirements of a CollectionFilter");
      return null;
    }
    if (ref.equals(ITEM)) {
      return itemScope;
    }
    String fieldName = ref.substring(ITEM.length() + 1);
    ValueType type = itemScope.type();
    if (type.type() != DataType.RECORD) {
      context.error(path, "the items are " + type + ", they have no field '" + fieldName + "'");
      return null;
    }
    int slot = ((Operand.Slot) itemScope.operand()).index();
    return context
        .loadedObjectType(type)
        .flatMap(objectType -> context.field(objectType, fieldName, path))
        .map(
            field ->
                new Ref(new Operand.Field(slot, fieldName), ValueType.of(field), "'" + ref + "'"))
        .orElse(null);
  }

  private Optional<FieldDefinition> recordField(
      String variable, ValueType type, String fieldName, String path) {
    if (type.type() != DataType.RECORD || type.collection()) {
      context.error(
          path, "variable '" + variable + "' is " + type + ", it has no field '" + fieldName + "'");
      return Optional.empty();
    }
    if (fieldName.contains(".")) {
      context.error(
          path, "'" + variable + "." + fieldName + "': references go at most one field deep");
      return Optional.empty();
    }
    // An unknown or missing object type was reported at the variable already.
    Optional<ObjectTypeDefinition> objectType =
        type.objectType().flatMap(name -> context.lookUpObjectType(name));
    return objectType.flatMap(definition -> context.field(definition, fieldName, path));
  }

  /**
   * Compiles a value that must fit {@code expected}.
   *
   * @param field the record field being written, for picklist checks
   */
  Operand value(ValueSpec spec, ValueType expected, String path, Optional<FieldDefinition> field) {
    return switch (spec) {
      case ValueSpec.Literal literal ->
          new Operand.Constant(literal(literal.value(), expected, path, field));
      case ValueSpec.Formula formula -> checked(formula(formula.formula(), path), expected, path);
      case ValueSpec.Reference reference ->
          checked(reference(reference.ref(), path), expected, path);
    };
  }

  /** A reference or formula converted to {@code expected}; a constant null after a problem. */
  private Operand checked(Ref ref, ValueType expected, String path) {
    if (ref == null) {
      return new Operand.Constant(null);
    }
    if (!expected.accepts(ref.type())) {
      context.error(path, ref.describe() + " is " + ref.type() + ", expected " + expected);
      return new Operand.Constant(null);
    }
    boolean rescale =
        expected.type() == DataType.CURRENCY
            && !expected.collection()
            && ref.type().scale() != expected.scale();
    return rescale ? new Operand.Rescaled(ref.operand(), expected.scale()) : ref.operand();
  }

  /** A formula of the flow; null (after reporting it) when unknown or not compiled. */
  Ref formula(String name, String path) {
    CompiledFormula formula = formulas.get(name);
    if (formula != null) {
      return new Ref(formula, formula.type(), "formula '" + name + "'");
    }
    boolean declared =
        context.definition().formulas().stream()
            .anyMatch(candidate -> candidate.name().equals(name));
    if (!declared) {
      context.error(path, "unknown formula '" + name + "'");
    }
    // A declared formula that did not compile was reported at its definition.
    return null;
  }

  Operand value(ValueSpec spec, ValueType expected, String path) {
    return value(spec, expected, path, Optional.empty());
  }

  TargetRef target(String target, String path) {
    if (target.startsWith("$")) {
      context.error(path, "'" + target + "' cannot be assigned");
      return null;
    }
    int dot = target.indexOf('.');
    String variable = dot < 0 ? target : target.substring(0, dot);
    Integer slot = context.slotOf(variable);
    if (slot == null) {
      context.error(path, "unknown variable '" + variable + "'");
      return null;
    }
    ValueType type = context.typeOf(slot);
    context.markAssigned(slot);
    if (dot < 0) {
      return new TargetRef(new Target.Slot(slot), type);
    }
    String fieldName = target.substring(dot + 1);
    Optional<FieldDefinition> field = recordField(variable, type, fieldName, path);
    if (field.isEmpty()) {
      return null;
    }
    if (SystemFields.isSystemField(fieldName) && !SystemFields.isWritable(fieldName)) {
      context.error(path, "'" + fieldName + "' is a system field and cannot be set");
      return null;
    }
    return new TargetRef(new Target.Field(slot, variable, fieldName), ValueType.of(field.get()));
  }

  Optional<FieldDefinition> fieldOf(String reference) {
    int dot = reference.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    Integer slot = context.slotOf(reference.substring(0, dot));
    if (slot == null || context.typeOf(slot).objectType().isEmpty()) {
      return Optional.empty();
    }
    return context
        .loadedObjectType(context.typeOf(slot))
        .flatMap(type -> type.field(reference.substring(dot + 1)));
  }
}
