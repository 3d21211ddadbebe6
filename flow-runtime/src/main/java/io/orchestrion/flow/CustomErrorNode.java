package io.orchestrion.flow;

/** A CustomError element: a fault with the message it computes. */
final class CustomErrorNode extends Node {
  private final Operand message;

  CustomErrorNode(int index, String name, Operand message) {
    super(index, name, END, END);
    this.message = message;
  }

  @Override
  int execute(Interview interview, Frame frame) {
    Object text = message.get(frame.slots);
    throw new FlowFault(text == null ? "custom error without message" : text.toString());
  }
}
