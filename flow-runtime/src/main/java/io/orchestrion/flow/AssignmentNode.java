package io.orchestrion.flow;

import java.util.List;

/** An Assignment element: its steps, run in order. */
final class AssignmentNode extends Node {
  private final AssignmentStep[] steps;

  AssignmentNode(int index, String name, int next, List<AssignmentStep> steps) {
    super(index, name, next, END);
    this.steps = steps.toArray(AssignmentStep[]::new);
  }

  @Override
  int execute(Interview interview, Frame frame) {
    Object[] slots = frame.slots;
    for (int i = 0; i < steps.length; i++) {
      steps[i].apply(slots);
      // The interview checks the values after the element; between its steps too, so that an
      // element of many doubling steps cannot grow a value past the limits before that.
      if (i < steps.length - 1) {
        interview.checkWrites(frame);
      }
    }
    return next;
  }
}
