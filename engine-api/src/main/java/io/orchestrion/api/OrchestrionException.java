package io.orchestrion.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** The one exception type of the engine: an error code, a message and, for bad input, problems. */
public class OrchestrionException extends RuntimeException {
  private final ErrorCode errorCode;
  private final List<Problem> problems;

  public OrchestrionException(ErrorCodeSupplier errorCode, String message) {
    this(errorCode, message, List.of(), null);
  }

  public OrchestrionException(ErrorCodeSupplier errorCode, String message, Throwable cause) {
    this(errorCode, message, List.of(), cause);
  }

  public OrchestrionException(ErrorCodeSupplier errorCode, String message, List<Problem> problems) {
    this(errorCode, message, problems, null);
  }

  public OrchestrionException(
      ErrorCodeSupplier errorCode, String message, List<Problem> problems, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.errorCode = requireNonNull(errorCode, "errorCode is null").toErrorCode();
    this.problems = List.copyOf(requireNonNull(problems, "problems is null"));
  }

  /** A USER_ERROR about input with the given problems, e.g. an invalid definition. */
  public static OrchestrionException invalid(
      ErrorCodeSupplier errorCode, String what, List<Problem> problems) {
    String summary =
        problems.stream().limit(5).map(Problem::toString).collect(Collectors.joining("; "));
    String more = problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : "";
    return new OrchestrionException(
        errorCode, what + ": " + problems.size() + " problem(s): " + summary + more, problems);
  }

  public static OrchestrionException notFound(String what) {
    return new OrchestrionException(StandardErrorCode.NOT_FOUND, what + " not found");
  }

  public ErrorCode getErrorCode() {
    return errorCode;
  }

  public List<Problem> getProblems() {
    return problems;
  }
}
