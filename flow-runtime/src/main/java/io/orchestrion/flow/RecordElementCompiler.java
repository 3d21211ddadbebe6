package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.SortSpec;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.flow.json.JsonPaths;
import io.orchestrion.spi.RecordQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Compiles the record elements: GetRecords, CreateRecords, UpdateRecords and DeleteRecords, with
 * their object types, filters, sort and field values. Every problem goes to the {@link
 * CompilationContext} with its JSON path.
 */
final class RecordElementCompiler {
  private final CompilationContext context;
  private final ValueCompiler values;
  private final ConditionCompiler conditions;

  RecordElementCompiler(
      CompilationContext context, ValueCompiler values, ConditionCompiler conditions) {
    this.context = context;
    this.values = values;
    this.conditions = conditions;
  }

  Node getRecords(FlowElement.GetRecords get, int index, String path) {
    int next = context.connector(index, get.next(), path + ".next");
    int faultNext = context.faultConnector(index, get.faultNext(), path + ".faultNext");
    Optional<ObjectTypeDefinition> type =
        context.objectType(get.objectType(), path + ".objectType");
    List<RecordNodes.Filter> filters =
        type.map(t -> conditions.filters(t, get.filters(), path + ".filters")).orElse(List.of());
    boolean matchAll = true;
    if (get.filterLogic().equalsIgnoreCase("ANY")) {
      matchAll = false;
    } else if (!get.filterLogic().equalsIgnoreCase("ALL")) {
      context.error(
          path + ".filterLogic", "filterLogic is ALL or ANY, got '" + get.filterLogic() + "'");
    }
    List<RecordQuery.Order> orderBy = new ArrayList<>();
    for (int i = 0; i < get.sort().size(); i++) {
      SortSpec sort = get.sort().get(i);
      String sortPath = path + ".sort[" + i + "].field";
      type.ifPresent(t -> context.field(t, sort.field(), sortPath));
      orderBy.add(new RecordQuery.Order(sort.field(), sort.descending()));
    }
    for (int i = 0; i < get.fields().size(); i++) {
      String fieldPath = path + ".fields[" + i + "]";
      String field = get.fields().get(i);
      type.ifPresent(t -> context.field(t, field, fieldPath));
    }
    if (get.limit().isPresent() && get.limit().get() < 1) {
      context.error(path + ".limit", "limit must be at least 1, got " + get.limit().get());
    }
    int into = Node.END;
    Integer slot = context.slotOf(get.into());
    if (slot == null) {
      context.error(path + ".into", "unknown variable '" + get.into() + "'");
    } else {
      ValueType expected = ValueType.record(get.objectType(), !get.firstOnly());
      if (!expected.accepts(context.typeOf(slot))) {
        context.error(
            path + ".into",
            "variable '"
                + get.into()
                + "' is "
                + context.typeOf(slot)
                + ", expected "
                + expected
                + (get.firstOnly() ? " (firstOnly)" : " (all matches)"));
      }
      into = slot;
      context.markAssigned(slot);
    }
    return new RecordNodes.GetRecordsNode(
        index,
        get.name(),
        next,
        faultNext,
        get.objectType(),
        filters,
        matchAll,
        orderBy,
        get.limit(),
        get.fields(),
        get.firstOnly(),
        into);
  }

  private List<RecordNodes.FieldValue> fieldValues(
      ObjectTypeDefinition type, Map<String, ValueSpec> fieldValues, String path) {
    List<RecordNodes.FieldValue> compiled = new ArrayList<>();
    // Sorted so that problems and writes come in a stable order (the map has none).
    for (Map.Entry<String, ValueSpec> entry : new TreeMap<>(fieldValues).entrySet()) {
      String fieldPath = JsonPaths.property(path, entry.getKey());
      Optional<FieldDefinition> field = context.field(type, entry.getKey(), fieldPath);
      if (field.isEmpty()) {
        continue;
      }
      if (SystemFields.isSystemField(entry.getKey()) && !SystemFields.isWritable(entry.getKey())) {
        context.error(fieldPath, "'" + entry.getKey() + "' is a system field and cannot be set");
        continue;
      }
      compiled.add(
          new RecordNodes.FieldValue(
              entry.getKey(),
              values.value(entry.getValue(), ValueType.of(field.get()), fieldPath, field)));
    }
    return compiled;
  }

  Node createRecords(FlowElement.CreateRecords create, int index, String path) {
    int next = context.connector(index, create.next(), path + ".next");
    int faultNext = context.faultConnector(index, create.faultNext(), path + ".faultNext");
    int recordSlot = -1;
    List<RecordNodes.FieldValue> values = List.of();
    if (create.record().isPresent() == create.objectType().isPresent()) {
      context.error(path, "CreateRecords needs either 'record' or 'objectType' with 'fieldValues'");
    } else if (create.record().isPresent()) {
      recordSlot = recordVariable(create.record().get(), path + ".record", true);
      context.markAssigned(recordSlot);
      if (!create.fieldValues().isEmpty()) {
        context.error(path + ".fieldValues", "fieldValues go with 'objectType', not with 'record'");
      }
    } else {
      Optional<ObjectTypeDefinition> type =
          context.objectType(create.objectType().get(), path + ".objectType");
      if (type.isPresent()) {
        values = fieldValues(type.get(), create.fieldValues(), path + ".fieldValues");
      }
    }
    int idInto = -1;
    if (create.idInto().isPresent()) {
      Integer slot = context.slotOf(create.idInto().get());
      if (slot == null) {
        context.error(path + ".idInto", "unknown variable '" + create.idInto().get() + "'");
      } else if (!ValueType.of(DataType.TEXT).accepts(context.typeOf(slot))) {
        context.error(
            path + ".idInto",
            "variable '"
                + create.idInto().get()
                + "' is "
                + context.typeOf(slot)
                + ", expected TEXT or LOOKUP");
      } else {
        idInto = slot;
        context.markAssigned(slot);
      }
    }
    return new RecordNodes.CreateRecordsNode(
        index,
        create.name(),
        next,
        faultNext,
        recordSlot,
        create.objectType().orElse(""),
        values,
        idInto);
  }

  Node updateRecords(FlowElement.UpdateRecords update, int index, String path) {
    int next = context.connector(index, update.next(), path + ".next");
    int faultNext = context.faultConnector(index, update.faultNext(), path + ".faultNext");
    int recordSlot = -1;
    List<RecordNodes.Filter> filters = List.of();
    List<RecordNodes.FieldValue> values = List.of();
    Optional<ObjectTypeDefinition> type = Optional.empty();
    if (update.record().isPresent() == update.objectType().isPresent()) {
      context.error(path, "UpdateRecords needs either 'record' or 'objectType' with 'filters'");
    } else if (update.record().isPresent()) {
      recordSlot = recordVariable(update.record().get(), path + ".record", true);
      context.markAssigned(recordSlot);
      if (!update.filters().isEmpty()) {
        context.error(path + ".filters", "filters go with 'objectType', not with 'record'");
      }
      if (recordSlot >= 0) {
        type = context.loadedObjectType(context.typeOf(recordSlot));
      }
    } else {
      type = context.objectType(update.objectType().get(), path + ".objectType");
      if (update.filters().isEmpty()) {
        context.error(path + ".filters", "updating by objectType needs at least one filter");
      }
      if (update.fieldValues().isEmpty()) {
        context.error(path + ".fieldValues", "updating by objectType needs fieldValues");
      }
      filters =
          type.map(t -> conditions.filters(t, update.filters(), path + ".filters"))
              .orElse(List.of());
    }
    if (type.isPresent()) {
      values = fieldValues(type.get(), update.fieldValues(), path + ".fieldValues");
    }
    return new RecordNodes.UpdateRecordsNode(
        index,
        update.name(),
        next,
        faultNext,
        recordSlot,
        update.objectType().orElse(""),
        filters,
        values);
  }

  Node deleteRecords(FlowElement.DeleteRecords delete, int index, String path) {
    int next = context.connector(index, delete.next(), path + ".next");
    int faultNext = context.faultConnector(index, delete.faultNext(), path + ".faultNext");
    int recordSlot = -1;
    List<RecordNodes.Filter> filters = List.of();
    if (delete.record().isPresent() == delete.objectType().isPresent()) {
      context.error(path, "DeleteRecords needs either 'record' or 'objectType' with 'filters'");
    } else if (delete.record().isPresent()) {
      recordSlot = recordVariable(delete.record().get(), path + ".record", true);
    } else {
      Optional<ObjectTypeDefinition> type =
          context.objectType(delete.objectType().get(), path + ".objectType");
      if (delete.filters().isEmpty()) {
        context.error(path + ".filters", "deleting by objectType needs at least one filter");
      }
      filters =
          type.map(t -> conditions.filters(t, delete.filters(), path + ".filters"))
              .orElse(List.of());
    }
    return new RecordNodes.DeleteRecordsNode(
        index, delete.name(), next, faultNext, recordSlot, delete.objectType().orElse(""), filters);
  }

  private int recordVariable(String variable, String path, boolean allowCollection) {
    Integer slot = context.slotOf(variable);
    if (slot == null) {
      context.error(path, "unknown variable '" + variable + "'");
      return -1;
    }
    ValueType type = context.typeOf(slot);
    if (type.type() != DataType.RECORD || (type.collection() && !allowCollection)) {
      context.error(
          path, "variable '" + variable + "' is " + type + ", expected a RECORD variable");
      return -1;
    }
    return slot;
  }
}
