package io.orchestrion.flow;

import io.orchestrion.api.flow.Operator;
import java.util.Collection;

/** A compiled requirement or combination of requirements (SPEC §5.2). */
interface Condition {
  boolean test(Object[] slots);

  record And(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(Object[] slots) {
      return left.test(slots) && right.test(slots);
    }
  }

  record Or(Condition left, Condition right) implements Condition {
    @Override
    public boolean test(Object[] slots) {
      return left.test(slots) || right.test(slots);
    }
  }

  record Not(Condition condition) implements Condition {
    @Override
    public boolean test(Object[] slots) {
      return !condition.test(slots);
    }
  }

  /** {@code left operator right}; for one-sided operators {@code right} is the expected Boolean. */
  record Requirement(Operand left, Operator operator, Operand right) implements Condition {
    @Override
    public boolean test(Object[] slots) {
      Object value = left.get(slots);
      Object other = right.get(slots);
      return switch (operator) {
        case EQUALS -> Values.equal(value, other);
        case NOT_EQUALS -> !Values.equal(value, other);
        case GREATER_THAN -> value != null && other != null && Values.compare(value, other) > 0;
        case GREATER_OR_EQUAL ->
            value != null && other != null && Values.compare(value, other) >= 0;
        case LESS_THAN -> value != null && other != null && Values.compare(value, other) < 0;
        case LESS_OR_EQUAL -> value != null && other != null && Values.compare(value, other) <= 0;
        case CONTAINS -> contains(value, other);
        case STARTS_WITH ->
            value instanceof String text && other instanceof String part && text.startsWith(part);
        case ENDS_WITH ->
            value instanceof String text && other instanceof String part && text.endsWith(part);
        case IS_NULL -> (value == null) == expected(other);
        case WAS_SET -> (value != null) == expected(other);
        case IS_BLANK -> Values.isBlank(value) == expected(other);
        // Compiled to Changed; kept total so that a new operator cannot slip through silently.
        case IS_CHANGED -> throw new IllegalStateException("IS_CHANGED compiles to Changed");
      };
    }

    static boolean expected(Object right) {
      return !Boolean.FALSE.equals(right);
    }

    private static boolean contains(Object value, Object other) {
      if (value instanceof String text) {
        return other instanceof String part && text.contains(part);
      }
      if (value instanceof Collection<?> items) {
        return items.stream().anyMatch(item -> Values.equal(item, other));
      }
      return false;
    }
  }

  /**
   * IS_CHANGED in flows (SPEC §5.2): whether {@code current} differs from {@code initial}, the same
   * reference read from the values the interview started with.
   */
  record Changed(Operand current, Operand initial, Operand expected) implements Condition {
    @Override
    public boolean test(Object[] slots) {
      boolean changed = !Values.deepEqual(current.get(slots), initial.get(slots));
      return changed == Requirement.expected(expected.get(slots));
    }
  }
}
