package io.orchestrion.engine.orchestration;

import io.orchestrion.api.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The errors and warnings found while validating one orchestration, in the order they were found,
 * each with its JSON path.
 */
final class OrchestrationProblems {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  void error(String path, String format, Object... args) {
    errors.add(new Problem(path, format.formatted(args)));
  }

  void warning(String path, String format, Object... args) {
    warnings.add(new Problem(path, format.formatted(args)));
  }

  /** Adds problems found elsewhere (a plugin's, {@link EscalationChecks}') as errors. */
  void errors(List<Problem> found) {
    errors.addAll(found);
  }

  List<Problem> errors() {
    return errors;
  }

  List<Problem> warnings() {
    return warnings;
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Names of stages, steps, variables and the orchestration: letters, digits and _. */
  void checkName(String path, String name) {
    if (!NAME.matcher(name).matches()) {
      error(path, "invalid name '%s': use letters, digits and _, starting with a letter", name);
    }
  }

  /** {@code path} followed by a relative path ({@code a.b}, {@code [0]} or {@code ['a b']}). */
  static String subPath(String path, String relative) {
    if (relative.isEmpty()) {
      return path;
    }
    return relative.startsWith("[") ? path + relative : path + "." + relative;
  }
}
