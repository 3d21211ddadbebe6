package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.Operator;
import io.orchestrion.api.flow.RecordFilter;
import io.orchestrion.api.flow.Requirement;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles conditions: the outcomes of a Decision, requirements combined by their logic (a
 * Decision's, a CollectionFilter's) and the filters of record elements. Every problem goes to the
 * {@link CompilationContext} with its JSON path.
 */
final class ConditionCompiler {
  static final int MAX_REQUIREMENTS = 10;

  private final CompilationContext context;
  private final ValueCompiler values;

  ConditionCompiler(CompilationContext context, ValueCompiler values) {
    this.context = context;
    this.values = values;
  }

  Node decision(FlowElement.Decision decision, int index, String path) {
    List<Condition> conditions = new ArrayList<>();
    int[] targets = new int[decision.outcomes().size()];
    if (decision.outcomes().isEmpty()) {
      context.error(path + ".outcomes", "a Decision needs at least one outcome");
    }
    for (int i = 0; i < decision.outcomes().size(); i++) {
      FlowElement.Outcome outcome = decision.outcomes().get(i);
      String outcomePath = path + ".outcomes[" + i + "]";
      conditions.add(condition(outcome.requirements(), outcome.logic(), outcomePath));
      targets[i] = context.connector(index, outcome.next(), outcomePath + ".next");
    }
    int defaultNext = context.connector(index, decision.defaultNext(), path + ".defaultNext");
    if (decision.defaultNext().isEmpty()) {
      context.warning(
          path,
          "Decision '"
              + decision.name()
              + "' has no default path: when no outcome is true, the interview ends here");
    }
    return new DecisionNode(index, decision.name(), conditions, targets, defaultNext);
  }

  Condition condition(List<Requirement> requirements, String logic, String path) {
    if (requirements.isEmpty()) {
      context.error(path + ".requirements", "at least one requirement is needed");
      return slots -> false;
    }
    if (requirements.size() > MAX_REQUIREMENTS) {
      context.error(
          path + ".requirements",
          requirements.size() + " requirements, at most " + MAX_REQUIREMENTS + " are allowed");
    }
    List<Condition> rows = new ArrayList<>();
    for (int i = 0; i < requirements.size(); i++) {
      rows.add(requirement(requirements.get(i), path + ".requirements[" + i + "]"));
    }
    try {
      return toCondition(ConditionLogic.parse(logic, requirements.size()), rows);
    } catch (IllegalArgumentException e) {
      context.error(path + ".logic", e.getMessage());
      return slots -> false;
    }
  }

  private static Condition toCondition(ConditionLogic.Expression expression, List<Condition> rows) {
    return switch (expression) {
      case ConditionLogic.Row row -> rows.get(row.number() - 1);
      case ConditionLogic.Not not -> new Condition.Not(toCondition(not.expression(), rows));
      case ConditionLogic.And and ->
          new Condition.And(toCondition(and.left(), rows), toCondition(and.right(), rows));
      case ConditionLogic.Or or ->
          new Condition.Or(toCondition(or.left(), rows), toCondition(or.right(), rows));
    };
  }

  private Condition requirement(Requirement requirement, String path) {
    ValueCompiler.Ref ref =
        switch (requirement.left()) {
          case ValueSpec.Reference left -> values.reference(left.ref(), path + ".left");
          case ValueSpec.Formula left -> values.formula(left.formula(), path + ".left");
          case ValueSpec.Literal ignored -> {
            context.error(
                path + ".left",
                "the left side of a requirement is a reference {\"ref\": \"...\"} or a formula"
                    + " {\"formula\": \"...\"}");
            yield null;
          }
        };
    if (ref == null) {
      return slots -> false;
    }
    ValueType right = operandType(requirement.operator(), ref.type(), ref.describe(), path);
    if (right == null) {
      return slots -> false;
    }
    Operand rightOperand = values.value(requirement.right(), right, path + ".right");
    if (requirement.operator() == Operator.IS_CHANGED) {
      Operand initial = initialOperand(ref.operand(), ref.describe(), path + ".left");
      return initial == null
          ? slots -> false
          : new Condition.Changed(ref.operand(), initial, rightOperand);
    }
    return new Condition.Requirement(ref.operand(), requirement.operator(), rightOperand);
  }

  /**
   * Checks that {@code operator} suits a left side of type {@code left} and returns the type the
   * right side must have; reports a problem and returns null otherwise.
   */
  private ValueType operandType(Operator operator, ValueType left, String leftName, String path) {
    String problem =
        switch (operator) {
          case IS_CHANGED, IS_NULL, WAS_SET -> null;
          case IS_BLANK ->
              left.collection() || left.type().isTextual() ? null : "needs a text or collection";
          case EQUALS, NOT_EQUALS ->
              left.collection() || left.type() == DataType.RECORD
                  ? "cannot compare a " + left
                  : null;
          case GREATER_THAN, GREATER_OR_EQUAL, LESS_THAN, LESS_OR_EQUAL ->
              left.isOrdered() ? null : "needs a number, currency, date or date-time";
          case CONTAINS ->
              left.collection() || left.type().isTextual() ? null : "needs a text or collection";
          case STARTS_WITH, ENDS_WITH ->
              !left.collection() && left.type().isTextual() ? null : "needs a text";
        };
    if (problem != null) {
      context.error(path + ".operator", operator + " " + problem + ", " + leftName + " is " + left);
      return null;
    }
    if (operator.isOneSided()) {
      return ValueType.of(DataType.BOOLEAN);
    }
    return operator == Operator.CONTAINS && left.collection() ? left.item() : left;
  }

  /**
   * The value of a variable (or of its field) as it was when the interview started, kept in a
   * hidden slot that the interpreter fills after the inputs (SPEC §5.2: IS_CHANGED in flows).
   */
  private Operand initialOperand(Operand current, String ref, String path) {
    int variable =
        switch (current) {
          case Operand.Slot slot -> slot.index();
          case Operand.Field field -> field.index();
          default -> -1;
        };
    if (variable < 0 || variable >= context.definition().variables().size()) {
      context.error(
          path, "IS_CHANGED needs a variable or a field of a record variable, got " + ref);
      return null;
    }
    int initial = context.initialSlot(variable);
    return switch (current) {
      case Operand.Field field -> new Operand.Field(initial, field.field());
      default -> new Operand.Slot(initial);
    };
  }

  List<RecordNodes.Filter> filters(
      ObjectTypeDefinition type, List<RecordFilter> filters, String path) {
    List<RecordNodes.Filter> compiled = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      RecordFilter filter = filters.get(i);
      String filterPath = path + "[" + i + "]";
      Optional<FieldDefinition> field = context.field(type, filter.field(), filterPath + ".field");
      if (field.isEmpty()) {
        continue;
      }
      if (filter.operator() == Operator.IS_CHANGED) {
        context.error(
            filterPath + ".operator",
            "IS_CHANGED compares with the value at interview start; it cannot filter records");
        continue;
      }
      ValueType valueType =
          operandType(
              filter.operator(), ValueType.of(field.get()), "'" + filter.field() + "'", filterPath);
      if (valueType == null) {
        continue;
      }
      compiled.add(
          new RecordNodes.Filter(
              filter.field(),
              filter.operator(),
              values.value(filter.value(), valueType, filterPath + ".value")));
    }
    return compiled;
  }
}
