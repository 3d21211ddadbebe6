package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

/** Sort by a field, ascending unless {@code descending}. */
public record SortSpec(String field, boolean descending) {
  public SortSpec {
    requireNonNull(field, "field is null");
  }
}
