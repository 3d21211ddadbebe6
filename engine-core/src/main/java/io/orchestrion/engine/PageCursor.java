package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** An opaque position in a list ordered by creation time, then id (a stable order). */
record PageCursor(Instant createdAt, String id) {
  String encode() {
    String raw = createdAt + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static PageCursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      return new PageCursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
    } catch (RuntimeException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST, "invalid cursor '" + cursor + "'");
    }
  }

  static void requireLimit(int limit, int max) {
    if (limit < 1 || limit > max) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "limit must be between 1 and %d, not %d".formatted(max, limit));
    }
  }
}
