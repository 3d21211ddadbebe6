package io.orchestrion.api.flow;

/** Comparison operators of requirements (SPEC §5.2) and record filters. */
public enum Operator {
  EQUALS,
  NOT_EQUALS,
  GREATER_THAN,
  GREATER_OR_EQUAL,
  LESS_THAN,
  LESS_OR_EQUAL,
  CONTAINS,
  STARTS_WITH,
  ENDS_WITH,
  IS_NULL,
  IS_BLANK,
  IS_CHANGED,
  WAS_SET;

  /** One-sided operators take a Boolean {@code right}: whether the property must hold. */
  public boolean isOneSided() {
    return this == IS_NULL || this == IS_BLANK || this == IS_CHANGED || this == WAS_SET;
  }
}
