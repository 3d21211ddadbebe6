package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

/** {@code field operator value} in GetRecords, UpdateRecords and DeleteRecords. */
public record RecordFilter(String field, Operator operator, ValueSpec value) {
  public RecordFilter {
    requireNonNull(field, "field is null");
    requireNonNull(operator, "operator is null");
    requireNonNull(value, "value is null");
  }
}
