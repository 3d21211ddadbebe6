package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.run.ExecutionMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Analyses a flow definition and builds its compiled elements in one walk, collecting every problem
 * with its JSON path. Used once per analysis; not thread-safe.
 *
 * <p>This class declares the variables and indexes the elements, hands each element to the compiler
 * for its kind ({@link AssignmentCompiler}, {@link ConditionCompiler} for Decisions, {@link
 * CollectionElementCompiler}, {@link RecordElementCompiler}, {@link CallElementCompiler}), runs the
 * checks of the whole flow (reachability and cycles through {@link FlowGraph}, outputs never
 * assigned, the rules of EVALUATION flows) and assembles the analysis and the {@link CompiledFlow}.
 * The parts share one {@link CompilationContext}; values and references compile in {@link
 * ValueCompiler}.
 */
final class Compilation {
  static final String EVALUATION_OUTPUT = "isOrchestrationConditionMet";
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final FlowDefinition definition;
  private final CompilationContext context;
  private final ValueCompiler values;
  private final ConditionCompiler conditions;
  private final AssignmentCompiler assignments;
  private final CollectionElementCompiler collections;
  private final RecordElementCompiler records;
  private final CallElementCompiler calls;
  private final Object[] initialValues;
  private Node[] nodes;
  private int startIndex = Node.END;

  Compilation(FlowDefinition definition, FlowEnvironment environment) {
    this.definition = definition;
    this.context = new CompilationContext(definition, environment);
    this.values = new ValueCompiler(context);
    this.conditions = new ConditionCompiler(context, values);
    this.assignments = new AssignmentCompiler(context, values);
    this.collections = new CollectionElementCompiler(context, conditions, values);
    this.records = new RecordElementCompiler(context, values, conditions);
    this.calls = new CallElementCompiler(context, values);
    this.initialValues = new Object[definition.variables().size()];
  }

  FlowAnalysis analyze() {
    declareVariables();
    values.useFormulas(
        new FormulaCompiler(context::lookUpObjectType)
            .compile(
                definition.formulas(),
                definition.variables(),
                context.variableTypes(),
                context.errors()));
    indexElements();
    List<FlowElement> elements = definition.elements();
    nodes = new Node[elements.size()];
    for (int i = 0; i < elements.size(); i++) {
      nodes[i] = compile(elements.get(i), i, "$.elements[" + i + "]");
    }
    FlowGraph graph = context.graph(startIndex);
    if (startIndex >= 0) {
      graph.unreachable().forEach(this::unreachable);
      graph.cyclesWithoutLoop().forEach(context::error);
      graph.loopsWithoutExit().forEach(context::warning);
    }
    checkOutputsAssigned();
    if (definition.type() == FlowType.EVALUATION) {
      checkEvaluationFlow();
    }
    List<AsyncReason> reasons = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      FlowElement element = elements.get(i);
      if (element.isAsynchronous()) {
        reasons.add(
            new AsyncReason(
                element.name(),
                element.kind(),
                startIndex >= 0 ? graph.placement(i) : Optional.empty()));
      }
    }
    return new FlowAnalysis(
        context.errors(),
        context.warnings(),
        reasons.isEmpty() ? ExecutionMode.SYNC : ExecutionMode.ASYNC,
        reasons);
  }

  /** The compiled flow; only after {@link #analyze()} found no error. */
  CompiledFlow compiled(int version, FlowAnalysis analysis) {
    return new CompiledFlow(
        definition,
        version,
        analysis,
        nodes,
        startIndex,
        context.variableTypes(),
        initialValues,
        context.hiddenNames(),
        context.initialSlots());
  }

  // ---- checks of the whole flow ----

  private void unreachable(int index) {
    context.error(
        "$.elements[" + index + "]",
        "element '"
            + definition.elements().get(index).name()
            + "' is unreachable from the start element '"
            + definition.start()
            + "'");
  }

  private void checkOutputsAssigned() {
    List<VariableDefinition> variables = definition.variables();
    for (int slot = 0; slot < variables.size(); slot++) {
      VariableDefinition variable = variables.get(slot);
      boolean evaluationOutput =
          definition.type() == FlowType.EVALUATION && variable.name().equals(EVALUATION_OUTPUT);
      if (variable.output()
          && !variable.input()
          && !evaluationOutput
          && initialValues[slot] == null
          && !context.isAssigned(slot)) {
        context.warning(
            "$.variables[" + slot + "]",
            "output '"
                + variable.name()
                + "' is never assigned and has no default: it is always absent");
      }
    }
  }

  private void checkEvaluationFlow() {
    List<VariableDefinition> outputs =
        definition.variables().stream().filter(VariableDefinition::output).toList();
    boolean rightOutput =
        outputs.size() == 1
            && outputs.getFirst().name().equals(EVALUATION_OUTPUT)
            && outputs.getFirst().type() == DataType.BOOLEAN
            && !outputs.getFirst().collection();
    if (!rightOutput) {
      context.error(
          "$.variables",
          "an EVALUATION flow has exactly one output, the BOOLEAN variable '"
              + EVALUATION_OUTPUT
              + "'; found "
              + outputs.stream().map(VariableDefinition::name).toList());
    }
    List<FlowElement> elements = definition.elements();
    for (int i = 0; i < elements.size(); i++) {
      FlowElement element = elements.get(i);
      if (element.isAsynchronous()
          || element instanceof FlowElement.CreateRecords
          || element instanceof FlowElement.UpdateRecords
          || element instanceof FlowElement.DeleteRecords) {
        context.error(
            "$.elements[" + i + "].type",
            "an EVALUATION flow must be free of side effects: "
                + element.kind()
                + " element '"
                + element.name()
                + "' is not allowed");
      }
    }
  }

  // ---- declarations ----

  private void declareVariables() {
    List<VariableDefinition> variables = definition.variables();
    for (int slot = 0; slot < variables.size(); slot++) {
      VariableDefinition variable = variables.get(slot);
      String path = "$.variables[" + slot + "]";
      if (!NAME.matcher(variable.name()).matches()) {
        context.error(
            path + ".name",
            "variable name '" + variable.name() + "' does not match " + NAME.pattern());
      }
      ValueType type = ValueType.of(variable);
      if (!context.declareVariable(variable.name(), type)) {
        context.error(path + ".name", "duplicate variable '" + variable.name() + "'");
      }
      if (variable.type() == DataType.RECORD && variable.objectType().isEmpty()) {
        context.error(
            path + ".objectType", "RECORD variable '" + variable.name() + "' needs an objectType");
      } else if (variable.objectType().isPresent()) {
        if (variable.type() != DataType.RECORD && variable.type() != DataType.LOOKUP) {
          context.error(
              path + ".objectType",
              "only RECORD and LOOKUP variables have an objectType, '"
                  + variable.name()
                  + "' is "
                  + variable.type());
        } else {
          context.objectType(variable.objectType().get(), path + ".objectType");
        }
      }
      if (variable.defaultValue().isPresent()) {
        initialValues[slot] =
            values.literal(
                variable.defaultValue().get(), type, path + ".default", Optional.empty());
      } else if (definition.type() == FlowType.EVALUATION
          && variable.name().equals(EVALUATION_OUTPUT)) {
        initialValues[slot] = Boolean.FALSE;
      }
    }
  }

  private void indexElements() {
    List<FlowElement> elements = definition.elements();
    for (int i = 0; i < elements.size(); i++) {
      String name = elements.get(i).name();
      if (!NAME.matcher(name).matches()) {
        context.error(
            "$.elements[" + i + "].name",
            "element name '" + name + "' does not match " + NAME.pattern());
      }
      if (!context.indexElement(name, i)) {
        context.error("$.elements[" + i + "].name", "duplicate element '" + name + "'");
      }
    }
    if (definition.start().isBlank()) {
      context.error("$.start", "missing start element");
    } else if (context.elementIndex(definition.start()) == null) {
      context.error("$.start", "unknown start element '" + definition.start() + "'");
    } else {
      startIndex = context.elementIndex(definition.start());
    }
  }

  // ---- elements ----

  private Node compile(FlowElement element, int index, String path) {
    return switch (element) {
      case FlowElement.Assignment assignment -> assignments.assignment(assignment, index, path);
      case FlowElement.Decision decision -> conditions.decision(decision, index, path);
      case FlowElement.Loop loop -> collections.loop(loop, index, path);
      case FlowElement.CollectionSort sort -> collections.collectionSort(sort, index, path);
      case FlowElement.CollectionFilter filter -> collections.collectionFilter(filter, index, path);
      case FlowElement.GetRecords get -> records.getRecords(get, index, path);
      case FlowElement.CreateRecords create -> records.createRecords(create, index, path);
      case FlowElement.UpdateRecords update -> records.updateRecords(update, index, path);
      case FlowElement.DeleteRecords delete -> records.deleteRecords(delete, index, path);
      case FlowElement.Action action -> calls.action(action, index, path);
      case FlowElement.Subflow subflow -> calls.subflow(subflow, index, path);
      case FlowElement.Wait wait -> calls.waitElement(wait, index, path);
      case FlowElement.CustomError customError -> {
        // The interview ends here (failing): an exit for the loop analysis.
        context.endsAt(index);
        yield new CustomErrorNode(
            index,
            customError.name(),
            values.value(customError.message(), ValueType.of(DataType.TEXT), path + ".message"));
      }
    };
  }
}
