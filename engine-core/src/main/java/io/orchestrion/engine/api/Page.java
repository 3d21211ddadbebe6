package io.orchestrion.engine.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One page of a list; pass {@code nextCursor} to get the next page. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    requireNonNull(nextCursor, "nextCursor is null");
  }
}
