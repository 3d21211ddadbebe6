package io.orchestrion.api.flow;

/** What an Assignment does to its target. */
public enum AssignmentOperator {
  SET,
  ADD,
  SUBTRACT,
  ADD_ITEM,
  ADD_AT_START,
  REMOVE_ALL,
  REMOVE_FIRST
}
