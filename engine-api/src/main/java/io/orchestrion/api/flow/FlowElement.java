package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An element of a flow (SPEC §6.2). The JSON property {@code type} names the element kind. {@code
 * next} is the element that follows; a path without one ends the interview. Elements that can fail
 * have a {@code faultNext} connector.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FlowElement.Assignment.class, name = "Assignment"),
  @JsonSubTypes.Type(value = FlowElement.Decision.class, name = "Decision"),
  @JsonSubTypes.Type(value = FlowElement.Loop.class, name = "Loop"),
  @JsonSubTypes.Type(value = FlowElement.CollectionSort.class, name = "CollectionSort"),
  @JsonSubTypes.Type(value = FlowElement.CollectionFilter.class, name = "CollectionFilter"),
  @JsonSubTypes.Type(value = FlowElement.GetRecords.class, name = "GetRecords"),
  @JsonSubTypes.Type(value = FlowElement.CreateRecords.class, name = "CreateRecords"),
  @JsonSubTypes.Type(value = FlowElement.UpdateRecords.class, name = "UpdateRecords"),
  @JsonSubTypes.Type(value = FlowElement.DeleteRecords.class, name = "DeleteRecords"),
  @JsonSubTypes.Type(value = FlowElement.Action.class, name = "Action"),
  @JsonSubTypes.Type(value = FlowElement.Subflow.class, name = "Subflow"),
  @JsonSubTypes.Type(value = FlowElement.Wait.class, name = "Wait"),
  @JsonSubTypes.Type(value = FlowElement.CustomError.class, name = "CustomError")
})
public sealed interface FlowElement {
  String name();

  /** The kind as written in JSON ({@code "Assignment"}, {@code "Wait"}, ...). */
  @JsonIgnore
  default String kind() {
    return getClass().getSimpleName();
  }

  /** Whether this element makes the flow run asynchronously (SPEC §4). */
  @JsonIgnore // derived, not part of the document (it would not read back)
  default boolean isAsynchronous() {
    return this instanceof Action || this instanceof Subflow || this instanceof Wait;
  }

  record AssignmentItem(String target, AssignmentOperator operator, ValueSpec value) {
    public AssignmentItem {
      requireNonNull(target, "target is null");
      operator = operator == null ? AssignmentOperator.SET : operator;
      requireNonNull(value, "value is null");
    }
  }

  record Assignment(String name, List<AssignmentItem> assignments, Optional<String> next)
      implements FlowElement {
    public Assignment {
      requireNonNull(name, "name is null");
      assignments = assignments == null ? List.of() : List.copyOf(assignments);
      next = next == null ? Optional.empty() : next;
    }
  }

  /**
   * An outcome of a Decision.
   *
   * @param logic {@code ALL} (default), {@code ANY}, or custom logic such as {@code 1 AND (2 OR 3)}
   */
  record Outcome(String name, String logic, List<Requirement> requirements, Optional<String> next) {
    public Outcome {
      requireNonNull(name, "name is null");
      logic = logic == null ? "ALL" : logic;
      requirements = requirements == null ? List.of() : List.copyOf(requirements);
      next = next == null ? Optional.empty() : next;
    }
  }

  record Decision(String name, List<Outcome> outcomes, Optional<String> defaultNext)
      implements FlowElement {
    public Decision {
      requireNonNull(name, "name is null");
      outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
      defaultNext = defaultNext == null ? Optional.empty() : defaultNext;
    }
  }

  /**
   * Iterates over a snapshot of the collection variable {@code collection} taken when the loop
   * starts: for each item, variable {@code item} holds it and the path {@code each} runs (it leads
   * back to the Loop element); then {@code after} follows.
   */
  record Loop(
      String name, String collection, String item, Optional<String> each, Optional<String> after)
      implements FlowElement {
    public Loop {
      requireNonNull(name, "name is null");
      requireNonNull(collection, "collection is null");
      requireNonNull(item, "item is null");
      each = each == null ? Optional.empty() : each;
      after = after == null ? Optional.empty() : after;
    }
  }

  /**
   * Sorts the collection variable {@code collection} in place: records by the fields of {@code
   * sort} (each ascending unless descending), other values by their natural order ({@code
   * descending} reverses it); nulls last. {@code limit} keeps only the first items.
   */
  record CollectionSort(
      String name,
      String collection,
      List<SortSpec> sort,
      boolean descending,
      Optional<Integer> limit,
      Optional<String> next)
      implements FlowElement {
    public CollectionSort {
      requireNonNull(name, "name is null");
      requireNonNull(collection, "collection is null");
      sort = sort == null ? List.of() : List.copyOf(sort);
      limit = limit == null ? Optional.empty() : limit;
      next = next == null ? Optional.empty() : next;
    }
  }

  /**
   * Stores into {@code into} the items of {@code collection} that meet the requirements, in their
   * order; inside the requirements {@code $Item} (or {@code $Item.Field}) is the item being tested.
   *
   * @param logic {@code ALL} (default), {@code ANY} or custom logic, as in a Decision outcome
   */
  record CollectionFilter(
      String name,
      String collection,
      String into,
      String logic,
      List<Requirement> requirements,
      Optional<String> next)
      implements FlowElement {
    public CollectionFilter {
      requireNonNull(name, "name is null");
      requireNonNull(collection, "collection is null");
      requireNonNull(into, "into is null");
      logic = logic == null ? "ALL" : logic;
      requirements = requirements == null ? List.of() : List.copyOf(requirements);
      next = next == null ? Optional.empty() : next;
    }
  }

  /**
   * Reads records into {@code into}: the first match (or null) when {@code firstOnly}, otherwise
   * all matches (possibly empty).
   */
  record GetRecords(
      String name,
      String objectType,
      List<RecordFilter> filters,
      String filterLogic,
      List<SortSpec> sort,
      Optional<Integer> limit,
      boolean firstOnly,
      String into,
      List<String> fields,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public GetRecords {
      requireNonNull(name, "name is null");
      requireNonNull(objectType, "objectType is null");
      filters = filters == null ? List.of() : List.copyOf(filters);
      filterLogic = filterLogic == null ? "ALL" : filterLogic;
      sort = sort == null ? List.of() : List.copyOf(sort);
      limit = limit == null ? Optional.empty() : limit;
      requireNonNull(into, "into is null");
      fields = fields == null ? List.of() : List.copyOf(fields);
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }
  }

  /**
   * Creates the record (or collection of records) held by variable {@code record}, or one record of
   * {@code objectType} from {@code fieldValues}; the new id goes to {@code idInto} if given.
   */
  record CreateRecords(
      String name,
      Optional<String> record,
      Optional<String> objectType,
      Map<String, ValueSpec> fieldValues,
      Optional<String> idInto,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public CreateRecords {
      requireNonNull(name, "name is null");
      record = record == null ? Optional.empty() : record;
      objectType = objectType == null ? Optional.empty() : objectType;
      fieldValues = fieldValues == null ? Map.of() : Map.copyOf(fieldValues);
      idInto = idInto == null ? Optional.empty() : idInto;
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }
  }

  /**
   * Updates the record (or collection) held by variable {@code record}, or the records of {@code
   * objectType} matching {@code filters}, setting {@code fieldValues}.
   */
  record UpdateRecords(
      String name,
      Optional<String> record,
      Optional<String> objectType,
      List<RecordFilter> filters,
      Map<String, ValueSpec> fieldValues,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public UpdateRecords {
      requireNonNull(name, "name is null");
      record = record == null ? Optional.empty() : record;
      objectType = objectType == null ? Optional.empty() : objectType;
      filters = filters == null ? List.of() : List.copyOf(filters);
      fieldValues = fieldValues == null ? Map.of() : Map.copyOf(fieldValues);
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }
  }

  record DeleteRecords(
      String name,
      Optional<String> record,
      Optional<String> objectType,
      List<RecordFilter> filters,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public DeleteRecords {
      requireNonNull(name, "name is null");
      record = record == null ? Optional.empty() : record;
      objectType = objectType == null ? Optional.empty() : objectType;
      filters = filters == null ? List.of() : List.copyOf(filters);
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }
  }

  /** Invokes a plugin action. {@code outputs} maps the action's output names to flow variables. */
  record Action(
      String name,
      String action,
      Map<String, ValueSpec> inputs,
      Map<String, String> outputs,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public Action {
      requireNonNull(name, "name is null");
      requireNonNull(action, "action is null");
      inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
      outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }
  }

  /**
   * Runs the active version of another autolaunched flow. {@code inputs} maps the subflow's input
   * variables to values; {@code outputs} maps its output variables to this flow's variables.
   */
  record Subflow(
      String name,
      String flow,
      Map<String, ValueSpec> inputs,
      Map<String, String> outputs,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public Subflow {
      requireNonNull(name, "name is null");
      requireNonNull(flow, "flow is null");
      inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
      outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }
  }

  /**
   * A resume path of a Wait: the interview continues on {@code next} when an event named {@code
   * event} is published with a correlation key equal to {@code correlationKey} (a TEXT value
   * computed when the interview pauses). {@code outputs} copies payload properties into flow
   * variables.
   */
  record WaitEvent(
      String name,
      String event,
      ValueSpec correlationKey,
      Map<String, String> outputs,
      Optional<String> next) {
    public WaitEvent {
      requireNonNull(name, "name is null");
      requireNonNull(event, "event is null");
      requireNonNull(correlationKey, "correlationKey is null");
      outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
      next = next == null ? Optional.empty() : next;
    }
  }

  /**
   * Pauses the interview: for an ISO-8601 {@code duration} ({@code PT10M}), until a DATETIME value
   * {@code until}, or until one of the {@code events} arrives. With events, {@code duration} or
   * {@code until} is optional and is the timeout, after which {@code next} is taken. The first
   * trigger to fire wins.
   */
  record Wait(
      String name,
      Optional<String> duration,
      Optional<ValueSpec> until,
      List<WaitEvent> events,
      Optional<String> next,
      Optional<String> faultNext)
      implements FlowElement {
    public Wait {
      requireNonNull(name, "name is null");
      duration = duration == null ? Optional.empty() : duration;
      until = until == null ? Optional.empty() : until;
      events = events == null ? List.of() : List.copyOf(events);
      next = next == null ? Optional.empty() : next;
      faultNext = faultNext == null ? Optional.empty() : faultNext;
    }

    /** A Wait on time only. */
    public Wait(
        String name,
        Optional<String> duration,
        Optional<ValueSpec> until,
        Optional<String> next,
        Optional<String> faultNext) {
      this(name, duration, until, List.of(), next, faultNext);
    }
  }

  /** Fails the interview with a message. */
  record CustomError(String name, ValueSpec message) implements FlowElement {
    public CustomError {
      requireNonNull(name, "name is null");
      requireNonNull(message, "message is null");
    }
  }
}
