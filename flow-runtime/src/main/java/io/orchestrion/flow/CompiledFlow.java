package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.run.ExecutionMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated flow version in the form the interpreter runs: elements with resolved connectors and
 * variable slots. Immutable and thread-safe; the engine caches one per flow version. Built by
 * {@link FlowCompiler}.
 */
public final class CompiledFlow {
  private final FlowDefinition definition;
  private final int version;
  private final FlowAnalysis analysis;
  private final Node[] nodes;
  private final int startIndex;
  private final Map<String, Integer> elementIndex;
  private final String[] variableNames;
  private final ValueType[] variableTypes;
  private final Map<String, Integer> variableIndex;
  private final Object[] initialSlots;
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final String[] outputNameArray;
  private final int[] outputSlots;
  private final Map<String, Integer> inputIndex;
  private final String[] hiddenNames;
  private final int[] initialSources;
  private final int[] initialTargets;

  CompiledFlow(
      FlowDefinition definition,
      int version,
      FlowAnalysis analysis,
      Node[] nodes,
      int startIndex,
      List<ValueType> variableTypes,
      Object[] initialValues,
      List<String> hiddenNames,
      Map<Integer, Integer> startValueSlots) {
    this.definition = requireNonNull(definition, "definition is null");
    this.version = version;
    this.analysis = requireNonNull(analysis, "analysis is null");
    this.nodes = nodes.clone();
    this.startIndex = startIndex;
    Map<String, Integer> elements = new HashMap<>();
    for (Node node : nodes) {
      elements.put(node.name, node.index);
    }
    this.elementIndex = Map.copyOf(elements);
    List<VariableDefinition> variables = definition.variables();
    this.variableNames = variables.stream().map(VariableDefinition::name).toArray(String[]::new);
    this.variableTypes = variableTypes.toArray(ValueType[]::new);
    Map<String, Integer> slots = new LinkedHashMap<>();
    Map<String, Integer> inputSlots = new HashMap<>();
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    List<Integer> outputSlotList = new ArrayList<>();
    for (int slot = 0; slot < variables.size(); slot++) {
      VariableDefinition variable = variables.get(slot);
      slots.put(variable.name(), slot);
      if (variable.input()) {
        inputs.add(variable.name());
        inputSlots.put(variable.name(), slot);
      }
      if (variable.output()) {
        outputs.add(variable.name());
        outputSlotList.add(slot);
      }
    }
    this.variableIndex = Map.copyOf(slots);
    this.inputIndex = Map.copyOf(inputSlots);
    this.outputNameArray = outputs.toArray(String[]::new);
    this.outputSlots = outputSlotList.stream().mapToInt(Integer::intValue).toArray();
    // Variables, then $Flow.FaultMessage, then the hidden slots of elements.
    this.initialSlots = new Object[variables.size() + 1 + hiddenNames.size()];
    System.arraycopy(initialValues, 0, initialSlots, 0, variables.size());
    this.inputNames = List.copyOf(inputs);
    this.outputNames = List.copyOf(outputs);
    this.hiddenNames = hiddenNames.toArray(String[]::new);
    this.initialSources = new int[startValueSlots.size()];
    this.initialTargets = new int[startValueSlots.size()];
    int i = 0;
    for (Map.Entry<Integer, Integer> entry : startValueSlots.entrySet()) {
      initialSources[i] = entry.getKey();
      initialTargets[i] = entry.getValue();
      i++;
    }
  }

  public String apiName() {
    return definition.apiName();
  }

  public int version() {
    return version;
  }

  public FlowDefinition definition() {
    return definition;
  }

  public FlowType type() {
    return definition.type();
  }

  public FlowAnalysis analysis() {
    return analysis;
  }

  public ExecutionMode executionMode() {
    return analysis.mode();
  }

  /** The names of the input variables, in declaration order. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The names of the output variables, in declaration order. */
  public List<String> outputNames() {
    return outputNames;
  }

  @Override
  public String toString() {
    return "CompiledFlow[" + apiName() + " v" + version + "]";
  }

  Node node(int index) {
    return nodes[index];
  }

  int startIndex() {
    return startIndex;
  }

  int elementIndex(String name) {
    return elementIndex.getOrDefault(name, -1);
  }

  int variableCount() {
    return variableNames.length;
  }

  int faultSlot() {
    return variableNames.length;
  }

  String variableName(int slot) {
    return variableNames[slot];
  }

  ValueType variableType(int slot) {
    return variableTypes[slot];
  }

  int variableSlot(String name) {
    return variableIndex.getOrDefault(name, -1);
  }

  int inputSlot(String name) {
    Integer slot = inputIndex.get(name);
    return slot == null ? -1 : slot;
  }

  /** The number of input variables. */
  int inputCount() {
    return inputNames.size();
  }

  int outputSlot(String name) {
    int slot = variableSlot(name);
    return slot >= 0 && definition.variables().get(slot).output() ? slot : -1;
  }

  /** The number of hidden slots, which follow the fault message slot. */
  int hiddenCount() {
    return hiddenNames.length;
  }

  /** The stored name of hidden slot {@code i} (0-based among the hidden slots). */
  String hiddenName(int i) {
    return hiddenNames[i];
  }

  /** The slot of a hidden value by its stored name, or -1. */
  int hiddenSlot(String name) {
    for (int i = 0; i < hiddenNames.length; i++) {
      if (hiddenNames[i].equals(name)) {
        return faultSlot() + 1 + i;
      }
    }
    return -1;
  }

  /** Keeps the values that IS_CHANGED compares with; called once the inputs are set. */
  void captureInitialValues(Object[] slots) {
    for (int i = 0; i < initialSources.length; i++) {
      slots[initialTargets[i]] = slots[initialSources[i]];
    }
  }

  /** Fresh variable slots holding the defaults. */
  Object[] newSlots() {
    return initialSlots.clone();
  }

  /** The non-null output values by name, in declaration order; immutable. */
  Map<String, Object> outputs(Object[] slots) {
    int present = 0;
    Object[] values = new Object[outputSlots.length];
    for (int i = 0; i < outputSlots.length; i++) {
      Object value = slots[outputSlots[i]];
      if (value != null) {
        values[present++] = value;
      }
    }
    if (present == outputSlots.length) {
      return new OutputValues(outputNameArray, values);
    }
    String[] names = new String[present];
    Object[] kept = new Object[present];
    int k = 0;
    for (int i = 0; i < outputSlots.length; i++) {
      Object value = slots[outputSlots[i]];
      if (value != null) {
        names[k] = outputNameArray[i];
        kept[k++] = value;
      }
    }
    return new OutputValues(names, kept);
  }
}
