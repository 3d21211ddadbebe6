package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowType;
import io.orchestrion.api.flow.RunMode;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.spi.ActionInvocation;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled elements. Each holds its connectors as element indexes and its operands as resolved
 * slots, so that running an element does no lookup by name.
 */
final class Nodes {
  private Nodes() {}

  /** SPEC §7: a subflow runs as the caller's user; with DEFAULT it inherits the caller's mode. */
  static SecurityContext subflowSecurity(SecurityContext caller, CompiledFlow child) {
    RunMode declared = child.definition().runMode();
    return declared == RunMode.DEFAULT ? caller : new SecurityContext(caller.userId(), declared);
  }

  /** A record filter with its value operand; the value is resolved when the element runs. */
  record Filter(String field, io.orchestrion.api.flow.Operator operator, Operand value) {
    RecordQuery.Condition resolve(Object[] slots) {
      return new RecordQuery.Condition(field, operator, value.get(slots));
    }
  }

  /** A field value written by Create/UpdateRecords. */
  record FieldValue(String field, Operand value) {}

  private static List<RecordQuery.Condition> resolve(List<Filter> filters, Object[] slots) {
    List<RecordQuery.Condition> conditions = new ArrayList<>(filters.size());
    for (Filter filter : filters) {
      conditions.add(filter.resolve(slots));
    }
    return conditions;
  }

  private static Map<String, Object> resolveValues(List<FieldValue> values, Object[] slots) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    for (FieldValue value : values) {
      resolved.put(value.field(), value.value().get(slots));
    }
    return resolved;
  }

  /**
   * Runs a record store call, turning its failures into a fault of the element, except failures of
   * the database itself: they are not the flow's, and the transaction they broke must end (see
   * {@link HostFailures}).
   */
  private static <T> T store(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (FlowFault fault) {
      throw fault;
    } catch (RuntimeException e) {
      if (HostFailures.isHostFailure(e)) {
        throw e;
      }
      throw new FlowFault(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  static final class GetRecordsNode extends Node {
    private final String objectType;
    private final List<Filter> filters;
    private final boolean matchAll;
    private final List<RecordQuery.Order> orderBy;
    private final Optional<Integer> limit;
    private final List<String> fields;
    private final boolean firstOnly;
    private final int intoSlot;

    GetRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        String objectType,
        List<Filter> filters,
        boolean matchAll,
        List<RecordQuery.Order> orderBy,
        Optional<Integer> limit,
        List<String> fields,
        boolean firstOnly,
        int intoSlot) {
      super(index, name, next, faultNext);
      this.objectType = objectType;
      this.filters = List.copyOf(filters);
      this.matchAll = matchAll;
      this.orderBy = List.copyOf(orderBy);
      this.limit = firstOnly ? Optional.of(1) : limit;
      this.fields = List.copyOf(fields);
      this.firstOnly = firstOnly;
      this.intoSlot = intoSlot;
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordQuery query =
          new RecordQuery(
              objectType, resolve(filters, frame.slots), matchAll, orderBy, limit, fields);
      RecordStore records = interview.records();
      List<RecordData> found = store(() -> records.query(query));
      frame.slots[intoSlot] =
          firstOnly ? (found.isEmpty() ? null : found.getFirst()) : List.<Object>copyOf(found);
      return next;
    }
  }

  static final class CreateRecordsNode extends Node {
    private final int recordSlot;
    private final String objectType;
    private final List<FieldValue> values;
    private final int idIntoSlot;

    /** {@code recordSlot} >= 0 creates the variable's record(s); otherwise one from values. */
    CreateRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        int recordSlot,
        String objectType,
        List<FieldValue> values,
        int idIntoSlot) {
      super(index, name, next, faultNext);
      this.recordSlot = recordSlot;
      this.objectType = objectType;
      this.values = List.copyOf(values);
      this.idIntoSlot = idIntoSlot;
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordStore records = interview.records();
      String user = frame.security.userId();
      Object[] slots = frame.slots;
      if (recordSlot < 0) {
        RecordData created =
            store(() -> records.insert(objectType, resolveValues(values, slots), user));
        setId(slots, created);
        return next;
      }
      Object held = slots[recordSlot];
      if (held instanceof RecordData record) {
        RecordData created =
            store(() -> records.insert(record.objectType(), writableFields(record), user));
        slots[recordSlot] = created;
        setId(slots, created);
      } else if (held instanceof List<?> list) {
        List<Object> created = new ArrayList<>(list.size());
        for (Object item : list) {
          RecordData record = (RecordData) item;
          created.add(
              store(() -> records.insert(record.objectType(), writableFields(record), user)));
        }
        slots[recordSlot] = Collections.unmodifiableList(created);
      } else {
        throw new FlowFault("the record variable to create is null");
      }
      return next;
    }

    private void setId(Object[] slots, RecordData created) {
      if (idIntoSlot >= 0) {
        slots[idIntoSlot] = created.id().orElse(null);
      }
    }
  }

  /** The fields a flow may write: everything but the system fields, except the owner. */
  static Map<String, Object> writableFields(RecordData record) {
    Map<String, Object> fields = new LinkedHashMap<>();
    record
        .fields()
        .forEach(
            (field, value) -> {
              if (!SystemFields.isSystemField(field) || SystemFields.isWritable(field)) {
                fields.put(field, value);
              }
            });
    return fields;
  }

  static final class UpdateRecordsNode extends Node {
    private final int recordSlot;
    private final String objectType;
    private final List<Filter> filters;
    private final List<FieldValue> values;

    UpdateRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        int recordSlot,
        String objectType,
        List<Filter> filters,
        List<FieldValue> values) {
      super(index, name, next, faultNext);
      this.recordSlot = recordSlot;
      this.objectType = objectType;
      this.filters = List.copyOf(filters);
      this.values = List.copyOf(values);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordStore records = interview.records();
      String user = frame.security.userId();
      Object[] slots = frame.slots;
      Map<String, Object> changes = resolveValues(values, slots);
      if (recordSlot < 0) {
        RecordQuery query =
            new RecordQuery(
                objectType, resolve(filters, slots), true, List.of(), Optional.empty(), List.of());
        for (RecordData record : store(() -> records.query(query))) {
          update(records, record, changes, user);
        }
        return next;
      }
      Object held = slots[recordSlot];
      if (held instanceof RecordData record) {
        slots[recordSlot] = update(records, record, changes, user);
      } else if (held instanceof List<?> list) {
        List<Object> updated = new ArrayList<>(list.size());
        for (Object item : list) {
          updated.add(update(records, (RecordData) item, changes, user));
        }
        slots[recordSlot] = Collections.unmodifiableList(updated);
      } else {
        throw new FlowFault("the record variable to update is null");
      }
      return next;
    }

    private static RecordData update(
        RecordStore records, RecordData record, Map<String, Object> extra, String user) {
      String id =
          record
              .id()
              .orElseThrow(
                  () -> new FlowFault("cannot update a " + record.objectType() + " without Id"));
      Map<String, Object> changes = writableFields(record);
      changes.putAll(extra);
      return store(() -> records.update(record.objectType(), id, record.version(), changes, user));
    }
  }

  static final class DeleteRecordsNode extends Node {
    private final int recordSlot;
    private final String objectType;
    private final List<Filter> filters;

    DeleteRecordsNode(
        int index,
        String name,
        int next,
        int faultNext,
        int recordSlot,
        String objectType,
        List<Filter> filters) {
      super(index, name, next, faultNext);
      this.recordSlot = recordSlot;
      this.objectType = objectType;
      this.filters = List.copyOf(filters);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RecordStore records = interview.records();
      Object[] slots = frame.slots;
      if (recordSlot < 0) {
        RecordQuery query =
            new RecordQuery(
                objectType,
                resolve(filters, slots),
                true,
                List.of(),
                Optional.empty(),
                List.of(SystemFields.ID));
        for (RecordData record : store(() -> records.query(query))) {
          delete(records, record);
        }
        return next;
      }
      Object held = slots[recordSlot];
      if (held instanceof RecordData record) {
        delete(records, record);
      } else if (held instanceof List<?> list) {
        for (Object item : list) {
          delete(records, (RecordData) item);
        }
      } else {
        throw new FlowFault("the record variable to delete is null");
      }
      return next;
    }

    private static void delete(RecordStore records, RecordData record) {
      String id =
          record
              .id()
              .orElseThrow(
                  () -> new FlowFault("cannot delete a " + record.objectType() + " without Id"));
      store(
          () -> {
            records.delete(record.objectType(), id, record.version());
            return null;
          });
    }
  }

  /** A named value passed to an action or a subflow. */
  record Argument(String name, Operand value, boolean required) {}

  /** A value returned by an action or a subflow, stored into a variable of this flow. */
  record Result(String name, int slot, ValueType type) {}

  static final class ActionNode extends Node {
    private final String actionId;
    private final List<Argument> inputs;
    private final List<Result> outputs;

    ActionNode(
        int index,
        String name,
        int next,
        int faultNext,
        String actionId,
        List<Argument> inputs,
        List<Result> outputs) {
      super(index, name, next, faultNext);
      this.actionId = actionId;
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      RegisteredAction action = find(interview);
      Map<String, Object> values = new LinkedHashMap<>();
      for (Argument input : inputs) {
        Object value = input.value().get(frame.slots);
        if (value == null && input.required()) {
          throw new FlowFault(
              "input '" + input.name() + "' of action '" + actionId + "' is required but null");
        }
        if (value != null) {
          values.put(input.name(), value);
        }
      }
      SecurityContext security = frame.security;
      String key = interview.idempotencyKey(this);
      if (action.descriptor().externalSideEffects()
          && interview.context().endsSegmentBeforeExternalActions()) {
        // SPEC §3.4: the segment up to here commits; the call happens with no transaction open.
        Map<String, InterviewState.Value> stored = new LinkedHashMap<>();
        values.forEach((name, value) -> stored.put(name, InterviewState.Value.of(value)));
        frame.position = index;
        interview.pauseForAction(
            new InterviewState.PendingAction(
                actionId, stored, key, security.userId(), security.effectiveMode()));
        return PAUSE;
      }
      ActionInvocation invocation =
          new ActionInvocation(values, key, security.userId(), security.effectiveMode());
      Map<String, Object> returned =
          ActionCalls.call(action, invocation, interview.limits().actionTimeout());
      return applyOutputs(action, returned, frame);
    }

    private RegisteredAction find(Interview interview) {
      return interview
          .actions()
          .find(actionId)
          .orElseThrow(() -> new FlowFault("action '" + actionId + "' is not installed"));
    }

    /**
     * Stores what the action returned into the output variables; returns the next element.
     *
     * @throws FlowFault when an output does not fit its variable
     */
    int applyOutputs(RegisteredAction action, Map<String, Object> returned, Frame frame) {
      for (Result output : outputs) {
        try {
          frame.slots[output.slot()] = Values.convert(returned.get(output.name()), output.type());
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "action '"
                  + actionId
                  + "' of plugin '"
                  + action.pluginId()
                  + "' returned an invalid output '"
                  + output.name()
                  + "': "
                  + e.getMessage());
        }
      }
      return next;
    }

    /** Continues after a call made outside the segment: its outputs, or its fault. */
    int afterCall(Interview interview, ActionOutcome outcome, Frame frame) {
      return switch (outcome) {
        case ActionOutcome.Faulted faulted -> throw new FlowFault(faulted.message());
        case ActionOutcome.Returned returned ->
            applyOutputs(find(interview), returned.outputs(), frame);
      };
    }
  }

  static final class SubflowNode extends Node {
    private final String flow;
    private final List<Argument> inputs;
    private final List<Result> outputs;

    SubflowNode(
        int index,
        String name,
        int next,
        int faultNext,
        String flow,
        List<Argument> inputs,
        List<Result> outputs) {
      super(index, name, next, faultNext);
      this.flow = flow;
      this.inputs = List.copyOf(inputs);
      this.outputs = List.copyOf(outputs);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      CompiledFlow child;
      try {
        child = interview.context().activeFlow(flow);
      } catch (OrchestrionException e) {
        if (HostFailures.isHostFailure(e)) {
          throw e;
        }
        throw new FlowFault("cannot call subflow '" + flow + "': " + e.getMessage());
      }
      if (child.definition().type() != FlowType.AUTOLAUNCHED) {
        throw new FlowFault(
            "subflow '" + flow + "' is a " + child.definition().type() + " flow, not AUTOLAUNCHED");
      }
      Object[] slots = child.newSlots();
      for (Argument input : inputs) {
        int slot = child.inputSlot(input.name());
        if (slot < 0) {
          throw new FlowFault(
              "subflow '"
                  + flow
                  + "' v"
                  + child.version()
                  + " has no input variable '"
                  + input.name()
                  + "'");
        }
        try {
          slots[slot] = Values.convert(input.value().get(frame.slots), child.variableType(slot));
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "input '" + input.name() + "' of subflow '" + flow + "': " + e.getMessage());
        }
      }
      child.captureInitialValues(slots);
      frame.position = index;
      interview.push(new Frame(child, slots, subflowSecurity(frame.security, child)));
      return CALL;
    }

    /** Copies the finished subflow's outputs into the caller's variables. */
    void returnFrom(Frame child, Frame caller) {
      for (Result output : outputs) {
        int slot = child.flow.outputSlot(output.name());
        if (slot < 0) {
          throw new FlowFault(
              "subflow '"
                  + flow
                  + "' v"
                  + child.flow.version()
                  + " has no output variable '"
                  + output.name()
                  + "'");
        }
        try {
          caller.slots[output.slot()] = Values.convert(child.slots[slot], output.type());
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "output '" + output.name() + "' of subflow '" + flow + "': " + e.getMessage());
        }
      }
    }
  }

  /** A resume path of a Wait on events: the key is computed when the interview pauses. */
  record EventPath(
      String name, String event, Operand correlationKey, List<Result> outputs, int next) {}

  static final class WaitNode extends Node {
    private final Duration duration;
    private final Operand until;
    private final List<EventPath> events;

    /**
     * At most one of {@code duration} and {@code until} is non-null; neither only with events (no
     * timeout).
     */
    WaitNode(
        int index,
        String name,
        int next,
        int faultNext,
        Duration duration,
        Operand until,
        List<EventPath> events) {
      super(index, name, next, faultNext);
      this.duration = duration;
      this.until = until;
      this.events = List.copyOf(events);
    }

    @Override
    int execute(Interview interview, Frame frame) {
      Instant now = interview.context().now();
      Instant resumeAt;
      if (duration != null) {
        resumeAt = now.plus(duration);
      } else if (until == null) {
        resumeAt = EventWait.NO_TIMEOUT;
      } else if (until.get(frame.slots) instanceof Instant instant) {
        resumeAt = instant;
      } else {
        throw new FlowFault("the date-time to wait until is null");
      }
      List<EventWait> waits = new ArrayList<>(events.size());
      for (EventPath path : events) {
        Object key = path.correlationKey().get(frame.slots);
        if (key == null) {
          throw new FlowFault("the correlation key of resume path '" + path.name() + "' is null");
        }
        waits.add(new EventWait(path.name(), path.event(), key.toString()));
      }
      frame.position = index;
      interview.pauseUntil(resumeAt, waits);
      return PAUSE;
    }

    /** The path that {@code event} resumes, or null when this Wait does not wait for it. */
    EventPath path(String event) {
      for (EventPath path : events) {
        if (path.event().equals(event)) {
          return path;
        }
      }
      return null;
    }

    /** Copies the event's payload into the path's variables; returns the element to go on at. */
    int arrive(EventPath path, Map<String, Object> payload, Frame frame) {
      for (Result output : path.outputs()) {
        try {
          frame.slots[output.slot()] = Values.convert(payload.get(output.name()), output.type());
        } catch (IllegalArgumentException e) {
          throw new FlowFault(
              "payload property '"
                  + output.name()
                  + "' of event '"
                  + path.event()
                  + "': "
                  + e.getMessage());
        }
      }
      return path.next();
    }
  }
}
