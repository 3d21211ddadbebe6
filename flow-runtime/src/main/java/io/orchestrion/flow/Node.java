package io.orchestrion.flow;

/**
 * A compiled element. Each holds its connectors as element indexes and its operands as resolved
 * slots, so that running an element does no lookup by name. The kinds are grouped by job, like
 * their compilers: {@link AssignmentNode} (with {@link AssignmentStep}), {@link DecisionNode},
 * {@link CollectionNodes}, {@link RecordNodes}, {@link CallNodes} (Action, Subflow, Wait) and
 * {@link CustomErrorNode}.
 */
abstract class Node {
  /** The path ends: the frame completes. */
  static final int END = -1;

  /** The interview pauses (Wait). */
  static final int PAUSE = -2;

  /** A subflow frame was pushed; continue at its start. */
  static final int CALL = -3;

  final int index;
  final String name;
  final int next;
  final int faultNext;

  Node(int index, String name, int next, int faultNext) {
    this.index = index;
    this.name = name;
    this.next = next;
    this.faultNext = faultNext;
  }

  /** Runs the element and returns the index of the next element, or END, PAUSE or CALL. */
  abstract int execute(Interview interview, Frame frame);
}
