package io.orchestrion.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the JSON paths of problem documents ({@code $.stages[0].steps[1].name}, {@code
 * $.fieldPermissions['a b']}) against the document that was sent: a path must name a node of it, or
 * a missing property or item whose parent exists.
 */
final class ProblemPaths {
  private ProblemPaths() {}

  /** Why {@code path} does not point into {@code document}; empty when it does. */
  static Optional<String> check(JsonNode document, String path) {
    List<Object> segments;
    try {
      segments = parse(path);
    } catch (IllegalArgumentException e) {
      return Optional.of("unparsable path '" + path + "': " + e.getMessage());
    }
    JsonNode node = document;
    for (int i = 0; i < segments.size(); i++) {
      if (node != null && node.isTextual() && node.asText().equals(JsonMutator.DEEP)) {
        return Optional.empty();
      }
      if (node == null || node.isMissingNode()) {
        return Optional.of(
            "'" + path + "': nothing at the parent of segment " + segments.get(i) + "");
      }
      Object segment = segments.get(i);
      node = segment instanceof Integer index ? node.get(index) : node.get((String) segment);
    }
    return Optional.empty();
  }

  static List<Object> parse(String path) {
    if (!path.startsWith("$")) {
      throw new IllegalArgumentException("does not start with $");
    }
    List<Object> segments = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        segments.add(path.substring(i + 1, end));
        i = end;
      } else if (c == '[' && i + 1 < path.length() && path.charAt(i + 1) == '\'') {
        StringBuilder name = new StringBuilder();
        int j = i + 2;
        while (j < path.length() && path.charAt(j) != '\'') {
          if (path.charAt(j) == '\\' && j + 1 < path.length()) {
            j++;
          }
          name.append(path.charAt(j));
          j++;
        }
        if (j + 1 >= path.length() || path.charAt(j + 1) != ']') {
          throw new IllegalArgumentException("unterminated ['...'] at " + i);
        }
        segments.add(name.toString());
        i = j + 2;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated [ at " + i);
        }
        segments.add(Integer.parseInt(path.substring(i + 1, end)));
        i = end + 1;
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
      }
    }
    return segments;
  }
}
