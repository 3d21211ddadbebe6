package io.orchestrion.flow;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled elements. Each holds its connectors as element indexes and its operands as resolved
 * /** The elements that read and write records through the interview's {@link RecordStore}: Get,
 * Create, Update and DeleteRecords (compiled by {@link RecordElementCompiler}). A failure of the
 * store is a fault of the element, except a failure of the database itself.
 */
final class RecordNodes {
  private RecordNodes() {}

  /** A record filter with its value operand; the value is resolved when the element runs. */
  record Filter(String field, io.orchestrion.api.flow.Operator operator, Operand value) {
    RecordQuery.Condition resolve(Object[] slots) {
      return new RecordQuery.Condition(field, operator, value.get(slots));
    }
  }

  /** A field value written by Create/UpdateRecords. */
  record FieldValue(String field, Operand value) {}

  private static List<RecordQuery.Condition> resolve(List<Filter> filters, Object[] slots) {
    List<RecordQuery.Condition> conditions = new ArrayList<>(filters.size());
    for (Filter filter : filters) {
      conditions.add(filter.resolve(slots));
    }
    return conditions;
  }

  private static Map<String, Object> resolveValues(List<FieldValue> values, Object[] slots) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    for (FieldValue value : values) {
      resolved.put(value.field(), value.value().get(slots));
    }
    return resolved;
  }

  /**
   * Runs a record store call, turning its failures into a fault of the element, except failures of
   * the database itself: they are not the flow's, and the transaction they broke must end (see
   * {@link HostFailures}).
   */
  private static <T> T store(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (FlowFault fault) {
      throw fault;
    } catch (RuntimeException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      throw new FlowFault(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  static final class GetRecordsNode extends Node {
    private final String objectType;
    private final List<Filter> filters;
    private final boolean matchAll;
    private final List<RecordQuery.Order> orderBy;
    private final Optional<Integer> limit;
    private final List<String> fields;
    private final boolean firstOnly;
    private final int intoSlot;

    GetRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        String objectType,
        List<Filter> filters,
        boolean matchAll,
        List<RecordQuery.Order> orderBy,
        Optional<Integer> limit,
        List<String> fields,
        boolean firstOnly,
        int intoSlot) {
      super(index, name, next, faultNext);
      this.objectType = objectType;
      this.filters = List.copyOf(filters);
      this.matchAll = matchAll;
      this.orderBy = List.copyOf(orderBy);
      this.limit = firstOnly ? Optional.of(1) : limit;
      this.fields = List.copyOf(fields);
      this.firstOnly = firstOnly;
      this.intoSlot = intoSlot;
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordQuery query =
          new RecordQuery(
              objectType, resolve(filters, frame.slots), matchAll, orderBy, limit, fields);
      RecordStore records = interview.records();
      List<RecordData> found = store(() -> records.query(query));
      frame.slots[intoSlot] =
          firstOnly ? (found.isEmpty() ? null : found.getFirst()) : List.<Object>copyOf(found);
      return next;
    }
  }

  static final class CreateRecordsNode extends Node {
    private final int recordSlot;
    private final String objectType;
    private final List<FieldValue> values;
    private final int idIntoSlot;

    /** {@code recordSlot} >= 0 creates the variable's record(s); otherwise one from values. */
    CreateRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        int recordSlot,
        String objectType,
        List<FieldValue> values,
        int idIntoSlot) {
      super(index, name, next, faultNext);
      this.recordSlot = recordSlot;
      this.objectType = objectType;
      this.values = List.copyOf(values);
      this.idIntoSlot = idIntoSlot;
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordStore records = interview.records();
      String user = frame.security.userId();
      Object[] slots = frame.slots;
      if (recordSlot < 0) {
        RecordData created =
            store(() -> records.insert(objectType, resolveValues(values, slots), user));
        setId(slots, created);
        return next;
      }
      Object held = slots[recordSlot];
      if (held instanceof RecordData record) {
        RecordData created =
            store(() -> records.insert(record.objectType(), writableFields(record), user));
        slots[recordSlot] = created;
        setId(slots, created);
      } else if (held instanceof List<?> list) {
        List<Object> created = new ArrayList<>(list.size());
        for (Object item : list) {
          RecordData record = (RecordData) item;
          created.add(
              store(() -> records.insert(record.objectType(), writableFields(record), user)));
        }
        slots[recordSlot] = Collections.unmodifiableList(created);
      } else {
        throw new FlowFault("the record variable to create is null");
      }
      return next;
    }

    private void setId(Object[] slots, RecordData created) {
      if (idIntoSlot >= 0) {
        slots[idIntoSlot] = created.id().orElse(null);
      }
    }
  }

  /** The fields a flow may write: everything but the system fields, except the owner. */
  static Map<String, Object> writableFields(RecordData record) {
    Map<String, Object> fields = new LinkedHashMap<>();
    record
        .fields()
        .forEach(
            (field, value) -> {
              if (!SystemFields.isSystemField(field) || SystemFields.isWritable(field)) {
                fields.put(field, value);
              }
            });
    return fields;
  }

  static final class UpdateRecordsNode extends Node {
    private final int recordSlot;
    private final String objectType;
    private final List<Filter> filters;
    private final List<FieldValue> values;

    UpdateRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        int recordSlot,
        String objectType,
        List<Filter> filters,
        List<FieldValue> values) {
      super(index, name, next, faultNext);
      this.recordSlot = recordSlot;
      this.objectType = objectType;
      this.filters = List.copyOf(filters);
      this.values = List.copyOf(values);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordStore records = interview.records();
      String user = frame.security.userId();
      Object[] slots = frame.slots;
      Map<String, Object> changes = resolveValues(values, slots);
      if (recordSlot < 0) {
        RecordQuery query =
            new RecordQuery(
                objectType, resolve(filters, slots), true, List.of(), Optional.empty(), List.of());
        for (RecordData record : store(() -> records.query(query))) {
          update(records, record, changes, user);
        }
        return next;
      }
      Object held = slots[recordSlot];
      if (held instanceof RecordData record) {
        slots[recordSlot] = update(records, record, changes, user);
      } else if (held instanceof List<?> list) {
        List<Object> updated = new ArrayList<>(list.size());
        for (Object item : list) {
          updated.add(update(records, (RecordData) item, changes, user));
        }
        slots[recordSlot] = Collections.unmodifiableList(updated);
      } else {
        throw new FlowFault("the record variable to update is null");
      }
      return next;
    }

    private static RecordData update(
        RecordStore records, RecordData record, Map<String, Object> extra, String user) {
      String id =
          record
              .id()
              .orElseThrow(
                  () -> new FlowFault("cannot update a " + record.objectType() + " without Id"));
      Map<String, Object> changes = writableFields(record);
      changes.putAll(extra);
      return store(() -> records.update(record.objectType(), id, record.version(), changes, user));
    }
  }

  static final class DeleteRecordsNode extends Node {
    private final int recordSlot;
    private final String objectType;
    private final List<Filter> filters;

    DeleteRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        int recordSlot,
        String objectType,
        List<Filter> filters) {
      super(index, name, next, faultNext);
      this.recordSlot = recordSlot;
      this.objectType = objectType;
      this.filters = List.copyOf(filters);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordStore records = interview.records();
      Object[] slots = frame.slots;
      if (recordSlot < 0) {
        RecordQuery query =
            new RecordQuery(
                objectType,
                resolve(filters, slots),
                true,
                List.of(),
                Optional.empty(),
                List.of(SystemFields.ID));
        for (RecordData record : store(() -> records.query(query))) {
          delete(records, record);
        }
        return next;
      }
      Object held = slots[recordSlot];
      if (held instanceof RecordData record) {
        delete(records, record);
      } else if (held instanceof List<?> list) {
        for (Object item : list) {
          delete(records, (RecordData) item);
        }
      } else {
        throw new FlowFault("the record variable to delete is null");
      }
      return next;
    }

    private static void delete(RecordStore records, RecordData record) {
      String id =
          record
              .id()
              .orElseThrow(
                  () -> new FlowFault("cannot delete a " + record.objectType() + " without Id"));
      store(
          () -> {
            records.delete(record.objectType(), id, record.version());
            return null;
          });
    }
  }
}
