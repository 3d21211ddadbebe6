package io.orchestrion.flow;

import io.orchestrion.api.object.RecordData;

/** Where an Assignment writes: a variable, or a field of a record variable. */
interface Target {
  Object get(Object[] slots);

  void set(Object[] slots, Object value);

  record Slot(int index) implements Target {
    @Override
    public Object get(Object[] slots) {
      return slots[index];
    }

    @Override
    public void set(Object[] slots, Object value) {
      slots[index] = value;
    }
  }

  record Field(int index, String variable, String field) implements Target {
    @Override
    public Object get(Object[] slots) {
      return slots[index] instanceof RecordData record ? record.fields().get(field) : null;
    }

    @Override
    public void set(Object[] slots, Object value) {
      if (!(slots[index] instanceof RecordData record)) {
        throw new FlowFault(
            "cannot set field '" + field + "' of record variable '" + variable + "': it is null");
      }
      slots[index] = record.withField(field, value);
    }
  }
}
