package io.orchestrion.flow;

import io.orchestrion.api.flow.AssignmentOperator;
import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles Assignment elements: each item's target, the operator checked against the target's type,
 * and the value in the type the operator needs. Every problem goes to the {@link
 * CompilationContext} with its JSON path.
 */
final class AssignmentCompiler {
  private final CompilationContext context;
  private final ValueCompiler values;

  AssignmentCompiler(CompilationContext context, ValueCompiler values) {
    this.context = context;
    this.values = values;
  }

  Node assignment(FlowElement.Assignment assignment, int index, String path) {
    List<AssignmentStep> steps = new ArrayList<>();
    if (assignment.assignments().isEmpty()) {
      context.error(path + ".assignments", "an Assignment needs at least one assignment");
    }
    for (int i = 0; i < assignment.assignments().size(); i++) {
      FlowElement.AssignmentItem item = assignment.assignments().get(i);
      String itemPath = path + ".assignments[" + i + "]";
      ValueCompiler.TargetRef target = values.target(item.target(), itemPath + ".target");
      if (target == null) {
        continue;
      }
      ValueType valueType = assignedValueType(item.operator(), target.type(), item, itemPath);
      if (valueType == null) {
        continue;
      }
      Optional<FieldDefinition> field = values.fieldOf(item.target());
      Operand value = values.value(item.value(), valueType, itemPath + ".value", field);
      steps.add(AssignmentStep.of(target.target(), item.operator(), value, target.type()));
    }
    int next = context.connector(index, assignment.next(), path + ".next");
    return new AssignmentNode(index, assignment.name(), next, steps);
  }

  /** The type the value of an assignment must have, given the operator and the target. */
  private ValueType assignedValueType(
      AssignmentOperator operator, ValueType target, FlowElement.AssignmentItem item, String path) {
    return switch (operator) {
      case SET -> target;
      case ADD, SUBTRACT -> {
        boolean numeric = !target.collection() && target.type().isNumeric();
        boolean text =
            operator == AssignmentOperator.ADD
                && !target.collection()
                && target.type() == DataType.TEXT;
        if (!numeric && !text) {
          context.error(
              path + ".operator",
              operator
                  + " needs a NUMBER or CURRENCY target (ADD also TEXT), '"
                  + item.target()
                  + "' is "
                  + target);
          yield null;
        }
        yield target;
      }
      case ADD_ITEM, ADD_AT_START, REMOVE_ALL, REMOVE_FIRST -> {
        if (!target.collection()) {
          context.error(
              path + ".operator",
              operator + " needs a collection target, '" + item.target() + "' is " + target);
          yield null;
        }
        // A single item, or (except REMOVE_FIRST) a whole collection of the same type.
        if (operator != AssignmentOperator.REMOVE_FIRST
            && item.value() instanceof ValueSpec.Reference reference) {
          ValueCompiler.Ref ref = values.reference(reference.ref(), path + ".value");
          if (ref != null && ref.type().collection()) {
            yield target;
          }
        }
        yield target.item();
      }
    };
  }
}
