package io.orchestrion.flow;

import java.util.List;

/** A Decision element: the first outcome whose condition holds, otherwise the default. */
final class DecisionNode extends Node {
  private final Condition[] outcomes;
  private final int[] targets;

  DecisionNode(int index, String name, List<Condition> outcomes, int[] targets, int defaultNext) {
    super(index, name, defaultNext, END);
    this.outcomes = outcomes.toArray(Condition[]::new);
    this.targets = targets.clone();
  }

  @Override
  int execute(Interview interview, Frame frame) {
    Object[] slots = frame.slots;
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i].test(slots)) {
        return targets[i];
      }
    }
    return next;
  }
}
