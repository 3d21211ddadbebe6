package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * One thing the offline validator found in a document.
 *
 * @param source the document's name, as given (a file path)
 * @param path where in the document, a JSON path ({@code $} for the document itself)
 */
public record Finding(String source, Severity severity, String path, String message) {
  public enum Severity {
    /** The document would be refused at deploy or activation. */
    ERROR,
    /** Accepted, but worth a look (the same warnings a deploy returns). */
    WARNING
  }

  public Finding {
    requireNonNull(source, "source is null");
    requireNonNull(severity, "severity is null");
    requireNonNull(path, "path is null");
    requireNonNull(message, "message is null");
  }

  /** {@code file: JSON path: message}, warnings with {@code warning: } before the message. */
  @Override
  public String toString() {
    return source
        + ": "
        + path
        + ": "
        + (severity == Severity.WARNING ? "warning: " : "")
        + message;
  }
}
