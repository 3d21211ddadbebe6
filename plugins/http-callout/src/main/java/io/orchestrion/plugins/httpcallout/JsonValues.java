package io.orchestrion.plugins.httpcallout;

import io.orchestrion.api.object.DataType;
import io.orchestrion.spi.ActionInvocation;
import io.orchestrion.spi.ActionParameter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Between the engine's values (see {@link DataType}) and JSON values. */
final class JsonValues {
  private JsonValues() {}

  /** The invocation's inputs in the declared order, as JSON values (dates as ISO-8601 text). */
  static Map<String, Object> inputs(Endpoint endpoint, ActionInvocation invocation) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (ActionParameter input : endpoint.inputs()) {
      if (invocation.inputs().containsKey(input.name())) {
        body.put(input.name(), toJson(invocation.inputs().get(input.name())));
      }
    }
    return body;
  }

  private static Object toJson(Object value) {
    return switch (value) {
      case null -> null;
      case List<?> list -> list.stream().map(JsonValues::toJson).toList();
      case String text -> text;
      case BigDecimal number -> number;
      case Boolean bool -> bool;
      case LocalDate date -> date.toString();
      case Instant instant -> instant.toString();
      default -> value.toString();
    };
  }

  /**
   * A response value as the output's type.
   *
   * @throws IllegalArgumentException completing "the response value at ... for output ..." with
   *     what is wrong
   */
  static Object output(ActionParameter parameter, Object value) {
    if (parameter.collection()) {
      if (!(value instanceof List<?> list)) {
        throw new IllegalArgumentException("is no array");
      }
      List<Object> values = new ArrayList<>();
      for (Object item : list) {
        if (item != null) {
          values.add(single(parameter.type(), item));
        }
      }
      return List.copyOf(values);
    }
    return single(parameter.type(), value);
  }

  private static Object single(DataType type, Object value) {
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw new IllegalArgumentException("is an object or array, not a " + type);
    }
    String text = value.toString();
    try {
      return switch (type) {
        case TEXT, PICKLIST, USER, LOOKUP ->
            value instanceof BigDecimal number ? number.toPlainString() : text;
        case NUMBER, CURRENCY -> value instanceof BigDecimal number ? number : new BigDecimal(text);
        case BOOLEAN -> {
          if (value instanceof Boolean bool) {
            yield bool;
          }
          if (text.equals("true") || text.equals("false")) {
            yield Boolean.valueOf(text);
          }
          throw new IllegalArgumentException("is no BOOLEAN: '" + text + "'");
        }
        case DATE -> LocalDate.parse(text);
        case DATETIME -> OffsetDateTime.parse(text).toInstant();
        case RECORD -> throw new IllegalArgumentException("cannot be a RECORD");
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("is no " + type + ": '" + text + "'", e);
    }
  }
}
