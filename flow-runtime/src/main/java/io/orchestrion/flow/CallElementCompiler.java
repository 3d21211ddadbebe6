package io.orchestrion.flow;

import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.flow.FlowElement;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
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

/**
 * Compiles the elements that hand over to something outside the flow and come back: Action (its
 * arguments and results checked against the action's descriptor), Subflow (against the called
 * flow's inputs and outputs, with the recursion check) and Wait (a time, events, or both). Every
 * problem goes to the {@link CompilationContext} with its JSON path.
 */
final class CallElementCompiler {
  private final CompilationContext context;
  private final ValueCompiler values;

  CallElementCompiler(CompilationContext context, ValueCompiler values) {
    this.context = context;
    this.values = values;
  }

  Node action(FlowElement.Action action, int index, String path) {
    int next = context.connector(index, action.next(), path + ".next");
    int faultNext = context.faultConnector(index, action.faultNext(), path + ".faultNext");
    List<CallNodes.Argument> inputs = new ArrayList<>();
    List<CallNodes.Result> outputs = new ArrayList<>();
    Optional<ActionDescriptor> descriptor = context.environment().action(action.action());
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
    return new CallNodes.ActionNode(
        index, action.name(), next, faultNext, action.action(), inputs, outputs);
  }

  private void arguments(
      Map<String, ValueSpec> given,
      Map<String, ValueType> types,
      Set<String> required,
      String where,
      String path,
      List<CallNodes.Argument> compiled) {
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
          new CallNodes.Argument(
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
      List<CallNodes.Result> compiled) {
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
      compiled.add(new CallNodes.Result(entry.getKey(), slot, target));
    }
  }

  Node subflow(FlowElement.Subflow subflow, int index, String path) {
    int next = context.connector(index, subflow.next(), path + ".next");
    int faultNext = context.faultConnector(index, subflow.faultNext(), path + ".faultNext");
    List<CallNodes.Argument> inputs = new ArrayList<>();
    List<CallNodes.Result> outputs = new ArrayList<>();
    Optional<FlowDefinition> child =
        subflow.flow().equals(context.definition().apiName())
            ? Optional.of(context.definition())
            : context.environment().activeFlow(subflow.flow());
    if (subflow.flow().equals(context.definition().apiName())) {
      context.error(path + ".flow", "flow '" + context.definition().apiName() + "' calls itself");
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
    return new CallNodes.SubflowNode(
        index, subflow.name(), next, faultNext, subflow.flow(), inputs, outputs);
  }

  /** Detects recursion through the active versions of other flows (SPEC §6.4). */
  private void checkSubflowCycle(FlowDefinition child, String path) {
    Deque<List<String>> pending = new ArrayDeque<>();
    pending.add(List.of(context.definition().apiName(), child.apiName()));
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      List<String> chain = pending.poll();
      String last = chain.getLast();
      if (!seen.add(last)) {
        continue;
      }
      Optional<FlowDefinition> flow = context.environment().activeFlow(last);
      for (FlowElement element : flow.map(FlowDefinition::elements).orElse(List.of())) {
        if (element instanceof FlowElement.Subflow call) {
          List<String> longer = new ArrayList<>(chain);
          longer.add(call.flow());
          if (call.flow().equals(context.definition().apiName())) {
            context.error(path, "subflow recursion: " + String.join(" -> ", longer));
            return;
          }
          pending.add(longer);
        }
      }
    }
  }

  Node waitElement(FlowElement.Wait wait, int index, String path) {
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
    List<CallNodes.EventPath> events = new ArrayList<>();
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
      List<CallNodes.Result> outputs = new ArrayList<>();
      for (Map.Entry<String, String> entry : new TreeMap<>(event.outputs()).entrySet()) {
        Integer slot =
            context.variable(
                entry.getValue(), JsonPaths.property(eventPath + ".outputs", entry.getKey()));
        if (slot != null) {
          context.markAssigned(slot);
          outputs.add(new CallNodes.Result(entry.getKey(), slot, context.typeOf(slot)));
        }
      }
      int eventNext = context.connector(index, event.next(), eventPath + ".next");
      events.add(new CallNodes.EventPath(event.name(), event.event(), key, outputs, eventNext));
    }
    return new CallNodes.WaitNode(index, wait.name(), next, faultNext, duration, until, events);
  }
}
