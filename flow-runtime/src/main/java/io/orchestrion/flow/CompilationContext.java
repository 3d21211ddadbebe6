package io.orchestrion.flow;

import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the parts of one flow compilation share: the definition and its environment, the problems
 * found, the variable table, the object types looked up, the connectors between elements and the
 * hidden slots elements allocate. One per compilation; not thread-safe.
 */
final class CompilationContext {
  private final FlowDefinition definition;
  private final FlowEnvironment environment;
  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();
  private final Map<String, Integer> variableSlots = new HashMap<>();
  private final List<ValueType> variableTypes = new ArrayList<>();
  private final BitSet assigned = new BitSet();
  private final Map<String, Optional<ObjectTypeDefinition>> objectTypes = new HashMap<>();
  private final Map<String, Integer> elementIndexes = new HashMap<>();
  private final List<List<Integer>> successors = new ArrayList<>();
  private final List<List<Integer>> faultSuccessors = new ArrayList<>();
  private final BitSet ends = new BitSet();
  private final Map<Integer, Integer> initialSlots = new TreeMap<>();
  private final List<String> hiddenNames = new ArrayList<>();

  CompilationContext(FlowDefinition definition, FlowEnvironment environment) {
    this.definition = definition;
    this.environment = environment;
    for (int i = 0; i < definition.elements().size(); i++) {
      successors.add(new ArrayList<>());
      faultSuccessors.add(new ArrayList<>());
    }
  }

  FlowDefinition definition() {
    return definition;
  }

  FlowEnvironment environment() {
    return environment;
  }

  // ---- problems ----

  void error(String path, String message) {
    errors.add(new Problem(path, message));
  }

  void error(Problem problem) {
    errors.add(problem);
  }

  void warning(String path, String message) {
    warnings.add(new Problem(path, message));
  }

  void warning(Problem problem) {
    warnings.add(problem);
  }

  List<Problem> errors() {
    return errors;
  }

  List<Problem> warnings() {
    return warnings;
  }

  // ---- variables ----

  /**
   * Declares the next variable (its slot is its position); false when the name is taken, which
   * keeps the first variable of that name.
   */
  boolean declareVariable(String name, ValueType type) {
    int slot = variableTypes.size();
    variableTypes.add(type);
    return variableSlots.putIfAbsent(name, slot) == null;
  }

  /** The slot of a variable; null when there is none of that name. */
  Integer slotOf(String name) {
    return variableSlots.get(name);
  }

  /** A variable of this flow by name; null, with a problem reported, when it is unknown. */
  Integer variable(String name, String path) {
    Integer slot = variableSlots.get(name);
    if (slot == null) {
      error(path, "unknown variable '" + name + "'");
    }
    return slot;
  }

  ValueType typeOf(int slot) {
    return variableTypes.get(slot);
  }

  /** The variables' types by slot. */
  List<ValueType> variableTypes() {
    return variableTypes;
  }

  /** Notes that an element writes the variable in {@code slot}; a negative slot is ignored. */
  void markAssigned(int slot) {
    if (slot >= 0) {
      assigned.set(slot);
    }
  }

  boolean isAssigned(int slot) {
    return assigned.get(slot);
  }

  // ---- object types ----

  /** An object type from the environment, looked up once per compilation. */
  Optional<ObjectTypeDefinition> lookUpObjectType(String name) {
    return objectTypes.computeIfAbsent(name, environment::objectType);
  }

  /** An object type, with a problem reported when it is unknown. */
  Optional<ObjectTypeDefinition> objectType(String name, String path) {
    Optional<ObjectTypeDefinition> type = lookUpObjectType(name);
    if (type.isEmpty()) {
      error(path, "unknown object type '" + name + "'");
    }
    return type;
  }

  /**
   * The object type of a RECORD type as loaded when its variable was declared; empty when the
   * variable has none (reported at the variable, "needs an objectType") or it is unknown.
   */
  Optional<ObjectTypeDefinition> loadedObjectType(ValueType type) {
    return type.objectType().flatMap(name -> objectTypes.getOrDefault(name, Optional.empty()));
  }

  /** A field of an object type, with a problem reported when it has none of that name. */
  Optional<FieldDefinition> field(ObjectTypeDefinition type, String field, String path) {
    Optional<FieldDefinition> definition = type.field(field);
    if (definition.isEmpty()) {
      error(path, "object type '" + type.apiName() + "' has no field '" + field + "'");
    }
    return definition;
  }

  // ---- elements and connectors ----

  /** Indexes an element by name; false when the name is taken, which keeps the first one. */
  boolean indexElement(String name, int index) {
    return elementIndexes.putIfAbsent(name, index) == null;
  }

  /** The index of an element; null when there is none of that name. */
  Integer elementIndex(String name) {
    return elementIndexes.get(name);
  }

  /** A normal connector; an absent one ends the path there. */
  int connector(int from, Optional<String> target, String path) {
    if (target.isEmpty()) {
      ends.set(from);
      return Node.END;
    }
    return resolveConnector(from, target.get(), path, successors);
  }

  /** A fault connector; without one a fault unwinds to a caller or fails the interview. */
  int faultConnector(int from, Optional<String> target, String path) {
    return target.isEmpty()
        ? Node.END
        : resolveConnector(from, target.get(), path, faultSuccessors);
  }

  private int resolveConnector(int from, String target, String path, List<List<Integer>> edges) {
    Integer index = elementIndexes.get(target);
    if (index == null) {
      error(path, "unknown element '" + target + "'");
      return Node.END;
    }
    edges.get(from).add(index);
    return index;
  }

  /** Marks an element at which the interview ends (an exit for the loop analysis). */
  void endsAt(int index) {
    ends.set(index);
  }

  /** The graph of the connectors resolved so far. */
  FlowGraph graph(int startIndex) {
    return new FlowGraph(definition.elements(), successors, faultSuccessors, ends, startIndex);
  }

  // ---- hidden slots ----

  /**
   * Allocates a slot after the variables and {@code $Flow.FaultMessage} for state an element keeps
   * (a loop's position, a value at interview start); {@code name} is how it is stored when the
   * interview pauses.
   */
  int hiddenSlot(String name) {
    hiddenNames.add(name);
    return definition.variables().size() + hiddenNames.size();
  }

  /**
   * The hidden slot that holds the value of the variable in {@code slot} at interview start,
   * allocated on first use.
   */
  int initialSlot(int slot) {
    return initialSlots.computeIfAbsent(
        slot, v -> hiddenSlot("initial." + definition.variables().get(v).name()));
  }

  List<String> hiddenNames() {
    return hiddenNames;
  }

  /** The hidden slots holding start values, by the slot of their variable. */
  Map<Integer, Integer> initialSlots() {
    return initialSlots;
  }
}
