package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.persistence.JdbcValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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

  /**
   * Appends the keyset condition "after this position" on {@code alias}'s {@code created_at} and
   * {@code id} columns ({@code alias} is "" or e.g. "w.").
   */
  void appendAfter(StringBuilder sql, List<Object> parameters, String alias) {
    sql.append(" AND (")
        .append(alias)
        .append("created_at > ? OR (")
        .append(alias)
        .append("created_at = ? AND ")
        .append(alias)
        .append("id > ?))");
    OffsetDateTime at = JdbcValues.utc(createdAt);
    parameters.add(at);
    parameters.add(at);
    parameters.add(id);
  }

  /**
   * The page of {@code fetched}, which holds up to {@code limit + 1} rows in list order: the extra
   * row only says that a next page exists, whose cursor is the last kept row's position.
   */
  static <T> Page<T> page(List<T> fetched, int limit, Function<T, PageCursor> position) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, Optional.empty());
    }
    List<T> page = fetched.subList(0, limit);
    return new Page<>(page, Optional.of(position.apply(page.get(limit - 1)).encode()));
  }

  static void requireLimit(int limit, int max) {
    if (limit < 1 || limit > max) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "limit must be between 1 and %d, not %d".formatted(max, limit));
    }
  }
}
