package io.orchestrion.flow.json;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** Builds JSON paths ({@code $.elements[2].next}) from Jackson's parser state and exceptions. */
public final class JsonPaths {
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private JsonPaths() {}

  /** The path of the value the parser is at; {@code propertyName} is appended when not null. */
  static String of(JsonStreamContext context, String propertyName) {
    // When called for an unknown property, the context's current name is that property.
    JsonStreamContext current = context;
    if (propertyName != null && current != null && propertyName.equals(current.getCurrentName())) {
      current = current.getParent();
    }
    return child(current, propertyName);
  }

  /**
   * The path of property {@code propertyName} (none when null) of the object held where {@code
   * container} is: at the container's current index or under its current name.
   */
  static String child(JsonStreamContext container, String propertyName) {
    List<String> segments = new ArrayList<>();
    if (propertyName != null) {
      segments.add(property(propertyName));
    }
    JsonStreamContext current = container;
    while (current != null && !current.inRoot()) {
      if (current.inArray()) {
        segments.add("[" + Math.max(current.getCurrentIndex(), 0) + "]");
      } else if (current.inObject() && current.getCurrentName() != null) {
        segments.add(property(current.getCurrentName()));
      }
      current = current.getParent();
    }
    Collections.reverse(segments);
    return "$" + String.join("", segments);
  }

  static String of(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        path.append(property(reference.getFieldName()));
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /**
   * The path of property {@code name} of the object at {@code parent}: {@code $.a.b}, or {@code
   * $.a['b c']} for a name that is not a simple identifier.
   */
  public static String property(String parent, String name) {
    return parent + property(name);
  }

  private static String property(String name) {
    return SIMPLE_NAME.matcher(name).matches()
        ? "." + name
        : "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }
}
