package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A list in a response. Paginated lists carry {@code nextCursor} while more items exist; pass it
 * back as {@code cursor} to get them.
 */
public record ListResponse<T>(List<T> items, Optional<String> nextCursor) {
  public ListResponse {
    items = List.copyOf(items);
    requireNonNull(nextCursor, "nextCursor is null");
  }

  static <T> ListResponse<T> of(List<T> items) {
    return new ListResponse<>(items, Optional.empty());
  }
}
