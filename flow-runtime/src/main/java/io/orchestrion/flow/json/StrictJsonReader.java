package io.orchestrion.flow.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.orchestrion.api.ErrorCodeSupplier;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.ValueSpec;
import io.orchestrion.api.object.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads definitions and requests strictly: every unknown property is a problem, and all unknown
 * properties of a document are reported together with the first structural error (wrong type,
 * missing required property, unknown {@code type}, malformed JSON), each with its JSON path. A
 * top-level {@code $schema} property (the JSON Schema an editor checks the document with) is
 * ignored. Thread-safe.
 */
public final class StrictJsonReader {
  /** The top-level {@code $schema} property: accepted anywhere a document is read, and ignored. */
  private static final String SCHEMA_PATH = JsonPaths.property("$", "$schema");

  private static final Pattern VARIABLE_TYPE = Pattern.compile(".*\\.variables\\[\\d+\\]\\.type");

  private final ObjectMapper mapper;
  private final ErrorCodeSupplier errorCode;

  /** A reader that reports problems as {@link StandardErrorCode#INVALID_DEFINITION}. */
  public StrictJsonReader(ObjectMapper mapper) {
    this(mapper, StandardErrorCode.INVALID_DEFINITION);
  }

  /**
   * @param errorCode the code of the exception thrown for bad input, typically {@link
   *     StandardErrorCode#INVALID_DEFINITION} or {@link StandardErrorCode#INVALID_REQUEST}
   */
  public StrictJsonReader(ObjectMapper mapper, ErrorCodeSupplier errorCode) {
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.errorCode = requireNonNull(errorCode, "errorCode is null");
  }

  /**
   * Reads {@code json} as a {@code type}.
   *
   * @param what names the document in the exception message, e.g. {@code "Flow definition"}
   * @throws OrchestrionException with every problem found, each with its JSON path
   */
  public <T> T read(String json, Class<T> type, String what) {
    requireNonNull(json, "json is null");
    requireNonNull(type, "type is null");
    requireNonNull(what, "what is null");
    List<Problem> problems = new ArrayList<>();
    ObjectReader reader = mapper.readerFor(type).withHandler(new CollectingHandler(problems));
    T value;
    try {
      value = reader.readValue(json);
    } catch (JsonProcessingException e) {
      addFatal(problems, e);
      throw OrchestrionException.invalid(errorCode, what, problems);
    }
    if (value == null) {
      problems.add(new Problem("$", "the document is empty or null"));
    }
    if (!problems.isEmpty()) {
      throw OrchestrionException.invalid(errorCode, what, problems);
    }
    return value;
  }

  private static void addFatal(List<Problem> problems, JacksonException e) {
    Problem fatal = toProblem(e);
    // An invalid enum value was already reported at its property; the constructor's "x is null"
    // that follows from it would only repeat it.
    boolean repeated =
        problems.stream()
            .anyMatch(
                problem ->
                    problem.path().startsWith(fatal.path())
                        && fatal.message().startsWith("missing required property"));
    if (!repeated) {
      problems.add(fatal);
    }
  }

  static Problem toProblem(JacksonException e) {
    if (e instanceof StreamReadException && !(e instanceof MismatchedInputException)) {
      var location = e.getLocation();
      String where =
          location == null
              ? ""
              : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
      String message = e.getOriginalMessage();
      int noise = message == null ? -1 : message.indexOf(" (start marker at");
      return new Problem(
          "$",
          "malformed JSON" + where + ": " + (noise < 0 ? message : message.substring(0, noise)));
    }
    if (!(e instanceof JsonMappingException mapping)) {
      return new Problem("$", e.getOriginalMessage());
    }
    String path = JsonPaths.of(mapping.getPath());
    if (e instanceof InvalidTypeIdException typeId) {
      String id = typeId.getTypeId();
      if (id == null && typeId.getBaseType().getRawClass() == ValueSpec.class) {
        return new Problem(
            path,
            "expected a value {\"value\": ...}, a reference {\"ref\": \"...\"}"
                + " or a formula {\"formula\": \"...\"}");
      }
      String property = typeProperty(typeId.getBaseType().getRawClass());
      return new Problem(
          path + "." + property,
          id == null
              ? "missing '" + property + "'"
              : "unknown " + property + " '" + id + "'" + knownSubtypes(typeId));
    }
    if (e instanceof ValueInstantiationException instantiation) {
      Throwable cause = instantiation.getCause();
      String message = cause == null ? e.getOriginalMessage() : cause.getMessage();
      if (message != null && message.endsWith(" is null")) {
        String property = message.substring(0, message.length() - " is null".length());
        return new Problem(path, "missing required property '" + property + "'");
      }
      return new Problem(path, message == null ? "invalid value" : message);
    }
    if (e instanceof InvalidFormatException format) {
      return new Problem(
          path,
          "invalid value "
              + quote(format.getValue())
              + " for "
              + describe(format.getTargetType())
              + enumValues(format.getTargetType(), path));
    }
    if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith("Could not resolve subtype")) {
        return new Problem(path, "cannot tell what kind of value this is: " + message);
      }
      return new Problem(path, "expected " + describe(mismatched.getTargetType()));
    }
    return new Problem(path, e.getOriginalMessage());
  }

  /** The property that names the subtype: {@code type}, or {@code kind} for orchestration steps. */
  private static String typeProperty(Class<?> baseType) {
    JsonTypeInfo info = baseType.getAnnotation(JsonTypeInfo.class);
    return info == null || info.property().isEmpty() ? "type" : info.property();
  }

  private static String knownSubtypes(InvalidTypeIdException e) {
    String message = e.getOriginalMessage();
    int known = message == null ? -1 : message.indexOf("known type ids = ");
    if (known < 0) {
      return "";
    }
    int end = message.indexOf(']', known);
    return end < 0 ? "" : " (" + message.substring(known, end + 1) + ")";
  }

  private static String quote(Object value) {
    return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "this property";
    }
    if (type.isEnum()) {
      return "one of the values";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static String enumValues(Class<?> type, String path) {
    if (type == null || !type.isEnum()) {
      return "";
    }
    return " "
        + Arrays.stream(type.getEnumConstants())
            .filter(constant -> acceptedAt(constant, path))
            .map(String::valueOf)
            .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * Whether the message for an invalid value at {@code path} should offer {@code constant}. A
   * RECORD is a flow variable's type only: fields and formulas refuse it, so it is offered for a
   * variable's {@code type} alone.
   */
  private static boolean acceptedAt(Object constant, String path) {
    return constant != DataType.RECORD || VARIABLE_TYPE.matcher(path).matches();
  }

  /** Records unknown properties and skips them so that reading continues and finds the rest. */
  private static final class CollectingHandler extends DeserializationProblemHandler {
    private final List<Problem> problems;

    CollectingHandler(List<Problem> problems) {
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext context,
        JsonParser parser,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      String path = unknownPropertyPath(context, parser, propertyName);
      // A document may name its JSON Schema for editors; only at the top, and never kept.
      if (!path.equals(SCHEMA_PATH)) {
        problems.add(new Problem(path, "unknown property '" + propertyName + "'"));
      }
      parser.skipChildren();
      return true;
    }

    /**
     * The path of an unknown property. Records (property-based creators) buffer their unknown
     * properties and hand them over when the whole object has been read: the buffer's parser then
     * carries the context of wherever the first unknown value started, but the main parser has just
     * left the object, so its context is the object's container. Read directly, the parser is at
     * the property's value; an object or array value has already been entered.
     */
    private static String unknownPropertyPath(
        DeserializationContext context, JsonParser parser, String propertyName) {
      JsonParser main = context.getParser();
      if (main != null && parser != main && main.currentToken() == JsonToken.END_OBJECT) {
        return JsonPaths.child(main.getParsingContext(), propertyName);
      }
      JsonStreamContext where = parser.getParsingContext();
      if (parser.currentToken() != null && parser.currentToken().isStructStart()) {
        where = where.getParent();
      }
      return JsonPaths.of(where, propertyName);
    }

    /**
     * Records an invalid enum value and goes on with a stand-in, so that the rest of the document
     * is read and every problem is reported at once (SPEC §10). The stand-in never escapes: a
     * document with problems is refused as a whole.
     */
    @Override
    public Object handleWeirdStringValue(
        DeserializationContext context, Class<?> targetType, String value, String failureMessage)
        throws IOException {
      if (targetType == null || !targetType.isEnum()) {
        return NOT_HANDLED;
      }
      JsonParser parser =
          context.getAttribute(EnumParserTracking.PARSER) instanceof JsonParser tracked
              ? tracked
              : context.getParser();
      String path = JsonPaths.of(parser.getParsingContext(), null);
      problems.add(
          new Problem(
              path,
              "invalid value "
                  + quote(value)
                  + " for one of the values"
                  + enumValues(targetType, path)));
      return targetType.getEnumConstants()[0];
    }
  }
}
