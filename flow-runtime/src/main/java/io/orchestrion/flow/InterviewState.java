package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orchestrion.api.object.RecordData;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of a paused interview: its subflow stack (the launched flow first) with each
 * frame's position and variables, and the executed-element counter. The engine stores it as JSON
 * with the shared mapper and reads it back with {@link io.orchestrion.flow.json.StoredJsonReader}.
 * Values are stored with their type ({@link Value}) so that decimals keep their scale and dates,
 * date-times and records come back as what they were.
 *
 * <p>Format history: 1 (issue #2) has no hidden values and no CPU time; 2 adds them; 3 adds the
 * pending action call. A state of an older format is read as one of the current format without what
 * it lacks; a state of an unknown format is rejected.
 *
 * @param formatVersion the format the state was written in, {@link #FORMAT_VERSION} when written by
 *     this version
 * @param frames the subflow stack, outermost first; never empty
 * @param executedElements elements executed so far, over all segments (for the limit and for
 *     idempotency keys)
 * @param cpuNanos CPU time the interview has used so far, over all segments (for the limit)
 * @param pendingAction the call of an action with external side effects that the interview stopped
 *     before (SPEC §3.4): made with no transaction open, then {@link
 *     FlowInterpreter#resumeAfterAction} continues with its outcome (format 3)
 */
public record InterviewState(
    int formatVersion,
    List<Frame> frames,
    long executedElements,
    long cpuNanos,
    Optional<PendingAction> pendingAction) {
  public static final int FORMAT_VERSION = 3;

  public InterviewState {
    if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "unsupported interview state format "
              + formatVersion
              + ", this version reads 1 to "
              + FORMAT_VERSION);
    }
    if (cpuNanos < 0) {
      throw new IllegalArgumentException("cpuNanos is negative: " + cpuNanos);
    }
    frames = List.copyOf(frames);
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("an interview state has at least one frame");
    }
    if (executedElements < 0) {
      throw new IllegalArgumentException("executedElements is negative: " + executedElements);
    }
    pendingAction = pendingAction == null ? Optional.empty() : pendingAction;
  }

  /**
   * An action call the interview waits to make outside any transaction: everything the call needs,
   * fixed when the segment before it committed, so that a call repeated after a crash is the same
   * call with the same idempotency key.
   *
   * @param actionId the action, as the Action element names it
   * @param inputs the non-null input values by name
   * @param idempotencyKey the key of this call (SPEC §9)
   * @param runningUserId the user the calling frame runs as
   * @param runMode the calling frame's effective run mode
   */
  public record PendingAction(
      String actionId,
      Map<String, Value> inputs,
      String idempotencyKey,
      String runningUserId,
      io.orchestrion.api.flow.RunMode runMode) {
    public PendingAction {
      requireNonNull(actionId, "actionId is null");
      inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
      requireNonNull(idempotencyKey, "idempotencyKey is null");
      requireNonNull(runningUserId, "runningUserId is null");
      requireNonNull(runMode, "runMode is null");
    }

    /** The input values in their Java representations. */
    public Map<String, Object> decodedInputs() {
      Map<String, Object> decoded = new LinkedHashMap<>();
      inputs.forEach((name, value) -> decoded.put(name, value.decode()));
      return decoded;
    }
  }

  /**
   * One flow on the stack.
   *
   * @param element where the frame stopped: the Wait element of the innermost frame, the Subflow
   *     element of the others; the interview continues after it
   * @param variables the non-null variable values by name
   * @param faultMessage the value of {@code $Flow.FaultMessage}, if a fault was handled
   * @param hidden the non-null values elements keep between runs of theirs, by name: {@code
   *     Each_Line.items} and {@code Each_Line.position} of a running Loop, {@code initial.amount}
   *     for IS_CHANGED (format 2)
   */
  public record Frame(
      String flowApiName,
      int flowVersion,
      String element,
      Map<String, Value> variables,
      Optional<String> faultMessage,
      Map<String, Value> hidden) {
    public Frame {
      requireNonNull(flowApiName, "flowApiName is null");
      requireNonNull(element, "element is null");
      variables =
          variables == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
      faultMessage = faultMessage == null ? Optional.empty() : faultMessage;
      hidden = hidden == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hidden));
    }
  }

  /** The Java type a {@link Value} holds. */
  public enum Kind {
    NULL,
    TEXT,
    DECIMAL,
    BOOLEAN,
    DATE,
    DATETIME,
    RECORD,
    LIST
  }

  /**
   * A typed value: {@code {"t": "DECIMAL", "v": "12.50"}}, {@code {"t": "RECORD", "objectType":
   * "Expense", "version": 3, "fields": {...}}}, {@code {"t": "LIST", "items": [...]}}.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Value(
      Kind t,
      Optional<String> v,
      Optional<String> objectType,
      Optional<Long> version,
      Map<String, Value> fields,
      List<Value> items) {
    public Value {
      requireNonNull(t, "t is null");
      v = v == null ? Optional.empty() : v;
      objectType = objectType == null ? Optional.empty() : objectType;
      version = version == null ? Optional.empty() : version;
      fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      items = items == null ? List.of() : List.copyOf(items);
    }

    private static Value scalar(Kind kind, String text) {
      return new Value(kind, Optional.of(text), Optional.empty(), Optional.empty(), null, null);
    }

    /** Encodes a value of one of the Java representations of {@code DataType}. */
    public static Value of(Object value) {
      return switch (value) {
        case null -> new Value(Kind.NULL, null, null, null, null, null);
        case String text -> scalar(Kind.TEXT, text);
        case BigDecimal decimal -> scalar(Kind.DECIMAL, decimal.toString());
        case Boolean bool -> scalar(Kind.BOOLEAN, bool.toString());
        case LocalDate date -> scalar(Kind.DATE, date.toString());
        case Instant instant -> scalar(Kind.DATETIME, instant.toString());
        case RecordData record -> {
          Map<String, Value> fields = new LinkedHashMap<>();
          record.fields().forEach((name, fieldValue) -> fields.put(name, of(fieldValue)));
          yield new Value(
              Kind.RECORD,
              Optional.empty(),
              Optional.of(record.objectType()),
              Optional.of(record.version()),
              fields,
              null);
        }
        case List<?> list ->
            new Value(Kind.LIST, null, null, null, null, list.stream().map(Value::of).toList());
        case Number number -> scalar(Kind.DECIMAL, Values.toDecimal(number).toString());
        default ->
            throw new IllegalArgumentException(
                "cannot store a value of type " + value.getClass().getName());
      };
    }

    /** The value in its Java representation; {@code null} for {@link Kind#NULL}. */
    public Object decode() {
      return switch (t) {
        case NULL -> null;
        case TEXT -> text();
        case DECIMAL -> new BigDecimal(text());
        case BOOLEAN -> Boolean.valueOf(text());
        case DATE -> LocalDate.parse(text());
        case DATETIME -> Instant.parse(text());
        case RECORD -> {
          Map<String, Object> decoded = new LinkedHashMap<>();
          fields.forEach((name, fieldValue) -> decoded.put(name, fieldValue.decode()));
          yield new RecordData(
              objectType.orElseThrow(
                  () -> new IllegalArgumentException("RECORD without objectType")),
              decoded,
              version.orElse(0L));
        }
        case LIST -> {
          List<Object> decoded = new ArrayList<>(items.size());
          items.forEach(item -> decoded.add(item.decode()));
          yield Collections.unmodifiableList(decoded);
        }
      };
    }

    private String text() {
      return v.orElseThrow(() -> new IllegalArgumentException(t + " value without 'v'"));
    }
  }
}
