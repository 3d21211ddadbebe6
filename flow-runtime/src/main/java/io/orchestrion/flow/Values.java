package io.orchestrion.flow;

import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.RecordData;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Conversions of plain values (from JSON, inputs, plugins) to the types of flow values. */
final class Values {
  /** The classes of the JDK's immutable lists ({@code List.of}, {@code copyOf}, {@code toList}). */
  private static final Class<?> IMMUTABLE_SMALL_LIST = List.of(1).getClass();

  private static final Class<?> IMMUTABLE_LIST = List.of(1, 2, 3).getClass();

  private Values() {}

  /**
   * Converts {@code value} to the Java representation of {@code type}.
   *
   * @throws IllegalArgumentException with a message quoting the value when it does not fit
   */
  static Object convert(Object value, ValueType type) {
    if (value == null) {
      return null;
    }
    if (type.collection()) {
      if (!(value instanceof Collection<?> items)) {
        throw new IllegalArgumentException("expected a list for " + type + ", got " + quote(value));
      }
      ValueType itemType = type.item();
      if (isImmutableList(value) && itemsFit((List<?>) value, itemType)) {
        // Nothing can change it under the interview, so it need not be copied: for a large input
        // the copy would cost as much as running a loop over it.
        return value;
      }
      List<Object> converted = new ArrayList<>(items.size());
      for (Object item : items) {
        converted.add(convert(item, itemType));
      }
      return Collections.unmodifiableList(converted);
    }
    return switch (type.type()) {
      case TEXT, PICKLIST, USER, LOOKUP -> {
        if (value instanceof String text) {
          yield text;
        }
        throw mismatch(value, type);
      }
      case NUMBER, CURRENCY -> {
        if (value instanceof Number number) {
          yield scale(inRange(toDecimal(number)), type);
        }
        throw mismatch(value, type);
      }
      case BOOLEAN -> {
        if (value instanceof Boolean bool) {
          yield bool;
        }
        throw mismatch(value, type);
      }
      case DATE -> {
        if (value instanceof LocalDate date) {
          yield date;
        }
        if (value instanceof String text) {
          try {
            yield LocalDate.parse(text);
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                "expected an ISO-8601 date (2025-01-31) for DATE, got " + quote(value), e);
          }
        }
        throw mismatch(value, type);
      }
      case DATETIME -> {
        if (value instanceof Instant instant) {
          yield instant;
        }
        if (value instanceof String text) {
          try {
            yield Instant.parse(text);
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                "expected an ISO-8601 date-time (2025-01-31T10:15:30Z) for DATETIME, got "
                    + quote(value),
                e);
          }
        }
        throw mismatch(value, type);
      }
      case RECORD -> {
        if (value instanceof RecordData record
            && (type.objectType().isEmpty()
                || type.objectType().get().equals(record.objectType()))) {
          yield record;
        }
        throw mismatch(value, type);
      }
    };
  }

  private static boolean isImmutableList(Object value) {
    Class<?> type = value.getClass();
    return type == IMMUTABLE_LIST || type == IMMUTABLE_SMALL_LIST;
  }

  /**
   * Whether every item converts to itself, i.e. already has the item type. The class an item must
   * have is found once, not per item as {@link #convert} would.
   */
  private static boolean itemsFit(List<?> items, ValueType itemType) {
    Class<?> required =
        switch (itemType.type()) {
          case TEXT, PICKLIST, USER, LOOKUP -> String.class;
          case BOOLEAN -> Boolean.class;
          case DATE -> LocalDate.class;
          case DATETIME -> Instant.class;
          // The range of a NUMBER, the scale of a CURRENCY item and the object type of a RECORD
          // matter too.
          case NUMBER, CURRENCY, RECORD -> null;
        };
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item != null
          && (required == null ? convert(item, itemType) != item : !required.isInstance(item))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code value} when it has at most {@link FormulaLibrary#MAX_DECIMAL_DIGITS} digits and an
   * exponent of at most as much: adding 1 to 1e999999999, as an Assignment may, would build a
   * billion digits.
   *
   * @throws IllegalArgumentException quoting the value otherwise
   */
  static BigDecimal inRange(BigDecimal value) {
    if (Math.abs((long) value.scale()) > FormulaLibrary.MAX_DECIMAL_DIGITS
        || value.precision() > FormulaLibrary.MAX_DECIMAL_DIGITS) {
      throw new IllegalArgumentException(
          "expected a number of at most "
              + FormulaLibrary.MAX_DECIMAL_DIGITS
              + " digits and an exponent of at most "
              + FormulaLibrary.MAX_DECIMAL_DIGITS
              + ", got "
              + value);
    }
    return value;
  }

  /** Rounds a decimal to the scale of a CURRENCY type (HALF_UP); other types keep it as it is. */
  static BigDecimal scale(BigDecimal value, ValueType type) {
    return type.type() == DataType.CURRENCY && type.scale() >= 0
        ? value.setScale(type.scale(), RoundingMode.HALF_UP)
        : value;
  }

  static BigDecimal toDecimal(Number number) {
    // The common case, before the type switch (which is slower than one instanceof).
    if (number instanceof BigDecimal decimal) {
      return decimal;
    }
    return switch (number) {
      case BigDecimal decimal -> decimal;
      case BigInteger integer -> new BigDecimal(integer);
      case Integer i -> BigDecimal.valueOf(i);
      case Long l -> BigDecimal.valueOf(l);
      case Short s -> BigDecimal.valueOf(s);
      case Byte b -> BigDecimal.valueOf(b);
      default -> {
        double d = number.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new IllegalArgumentException("not a finite number: " + number);
        }
        // Via the shortest decimal string, so that 0.1 stays 0.1.
        yield new BigDecimal(Double.toString(d));
      }
    };
  }

  /** EQUALS semantics: decimals by value (1000 equals 1000.00), everything else by equals. */
  static boolean equal(Object left, Object right) {
    if (left instanceof BigDecimal a && right instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return left == null ? right == null : left.equals(right);
  }

  /** {@link #equal} also inside lists and record fields, for IS_CHANGED. */
  static boolean deepEqual(Object left, Object right) {
    if (left instanceof List<?> a && right instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!deepEqual(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (left instanceof RecordData a && right instanceof RecordData b) {
      if (!a.objectType().equals(b.objectType())
          || !a.fields().keySet().equals(b.fields().keySet())) {
        return false;
      }
      for (var entry : a.fields().entrySet()) {
        if (!deepEqual(entry.getValue(), b.fields().get(entry.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return equal(left, right);
  }

  /** Orders two non-null values of the same ordered type. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object left, Object right) {
    return ((Comparable) left).compareTo(right);
  }

  static boolean isBlank(Object value) {
    return value == null
        || (value instanceof String text && text.isBlank())
        || (value instanceof Collection<?> items && items.isEmpty());
  }

  static String quote(Object value) {
    if (value instanceof String text) {
      return "'" + text + "'";
    }
    return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
  }

  private static IllegalArgumentException mismatch(Object value, ValueType type) {
    return new IllegalArgumentException("expected " + type + ", got " + quote(value));
  }
}
