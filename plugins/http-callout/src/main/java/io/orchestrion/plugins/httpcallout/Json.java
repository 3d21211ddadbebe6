package io.orchestrion.plugins.httpcallout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little JSON this plugin needs, with the JDK only (a plugin depends on the engine API alone):
 * objects are {@link Map}s in document order, arrays {@link List}s, numbers {@link BigDecimal}s,
 * and JSON {@code null} is Java {@code null}.
 */
final class Json {
  /** Deeper documents are refused rather than risking a stack overflow. */
  static final int MAX_DEPTH = 64;

  private final String text;
  private int position;

  private Json(String text) {
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException naming the offset of the first syntax error
   */
  static Object parse(String text) {
    Json parser = new Json(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.position != text.length()) {
      throw parser.error("unexpected text after the JSON value");
    }
    return value;
  }

  /** Writes maps, lists, strings, numbers, booleans and nulls; anything else as its string. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  /**
   * The value at an RFC 6901 JSON pointer ({@code /result/items/0/id}); empty when a step is
   * missing or the value is JSON null.
   */
  static Optional<Object> at(Object document, String pointer) {
    if (pointer.isEmpty()) {
      return Optional.ofNullable(document);
    }
    Object current = document;
    for (String token : pointer.substring(1).split("/", -1)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (current instanceof Map<?, ?> object && object.containsKey(name)) {
        current = object.get(name);
      } else if (current instanceof List<?> array && name.matches("0|[1-9][0-9]{0,8}")) {
        int index = Integer.parseInt(name);
        if (index >= array.size()) {
          return Optional.empty();
        }
        current = array.get(index);
      } else {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(current);
  }

  private static void write(Object value, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case Map<?, ?> object -> {
        out.append('{');
        boolean first = true;
        for (var entry : object.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(String.valueOf(entry.getKey()), out);
          out.append(':');
          write(entry.getValue(), out);
        }
        out.append('}');
      }
      case List<?> array -> {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(array.get(i), out);
        }
        out.append(']');
      }
      case BigDecimal number -> out.append(number.toPlainString());
      case Number number -> out.append(number);
      case Boolean bool -> out.append(bool);
      default -> writeString(value.toString(), out);
    }
  }

  private static void writeString(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u%04x".formatted((int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    if (position >= text.length()) {
      throw error("unexpected end of the document");
    }
    char c = text.charAt(position);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    position++;
    skipWhitespace();
    if (peek() == '}') {
      position++;
      return object;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      object.put(name, value(depth + 1));
      skipWhitespace();
      char next = peek();
      position++;
      if (next == '}') {
        return object;
      }
      if (next != ',') {
        position--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> array = new ArrayList<>();
    position++;
    skipWhitespace();
    if (peek() == ']') {
      position++;
      return array;
    }
    while (true) {
      skipWhitespace();
      array.add(value(depth + 1));
      skipWhitespace();
      char next = peek();
      position++;
      if (next == ']') {
        return array;
      }
      if (next != ',') {
        position--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    position++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (position >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(position++);
      if (c == '"') {
        return out.toString();
      }
      if (c == '\\') {
        if (position >= text.length()) {
          throw error("unterminated string");
        }
        char escaped = text.charAt(position++);
        switch (escaped) {
          case '"', '\\', '/' -> out.append(escaped);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (position + 4 > text.length()) {
              throw error("incomplete \\u escape");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
            } catch (NumberFormatException e) {
              throw error("invalid \\u escape");
            }
            position += 4;
          }
          default -> throw error("invalid escape '\\" + escaped + "'");
        }
      } else if (c < 0x20) {
        throw error("control character in a string");
      } else {
        out.append(c);
      }
    }
  }

  private BigDecimal number() {
    int start = position;
    while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
    String literal = text.substring(start, position);
    if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      position = start;
      throw error("invalid number '" + literal + "'");
    }
    return new BigDecimal(literal);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, position)) {
      throw error("unexpected text");
    }
    position += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    position++;
  }

  private char peek() {
    if (position >= text.length()) {
      throw error("unexpected end of the document");
    }
    return text.charAt(position);
  }

  private void skipWhitespace() {
    while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("invalid JSON at offset " + position + ": " + message);
  }
}
