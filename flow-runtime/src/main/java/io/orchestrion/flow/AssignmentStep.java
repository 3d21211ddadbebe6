package io.orchestrion.flow;

import io.orchestrion.api.flow.AssignmentOperator;
import io.orchestrion.api.object.DataType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * One assignment of an Assignment element. {@link #of} gives SET and numeric ADD and SUBTRACT their
 * own classes, so that the commonest assignments run without a switch on the operator or a test of
 * the type.
 */
abstract class AssignmentStep {
  static AssignmentStep of(
      Target target, AssignmentOperator operator, Operand value, ValueType type) {
    return switch (operator) {
      case SET -> new SetStep(target, value);
      case ADD, SUBTRACT ->
          type.type().isNumeric()
              ? new NumericAddStep(
                  target,
                  value,
                  operator == AssignmentOperator.SUBTRACT,
                  type.type() == DataType.CURRENCY ? type.scale() : ValueType.NO_SCALE)
              : new GeneralStep(target, operator, value, type);
      default -> new GeneralStep(target, operator, value, type);
    };
  }

  abstract void apply(Object[] slots);

  private static final class SetStep extends AssignmentStep {
    private final Target target;
    private final Operand value;

    SetStep(Target target, Operand value) {
      this.target = target;
      this.value = value;
    }

    @Override
    void apply(Object[] slots) {
      target.set(slots, value.get(slots));
    }
  }

  /** ADD or SUBTRACT on NUMBER or CURRENCY (rounded HALF_UP to {@code scale} when >= 0). */
  private static final class NumericAddStep extends AssignmentStep {
    private final Target target;
    private final Operand value;
    private final boolean subtract;
    private final int scale;

    NumericAddStep(Target target, Operand value, boolean subtract, int scale) {
      this.target = target;
      this.value = value;
      this.subtract = subtract;
      this.scale = scale;
    }

    @Override
    void apply(Object[] slots) {
      Object current = target.get(slots);
      Object amount = value.get(slots);
      BigDecimal base = current == null ? BigDecimal.ZERO : (BigDecimal) current;
      BigDecimal delta = amount == null ? BigDecimal.ZERO : (BigDecimal) amount;
      BigDecimal result = subtract ? base.subtract(delta) : base.add(delta);
      target.set(slots, scale >= 0 ? result.setScale(scale, RoundingMode.HALF_UP) : result);
    }
  }

  /** Every other operator, and ADD on text. */
  private static final class GeneralStep extends AssignmentStep {
    private final Target target;
    private final AssignmentOperator operator;
    private final Operand value;
    private final ValueType type;

    GeneralStep(Target target, AssignmentOperator operator, Operand value, ValueType type) {
      this.target = target;
      this.operator = operator;
      this.value = value;
      this.type = type;
    }

    @Override
    void apply(Object[] slots) {
      switch (operator) {
        case SET -> target.set(slots, value.get(slots));
        case ADD -> target.set(slots, add(target.get(slots), value.get(slots), false));
        case SUBTRACT -> target.set(slots, add(target.get(slots), value.get(slots), true));
        case ADD_ITEM -> target.set(slots, addItems(target.get(slots), value.get(slots), false));
        case ADD_AT_START -> target.set(slots, addItems(target.get(slots), value.get(slots), true));
        case REMOVE_ALL -> target.set(slots, remove(target.get(slots), value.get(slots), true));
        case REMOVE_FIRST -> target.set(slots, remove(target.get(slots), value.get(slots), false));
      }
    }

    private Object add(Object current, Object amount, boolean subtract) {
      if (type.type().isNumeric()) {
        BigDecimal base = current == null ? BigDecimal.ZERO : (BigDecimal) current;
        BigDecimal delta = amount == null ? BigDecimal.ZERO : (BigDecimal) amount;
        return Values.scale(subtract ? base.subtract(delta) : base.add(delta), type);
      }
      // ADD on text appends; SUBTRACT on text is rejected by the analysis.
      return (current == null ? "" : (String) current) + (amount == null ? "" : (String) amount);
    }

    private static List<Object> addItems(Object current, Object items, boolean atStart) {
      List<Object> list = current == null ? new ArrayList<>() : new ArrayList<>((List<?>) current);
      List<Object> added =
          items instanceof Collection<?> many ? new ArrayList<>(many) : singleton(items);
      if (atStart) {
        list.addAll(0, added);
      } else {
        list.addAll(added);
      }
      return Collections.unmodifiableList(list);
    }

    private static List<Object> remove(Object current, Object items, boolean all) {
      if (current == null) {
        return null;
      }
      List<Object> list = new ArrayList<>((List<?>) current);
      List<Object> removed =
          items instanceof Collection<?> many ? new ArrayList<>(many) : singleton(items);
      for (Object item : removed) {
        if (all) {
          list.removeIf(candidate -> Values.equal(candidate, item));
        } else {
          for (int i = 0; i < list.size(); i++) {
            if (Values.equal(list.get(i), item)) {
              list.remove(i);
              break;
            }
          }
        }
      }
      return Collections.unmodifiableList(list);
    }

    private static List<Object> singleton(Object item) {
      List<Object> list = new ArrayList<>(1);
      list.add(item);
      return list;
    }
  }
}
