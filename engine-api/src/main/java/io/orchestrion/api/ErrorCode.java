package io.orchestrion.api;

import static java.util.Objects.requireNonNull;

/** A stable, machine-readable error name together with its {@link ErrorType}. */
public record ErrorCode(String name, ErrorType type) {
  public ErrorCode {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
