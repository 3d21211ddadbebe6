package io.orchestrion.flow;

import io.orchestrion.api.object.RecordData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * The elements that work on collections: Loop, CollectionSort and CollectionFilter (compiled by
 * {@link CollectionElementCompiler}), and the orders CollectionSort uses.
 */
final class CollectionNodes {
  private CollectionNodes() {}

  static final class LoopNode extends Node {
    private final int each;
    private final int collectionSlot;
    private final int itemSlot;
    private final int itemsSlot;
    private final int positionSlot;

    /**
     * {@code itemsSlot} holds the snapshot being iterated and {@code positionSlot} the index of the
     * next item, both null when the loop is not running (so that re-entering it starts afresh).
     */
    LoopNode(
        int index,
        String name,
        int each,
        int after,
        int collectionSlot,
        int itemSlot,
        int itemsSlot,
        int positionSlot) {
      super(index, name, after, END);
      this.each = each;
      this.collectionSlot = collectionSlot;
      this.itemSlot = itemSlot;
      this.itemsSlot = itemsSlot;
      this.positionSlot = positionSlot;
    }

    @Override
    int execute(Interview interview, Frame frame) {
      Object[] slots = frame.slots;
      List<?> items = (List<?>) slots[itemsSlot];
      int position;
      if (items == null) {
        // Collections are immutable lists: holding the reference is the snapshot.
        Object collection = slots[collectionSlot];
        items = collection == null ? List.of() : (List<?>) collection;
        slots[itemsSlot] = items;
        position = 0;
      } else {
        position = ((Number) slots[positionSlot]).intValue();
      }
      if (position < items.size()) {
        slots[itemSlot] = items.get(position);
        slots[positionSlot] = boxedPosition(position + 1);
        return each;
      }
      slots[itemsSlot] = null;
      slots[positionSlot] = null;
      return next;
    }
  }

  /** Boxed loop positions up to this one are shared rather than allocated per iteration. */
  private static final int SHARED_POSITIONS = 1024;

  private static final Integer[] POSITIONS = new Integer[SHARED_POSITIONS + 1];

  static {
    for (int i = 0; i <= SHARED_POSITIONS; i++) {
      POSITIONS[i] = i;
    }
  }

  private static Integer boxedPosition(int position) {
    return position <= SHARED_POSITIONS ? POSITIONS[position] : Integer.valueOf(position);
  }

  /** Orders records by fields, each ascending unless descending; nulls last either way. */
  static Comparator<Object> recordOrder(List<io.orchestrion.api.flow.SortSpec> keys) {
    Comparator<Object> order = (a, b) -> 0;
    for (io.orchestrion.api.flow.SortSpec key : keys) {
      Comparator<Object> values = valueOrder(key.descending());
      String field = key.field();
      order = order.thenComparing((a, b) -> values.compare(fieldOf(a, field), fieldOf(b, field)));
    }
    return order;
  }

  private static Object fieldOf(Object record, String field) {
    return record instanceof RecordData data ? data.fields().get(field) : null;
  }

  /** Orders values naturally (reversed when descending); nulls last either way. */
  static Comparator<Object> valueOrder(boolean descending) {
    return (a, b) -> {
      if (a == null || b == null) {
        return a == null ? (b == null ? 0 : 1) : -1;
      }
      int compared = Values.compare(a, b);
      return descending ? -compared : compared;
    };
  }

  static final class CollectionSortNode extends Node {
    private final int slot;
    private final Comparator<Object> order;
    private final int limit;

    CollectionSortNode(
        int index,
        String name,
        int next,
        int slot,
        Comparator<Object> order,
        Optional<Integer> limit) {
      super(index, name, next, END);
      this.slot = slot;
      this.order = order;
      this.limit = limit.orElse(Integer.MAX_VALUE);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      if (frame.slots[slot] instanceof List<?> items) {
        List<Object> sorted = new ArrayList<>(items);
        sorted.sort(order);
        frame.slots[slot] =
            Collections.unmodifiableList(
                sorted.size() > limit ? new ArrayList<>(sorted.subList(0, limit)) : sorted);
      }
      return next;
    }
  }

  static final class CollectionFilterNode extends Node {
    private final int source;
    private final int into;
    private final int itemSlot;
    private final Condition condition;

    CollectionFilterNode(
        int index, String name, int next, int source, int into, int itemSlot, Condition condition) {
      super(index, name, next, END);
      this.source = source;
      this.into = into;
      this.itemSlot = itemSlot;
      this.condition = condition;
    }

    @Override
    int execute(Interview interview, Frame frame) {
      Object[] slots = frame.slots;
      List<?> items = slots[source] instanceof List<?> list ? list : List.of();
      List<Object> kept = new ArrayList<>();
      if (items instanceof RandomAccess) {
        // As collections in slots are: no iterator objects.
        for (int i = 0; i < items.size(); i++) {
          Object item = items.get(i);
          slots[itemSlot] = item;
          if (condition.test(slots)) {
            kept.add(item);
          }
        }
      } else {
        for (Object item : items) {
          slots[itemSlot] = item;
          if (condition.test(slots)) {
            kept.add(item);
          }
        }
      }
      slots[itemSlot] = null;
      slots[into] = Collections.unmodifiableList(kept);
      return next;
    }
  }
}
