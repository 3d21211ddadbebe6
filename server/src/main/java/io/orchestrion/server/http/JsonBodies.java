package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.flow.json.StrictJsonReader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads request bodies strictly (unknown properties, trailing content and malformed JSON are errors
 * with a JSON path) and writes JSON responses with the shared {@link ObjectMapper}. Malformed JSON
 * is always {@code INVALID_REQUEST} (400); a body that is JSON but does not fit the expected shape
 * gets the caller's error code, {@code INVALID_DEFINITION} (422) for definitions.
 */
public final class JsonBodies {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private final ObjectMapper objectMapper;

  @Inject
  public JsonBodies(ObjectMapper objectMapper) {
    this.objectMapper = requireNonNull(objectMapper, "objectMapper is null");
  }

  /** Reads the body as {@code type}; {@code what} names the document in error messages. */
  public <T> T read(
      RoutingContext context, Class<T> type, String what, StandardErrorCode shapeError) {
    return read(bodyOf(context, what), type, what, shapeError);
  }

  /** Reads the body as a JSON object of field values; decimals become {@code BigDecimal}. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readObject(RoutingContext context, String what) {
    return read(bodyOf(context, what), Map.class, what, StandardErrorCode.INVALID_REQUEST);
  }

  /**
   * Reads JSON text as {@code type}: first the syntax (malformed JSON is a 400 with the path where
   * the parser stopped), then the shape with {@link StrictJsonReader}, which reports every unknown
   * property at once.
   */
  public <T> T read(String json, Class<T> type, String what, StandardErrorCode shapeError) {
    checkSyntax(json, what);
    return new StrictJsonReader(objectMapper, shapeError).read(json, type, what);
  }

  private void checkSyntax(String json, String what) {
    try (JsonParser parser = objectMapper.createParser(json)) {
      while (parser.nextToken() != null) {
        // Reading every token is the check.
      }
    } catch (StreamReadException e) {
      Problem problem = new Problem(path(e), malformed(e));
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST, "Malformed JSON in " + what, List.of(problem));
    } catch (IOException e) {
      throw OrchestrionException.invalid(
          StandardErrorCode.INVALID_REQUEST,
          "Malformed JSON in " + what,
          List.of(new Problem("$", String.valueOf(e.getMessage()))));
    }
  }

  /** Ends the response with {@code body} as JSON. */
  public void respond(RoutingContext context, int status, Object body) {
    String json;
    try {
      json = objectMapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "Cannot serialise " + body.getClass().getName(), e);
    }
    context
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(json);
  }

  private static String bodyOf(RoutingContext context, String what) {
    String body = context.body() == null ? null : context.body().asString();
    if (body == null || body.isBlank()) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "The request needs a JSON body: " + what,
          List.of(new Problem("$", "the body is empty")));
    }
    return body;
  }

  private static String path(StreamReadException e) {
    if (!(e.getProcessor() instanceof JsonParser parser)) {
      return "$";
    }
    Deque<JsonStreamContext> contexts = new ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
      contexts.push(c);
    }
    StringBuilder path = new StringBuilder("$");
    for (JsonStreamContext c : contexts) {
      if (c.inArray() && c.getCurrentIndex() >= 0) {
        path.append('[').append(c.getCurrentIndex()).append(']');
      } else if (c.inObject() && c.getCurrentName() != null) {
        appendField(path, c.getCurrentName());
      }
    }
    return path.toString();
  }

  private static void appendField(StringBuilder path, String name) {
    if (IDENTIFIER.matcher(name).matches()) {
      path.append('.').append(name);
    } else {
      path.append("['").append(name.replace("'", "\\'")).append("']");
    }
  }

  private static String malformed(StreamReadException e) {
    String message = e.getOriginalMessage();
    return e.getLocation() == null
        ? message
        : message
            + " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
