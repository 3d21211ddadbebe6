package io.orchestrion.flow;

import io.orchestrion.api.object.RecordData;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** A value read by a compiled element: a constant or a variable slot, resolved at compile time. */
interface Operand {
  Object get(Object[] slots);

  record Constant(Object value) implements Operand {
    @Override
    public Object get(Object[] slots) {
      return value;
    }
  }

  record Slot(int index) implements Operand {
    @Override
    public Object get(Object[] slots) {
      return slots[index];
    }
  }

  /** A field of a record variable; null when the variable is null. */
  record Field(int index, String field) implements Operand {
    @Override
    public Object get(Object[] slots) {
      return slots[index] instanceof RecordData record ? record.fields().get(field) : null;
    }
  }

  /** A numeric operand rounded to the scale of a CURRENCY target (HALF_UP). */
  record Rescaled(Operand source, int scale) implements Operand {
    @Override
    public Object get(Object[] slots) {
      Object value = source.get(slots);
      return value instanceof BigDecimal decimal
          ? decimal.setScale(scale, RoundingMode.HALF_UP)
          : value;
    }
  }
}
