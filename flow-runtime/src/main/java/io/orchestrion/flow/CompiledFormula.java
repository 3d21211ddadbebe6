package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.RecordData;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A formula compiled and type-checked at deploy: a CEL program evaluated with the interview's
 * current variable values each time the value is read. Values cross into CEL converted (decimals
 * wrapped, records as maps of their declared fields, null as CEL {@code null}) and the result comes
 * back as the formula's declared type (CURRENCY rounded HALF_UP to scale 2).
 */
final class CompiledFormula implements Operand {
  private final String name;
  private final ValueType type;
  private final CelRuntime.Program program;
  private final Map<String, Integer> variableSlots;
  private final Map<String, List<String>> recordFields;

  /**
   * @param variableSlots the slot of each variable a formula may name
   * @param recordFields the fields (declared and system) of each object type, by its name
   */
  CompiledFormula(
      String name,
      ValueType type,
      CelRuntime.Program program,
      Map<String, Integer> variableSlots,
      Map<String, List<String>> recordFields) {
    this.name = requireNonNull(name, "name is null");
    this.type = requireNonNull(type, "type is null");
    this.program = requireNonNull(program, "program is null");
    this.variableSlots = Map.copyOf(variableSlots);
    this.recordFields = Map.copyOf(recordFields);
  }

  String name() {
    return name;
  }

  ValueType type() {
    return type;
  }

  @Override
  public Object get(Object[] slots) {
    FormulaGuard guard = Interview.formulaGuard(name);
    Object result;
    try {
      result =
          program.trace(
              variable -> {
                Integer slot = variableSlots.get(variable);
                return slot == null ? Optional.empty() : Optional.of(toFormula(slots[slot]));
              },
              guard);
    } catch (CelEvaluationException e) {
      if (guard.tripped() != null) {
        throw guard.tripped();
      }
      throw new FlowFault("formula '" + name + "' failed: " + describe(e));
    }
    // CEL may have absorbed the limit into an error value that a logical operator ignored.
    if (guard.tripped() != null) {
      throw guard.tripped();
    }
    return fromFormula(result);
  }

  private static String describe(CelEvaluationException e) {
    // CEL prefixes "evaluation error at <input>:N:"; the cause (ours) says what went wrong.
    Throwable cause = e.getCause();
    String message =
        cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
    return message.replaceFirst("^evaluation error at <input>:\\d+: ", "");
  }

  private Object toFormula(Object value) {
    return switch (value) {
      case null -> NullValue.NULL_VALUE;
      case BigDecimal decimal -> FormulaLibrary.decimal(decimal);
      case Number number -> FormulaLibrary.decimal(Values.toDecimal(number));
      case List<?> items -> {
        List<Object> converted = new ArrayList<>(items.size());
        for (Object item : items) {
          converted.add(toFormula(item));
        }
        yield converted;
      }
      case RecordData record -> {
        // Every declared field is present, null ones as CEL null, so `rec.Field == null` works.
        List<String> fields = recordFields.getOrDefault(record.objectType(), List.of());
        Map<String, Object> converted = new HashMap<>(fields.size() * 2);
        for (String field : fields) {
          converted.put(field, toFormula(record.fields().get(field)));
        }
        yield converted;
      }
      default -> value;
    };
  }

  private Object fromFormula(Object result) {
    return switch (result) {
      case NullValue ignored -> null;
      case FormulaLibrary.Decimal decimal -> rescale(decimal.value());
      case Long number when type.type().isNumeric() -> rescale(BigDecimal.valueOf(number));
      default -> result;
    };
  }

  private BigDecimal rescale(BigDecimal value) {
    return type.type() == DataType.CURRENCY
        ? value.setScale(type.scale(), RoundingMode.HALF_UP)
        : value;
  }
}
