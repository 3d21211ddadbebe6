package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.SortSpec;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.ObjectTypeDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Compiles the collection elements: Loop (with the hidden slots for its snapshot and position),
 * CollectionSort and CollectionFilter (whose requirements see the current item as {@code $Item}).
 * Every problem goes to the {@link CompilationContext} with its JSON path.
 */
final class CollectionElementCompiler {
  private final CompilationContext context;
  private final ConditionCompiler conditions;
  private final ValueCompiler values;

  CollectionElementCompiler(
      CompilationContext context, ConditionCompiler conditions, ValueCompiler values) {
    this.context = context;
    this.conditions = conditions;
    this.values = values;
  }

  Node loop(FlowElement.Loop loop, int index, String path) {
    if (loop.each().isEmpty()) {
      context.error(
          path + ".each", "a Loop needs an 'each' path (the elements run for every item)");
    }
    int each = context.connector(index, loop.each(), path + ".each");
    int after = context.connector(index, loop.after(), path + ".after");
    int items = context.hiddenSlot(loop.name() + ".items");
    int position = context.hiddenSlot(loop.name() + ".position");
    Integer collection = context.variable(loop.collection(), path + ".collection");
    Integer item = context.variable(loop.item(), path + ".item");
    if (collection == null || item == null) {
      return new CollectionNodes.LoopNode(index, loop.name(), each, after, 0, 0, items, position);
    }
    ValueType collectionType = context.typeOf(collection);
    ValueType itemType = context.typeOf(item);
    if (!collectionType.collection()) {
      context.error(
          path + ".collection",
          "variable '" + loop.collection() + "' is " + collectionType + ", expected a collection");
    } else if (itemType.collection() || !itemType.accepts(collectionType.item())) {
      context.error(
          path + ".item",
          "variable '"
              + loop.item()
              + "' is "
              + itemType
              + ", the items of '"
              + loop.collection()
              + "' are "
              + collectionType.item());
    }
    context.markAssigned(item);
    return new CollectionNodes.LoopNode(
        index, loop.name(), each, after, collection, item, items, position);
  }

  Node collectionSort(FlowElement.CollectionSort sort, int index, String path) {
    int next = context.connector(index, sort.next(), path + ".next");
    Integer slot = context.variable(sort.collection(), path + ".collection");
    if (sort.limit().isPresent() && sort.limit().get() < 1) {
      context.error(path + ".limit", "limit must be at least 1, got " + sort.limit().get());
    }
    if (slot == null) {
      return new CollectionNodes.CollectionSortNode(
          index, sort.name(), next, 0, null, sort.limit());
    }
    ValueType type = context.typeOf(slot);
    if (!type.collection()) {
      context.error(
          path + ".collection",
          "variable '" + sort.collection() + "' is " + type + ", expected a collection");
      return new CollectionNodes.CollectionSortNode(
          index, sort.name(), next, slot, null, sort.limit());
    }
    Comparator<Object> order;
    if (type.type() == DataType.RECORD) {
      if (sort.sort().isEmpty()) {
        context.error(path + ".sort", "sorting records needs at least one field in 'sort'");
      }
      if (sort.descending()) {
        context.error(
            path + ".descending", "for records, say 'descending' on each field of 'sort'");
      }
      Optional<ObjectTypeDefinition> objectType = context.loadedObjectType(type);
      List<SortSpec> keys = new ArrayList<>();
      for (int i = 0; i < sort.sort().size(); i++) {
        SortSpec key = sort.sort().get(i);
        String keyPath = path + ".sort[" + i + "].field";
        objectType
            .flatMap(t -> context.field(t, key.field(), keyPath))
            .ifPresent(
                field -> {
                  if (field.type() == DataType.RECORD || field.type() == DataType.BOOLEAN) {
                    context.error(
                        keyPath, "cannot sort by " + field.type() + " field '" + key.field() + "'");
                  }
                  keys.add(key);
                });
      }
      order = CollectionNodes.recordOrder(keys);
    } else {
      if (!sort.sort().isEmpty()) {
        context.error(
            path + ".sort", "'sort' lists record fields; for " + type + " use 'descending'");
      }
      order = CollectionNodes.valueOrder(sort.descending());
    }
    return new CollectionNodes.CollectionSortNode(
        index, sort.name(), next, slot, order, sort.limit());
  }

  Node collectionFilter(FlowElement.CollectionFilter filter, int index, String path) {
    int next = context.connector(index, filter.next(), path + ".next");
    Integer source = context.variable(filter.collection(), path + ".collection");
    Integer into = context.variable(filter.into(), path + ".into");
    // Transient: set and cleared within the element, so never stored with a paused interview.
    int itemSlot = context.hiddenSlot(filter.name() + ".item");
    if (source == null || into == null) {
      return new CollectionNodes.CollectionFilterNode(
          index, filter.name(), next, 0, 0, itemSlot, slots -> false);
    }
    ValueType type = context.typeOf(source);
    context.markAssigned(into);
    if (!type.collection()) {
      context.error(
          path + ".collection",
          "variable '" + filter.collection() + "' is " + type + ", expected a collection");
      return new CollectionNodes.CollectionFilterNode(
          index, filter.name(), next, source, into, itemSlot, slots -> false);
    }
    if (!context.typeOf(into).accepts(type)) {
      context.error(
          path + ".into",
          "variable '"
              + filter.into()
              + "' is "
              + context.typeOf(into)
              + ", expected "
              + type
              + " like '"
              + filter.collection()
              + "'");
    }
    ValueCompiler.Ref item =
        new ValueCompiler.Ref(
            new Operand.Slot(itemSlot), type.item(), "'" + ValueCompiler.ITEM + "'");
    Condition condition =
        values.withItem(
            item, () -> conditions.condition(filter.requirements(), filter.logic(), path));
    return new CollectionNodes.CollectionFilterNode(
        index, filter.name(), next, source, into, itemSlot, condition);
  }
}
