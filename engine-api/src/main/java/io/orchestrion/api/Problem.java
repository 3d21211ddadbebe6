package io.orchestrion.api;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with an input or a definition.
 *
 * @param path where, as a JSON path from the document root ({@code $.elements[2].next}); {@code $}
 *     for the document itself
 * @param message what is wrong, quoting the offending names and values
 */
public record Problem(String path, String message) {
  public Problem {
    requireNonNull(path, "path is null");
    requireNonNull(message, "message is null");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
