package io.orchestrion.flow;

import io.orchestrion.api.object.RecordData;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * SPEC §6.4's limits on values: the length of a text, the items of a collection and the size of all
 * values of an interview. A value is measured as the JSON of a stored interview state would hold it
 * (approximately: a text counts its characters and quotes, a number its digits) while its texts and
 * collections are checked, so that one pass over the value does both. Measuring is linear in the
 * value; the interview measures only the variables an element changed.
 */
final class ValueLimits {
  private static final int NULL_SIZE = 4;
  private static final int BOOLEAN_SIZE = 5;
  private static final int DATE_SIZE = 12;
  private static final int DATETIME_SIZE = 32;

  /** The object type, id and version a stored record carries besides its fields. */
  private static final int RECORD_OVERHEAD = 64;

  private final FlowLimits limits;

  ValueLimits(FlowLimits limits) {
    this.limits = limits;
  }

  FlowLimits limits() {
    return limits;
  }

  /**
   * The JSON size of the value in {@code slot} of a frame of {@code flow}, after checking the
   * length of its texts and the items of its collections.
   *
   * @throws FlowFault a limit, naming it, its value, the value's size and the variable
   */
  long measure(Object value, CompiledFlow flow, int slot) {
    // instanceof tests, commonest first: a type switch costs about 100 ns a call here, as much as
    // running an element.
    if (value == null) {
      return NULL_SIZE;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.precision() + 2L;
    }
    if (value instanceof String text) {
      if (text.length() > limits.maxTextLength()) {
        checkText(text.length(), holder(flow, slot));
      }
      return text.length() + 2L;
    }
    if (value instanceof Boolean) {
      return BOOLEAN_SIZE;
    }
    if (value instanceof List<?> list && list instanceof RandomAccess) {
      if (list.size() > limits.maxCollectionItems()) {
        checkItems(list.size(), holder(flow, slot));
      }
      long size = 2;
      // As collections in slots are: no iterator objects.
      for (int i = 0; i < list.size(); i++) {
        size += measure(list.get(i), flow, slot) + 1;
      }
      return size;
    }
    if (value instanceof RecordData record) {
      long size = RECORD_OVERHEAD + record.objectType().length();
      for (Map.Entry<String, Object> field : record.fields().entrySet()) {
        size += field.getKey().length() + 4L + measure(field.getValue(), flow, slot);
      }
      return size;
    }
    if (value instanceof LocalDate) {
      return DATE_SIZE;
    }
    if (value instanceof Instant) {
      return DATETIME_SIZE;
    }
    if (value instanceof Collection<?> items) {
      if (items.size() > limits.maxCollectionItems()) {
        checkItems(items.size(), holder(flow, slot));
      }
      long size = 2;
      for (Object item : items) {
        size += measure(item, flow, slot) + 1;
      }
      return size;
    }
    return value.toString().length() + 2L;
  }

  /** What a slot is called in messages: its variable, the fault message or a hidden value. */
  static String holder(CompiledFlow flow, int slot) {
    if (slot < flow.variableCount()) {
      return "variable '" + flow.variableName(slot) + "'";
    }
    if (slot == flow.faultSlot()) {
      return "$Flow.FaultMessage";
    }
    return "'" + flow.hiddenName(slot - flow.faultSlot() - 1) + "'";
  }

  void checkText(int length, String holder) {
    if (length > limits.maxTextLength()) {
      throw FlowFault.limit(
          "text length limit of "
              + limits.maxTextLength()
              + " characters reached (maxTextLength): "
              + holder
              + " would hold a text of "
              + length
              + " characters");
    }
  }

  void checkItems(int count, String holder) {
    if (count > limits.maxCollectionItems()) {
      throw FlowFault.limit(
          "collection item limit of "
              + limits.maxCollectionItems()
              + " reached (maxCollectionItems): "
              + holder
              + " would hold "
              + count
              + " items");
    }
  }

  /**
   * @param size the JSON size of all values of the interview
   */
  void checkTotal(long size, String changed) {
    if (size > limits.maxValuesJsonChars()) {
      throw FlowFault.limit(
          "interview value size limit of "
              + limits.maxValuesJsonChars()
              + " characters of JSON reached (maxValuesJsonChars): "
              + "the values would take about "
              + size
              + " after "
              + changed
              + " changed");
    }
  }
}
