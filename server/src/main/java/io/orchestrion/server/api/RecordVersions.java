package io.orchestrion.server.api;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import java.util.List;
import java.util.Optional;

/** A record's version as an HTTP entity tag: {@code "3"}; If-Match accepts {@code 3} too. */
final class RecordVersions {
  private RecordVersions() {}

  static String etag(long version) {
    return "\"" + version + "\"";
  }

  static Optional<Long> parseIfMatch(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      long version = Long.parseLong(value);
      if (version >= 0) {
        return Optional.of(version);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "If-Match must be a record version such as \"3\", was '" + header + "'",
        List.of(new Problem("header.If-Match", "must be a record version")));
  }
}
