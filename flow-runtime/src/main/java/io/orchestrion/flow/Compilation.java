package io.orchestrion.flow;

import io.orchestrion.api.flow.AssignmentOperator;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.run.ExecutionMode;
import io.orchestrion.flow.json.JsonPaths;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionParameter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Analyses a flow definition and builds its compiled elements in one walk, collecting every problem
 * with its JSON path. Used once per analysis; not thread-safe.
 */
final class Compilation {
  static final String EVALUATION_OUTPUT = "isOrchestrationConditionMet";
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final FlowDefinition definition;
  private final FlowEnvironment environment;
  private final CompilationContext context;
  private final ValueCompiler values;
  private final ConditionCompiler conditions;
  private final CollectionElementCompiler collections;
  private final RecordElementCompiler records;
  private final Object[] initialValues;
  private Nodes.Node[] nodes;
  private int startIndex = Nodes.END;

  Compilation(FlowDefinition definition, FlowEnvironment environment) {
    this.definition = definition;
    this.environment = environment;
    this.context = new CompilationContext(definition, environment);
    this.values = new ValueCompiler(context);
    this.conditions = new ConditionCompiler(context, values);
    this.collections = new CollectionElementCompiler(context, conditions, values);
    this.records = new RecordElementCompiler(context, values, conditions);
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
    nodes = new Nodes.Node[elements.size()];
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

  // ---- connectors and reachability ----

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

  // ---- elements ----

  private Nodes.Node compile(FlowElement element, int index, String path) {
    return switch (element) {
      case FlowElement.Assignment assignment -> assignment(assignment, index, path);
      case FlowElement.Decision decision -> conditions.decision(decision, index, path);
      case FlowElement.Loop loop -> collections.loop(loop, index, path);
      case FlowElement.CollectionSort sort -> collections.collectionSort(sort, index, path);
      case FlowElement.CollectionFilter filter -> collections.collectionFilter(filter, index, path);
      case FlowElement.GetRecords get -> records.getRecords(get, index, path);
      case FlowElement.CreateRecords create -> records.createRecords(create, index, path);
      case FlowElement.UpdateRecords update -> records.updateRecords(update, index, path);
      case FlowElement.DeleteRecords delete -> records.deleteRecords(delete, index, path);
      case FlowElement.Action action -> action(action, index, path);
      case FlowElement.Subflow subflow -> subflow(subflow, index, path);
      case FlowElement.Wait wait -> waitElement(wait, index, path);
      case FlowElement.CustomError customError -> {
        // The interview ends here (failing): an exit for the loop analysis.
        context.endsAt(index);
        yield new Nodes.CustomErrorNode(
            index,
            customError.name(),
            values.value(customError.message(), ValueType.of(DataType.TEXT), path + ".message"));
      }
    };
  }

  private Nodes.Node assignment(FlowElement.Assignment assignment, int index, String path) {
    List<Nodes.AssignmentStep> steps = new ArrayList<>();
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
      steps.add(Nodes.AssignmentStep.of(target.target(), item.operator(), value, target.type()));
    }
    int next = context.connector(index, assignment.next(), path + ".next");
    return new Nodes.AssignmentNode(index, assignment.name(), next, steps);
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

  private Nodes.Node action(FlowElement.Action action, int index, String path) {
    int next = context.connector(index, action.next(), path + ".next");
    int faultNext = context.faultConnector(index, action.faultNext(), path + ".faultNext");
    List<Nodes.Argument> inputs = new ArrayList<>();
    List<Nodes.Result> outputs = new ArrayList<>();
    Optional<ActionDescriptor> descriptor = environment.action(action.action());
    if (descriptor.isEmpty()) {
      context.error(path + ".action", "unknown action '" + action.action() + "'");
    } else {
      Map<String, ValueType> inputTypes = new HashMap<>();
      Map<String, ValueType> outputTypes = new HashMap<>();
      Set<String> required = new HashSet<>();
      for (ActionParameter parameter : descriptor.get().inputs()) {
        inputTypes.put(parameter.name(), ValueType.of(parameter));
        if (parameter.required()) {
          required.add(parameter.name());
        }
      }
      descriptor.get().outputs().forEach(p -> outputTypes.put(p.name(), ValueType.of(p)));
      String where = "action '" + action.action() + "'";
      arguments(action.inputs(), inputTypes, required, where, path + ".inputs", inputs);
      results(action.outputs(), outputTypes, where, path + ".outputs", outputs);
    }
    return new Nodes.ActionNode(
        index, action.name(), next, faultNext, action.action(), inputs, outputs);
  }

  private void arguments(
      Map<String, ValueSpec> given,
      Map<String, ValueType> types,
      Set<String> required,
      String where,
      String path,
      List<Nodes.Argument> compiled) {
    for (Map.Entry<String, ValueSpec> entry : new TreeMap<>(given).entrySet()) {
      ValueType type = types.get(entry.getKey());
      if (type == null) {
        context.error(
            JsonPaths.property(path, entry.getKey()),
            where
                + " has no input '"
                + entry.getKey()
                + "' (inputs: "
                + new TreeMap<>(types).keySet()
                + ")");
        continue;
      }
      compiled.add(
          new Nodes.Argument(
              entry.getKey(),
              values.value(entry.getValue(), type, JsonPaths.property(path, entry.getKey())),
              required.contains(entry.getKey())));
    }
    for (String name : new TreeMap<>(types).keySet()) {
      if (required.contains(name) && !given.containsKey(name)) {
        context.error(path, "missing required input '" + name + "' of " + where);
      }
    }
  }

  private void results(
      Map<String, String> mapping,
      Map<String, ValueType> types,
      String where,
      String path,
      List<Nodes.Result> compiled) {
    for (Map.Entry<String, String> entry : new TreeMap<>(mapping).entrySet()) {
      String outputPath = JsonPaths.property(path, entry.getKey());
      ValueType type = types.get(entry.getKey());
      if (type == null) {
        context.error(outputPath, where + " has no output '" + entry.getKey() + "'");
        continue;
      }
      Integer slot = context.slotOf(entry.getValue());
      if (slot == null) {
        context.error(outputPath, "unknown variable '" + entry.getValue() + "'");
        continue;
      }
      ValueType target = context.typeOf(slot);
      if (!target.accepts(type)) {
        context.error(
            outputPath,
            "output '"
                + entry.getKey()
                + "' of "
                + where
                + " is "
                + type
                + ", variable '"
                + entry.getValue()
                + "' is "
                + target);
        continue;
      }
      context.markAssigned(slot);
      compiled.add(new Nodes.Result(entry.getKey(), slot, target));
    }
  }

  private Nodes.Node subflow(FlowElement.Subflow subflow, int index, String path) {
    int next = context.connector(index, subflow.next(), path + ".next");
    int faultNext = context.faultConnector(index, subflow.faultNext(), path + ".faultNext");
    List<Nodes.Argument> inputs = new ArrayList<>();
    List<Nodes.Result> outputs = new ArrayList<>();
    Optional<FlowDefinition> child =
        subflow.flow().equals(definition.apiName())
            ? Optional.of(definition)
            : environment.activeFlow(subflow.flow());
    if (subflow.flow().equals(definition.apiName())) {
      context.error(path + ".flow", "flow '" + definition.apiName() + "' calls itself");
    } else if (child.isEmpty()) {
      context.error(path + ".flow", "unknown flow '" + subflow.flow() + "' (no active version)");
    } else if (child.get().type() != FlowType.AUTOLAUNCHED) {
      context.error(
          path + ".flow",
          "subflow '" + subflow.flow() + "' is " + child.get().type() + ", expected AUTOLAUNCHED");
    } else {
      checkSubflowCycle(child.get(), path + ".flow");
      Map<String, ValueType> inputTypes = new HashMap<>();
      Map<String, ValueType> outputTypes = new HashMap<>();
      for (VariableDefinition variable : child.get().variables()) {
        if (variable.input()) {
          inputTypes.put(variable.name(), ValueType.of(variable));
        }
        if (variable.output()) {
          outputTypes.put(variable.name(), ValueType.of(variable));
        }
      }
      String where = "subflow '" + subflow.flow() + "'";
      arguments(subflow.inputs(), inputTypes, Set.of(), where, path + ".inputs", inputs);
      results(subflow.outputs(), outputTypes, where, path + ".outputs", outputs);
    }
    return new Nodes.SubflowNode(
        index, subflow.name(), next, faultNext, subflow.flow(), inputs, outputs);
  }

  /** Detects recursion through the active versions of other flows (SPEC §6.4). */
  private void checkSubflowCycle(FlowDefinition child, String path) {
    Deque<List<String>> pending = new ArrayDeque<>();
    pending.add(List.of(definition.apiName(), child.apiName()));
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      List<String> chain = pending.poll();
      String last = chain.getLast();
      if (!seen.add(last)) {
        continue;
      }
      Optional<FlowDefinition> flow = environment.activeFlow(last);
      for (FlowElement element : flow.map(FlowDefinition::elements).orElse(List.of())) {
        if (element instanceof FlowElement.Subflow call) {
          List<String> longer = new ArrayList<>(chain);
          longer.add(call.flow());
          if (call.flow().equals(definition.apiName())) {
            context.error(path, "subflow recursion: " + String.join(" -> ", longer));
            return;
          }
          pending.add(longer);
        }
      }
    }
  }

  private Nodes.Node waitElement(FlowElement.Wait wait, int index, String path) {
    int next = context.connector(index, wait.next(), path + ".next");
    int faultNext = context.faultConnector(index, wait.faultNext(), path + ".faultNext");
    Duration duration = null;
    Operand until = null;
    boolean hasEvents = !wait.events().isEmpty();
    if (wait.duration().isPresent() && wait.until().isPresent()) {
      context.error(path, "a Wait has 'duration' or 'until', not both");
    } else if (wait.duration().isEmpty() && wait.until().isEmpty() && !hasEvents) {
      context.error(path, "a Wait needs 'duration', 'until' or 'events'");
    } else if (wait.duration().isPresent()) {
      try {
        duration = Duration.parse(wait.duration().get());
        if (duration.isNegative()) {
          context.error(path + ".duration", "duration '" + wait.duration().get() + "' is negative");
        }
      } catch (DateTimeParseException e) {
        context.error(
            path + ".duration",
            "'" + wait.duration().get() + "' is not an ISO-8601 duration such as PT10M");
      }
    } else if (wait.until().isPresent()) {
      until = values.value(wait.until().get(), ValueType.of(DataType.DATETIME), path + ".until");
    }
    if (duration == null && until == null && !hasEvents) {
      duration = Duration.ZERO;
    }
    List<Nodes.EventPath> events = new ArrayList<>();
    Set<String> pathNames = new HashSet<>();
    Set<String> eventNames = new HashSet<>();
    for (int i = 0; i < wait.events().size(); i++) {
      FlowElement.WaitEvent event = wait.events().get(i);
      String eventPath = path + ".events[" + i + "]";
      if (!pathNames.add(event.name())) {
        context.error(eventPath + ".name", "duplicate resume path '" + event.name() + "'");
      }
      if (event.event().isBlank()) {
        context.error(eventPath + ".event", "the event name is blank");
      } else if (!eventNames.add(event.event())) {
        context.error(
            eventPath + ".event",
            "event '" + event.event() + "' already has a resume path in this Wait");
      }
      Operand key =
          values.value(
              event.correlationKey(), ValueType.of(DataType.TEXT), eventPath + ".correlationKey");
      List<Nodes.Result> outputs = new ArrayList<>();
      for (Map.Entry<String, String> entry : new TreeMap<>(event.outputs()).entrySet()) {
        Integer slot =
            context.variable(
                entry.getValue(), JsonPaths.property(eventPath + ".outputs", entry.getKey()));
        if (slot != null) {
          context.markAssigned(slot);
          outputs.add(new Nodes.Result(entry.getKey(), slot, context.typeOf(slot)));
        }
      }
      int eventNext = context.connector(index, event.next(), eventPath + ".next");
      events.add(new Nodes.EventPath(event.name(), event.event(), key, outputs, eventNext));
    }
    return new Nodes.WaitNode(index, wait.name(), next, faultNext, duration, until, events);
  }
}
