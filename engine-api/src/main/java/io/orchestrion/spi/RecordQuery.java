package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.Operator;
import java.util.List;
import java.util.Optional;

/**
 * A query over the records of one object type. Filters, sorting and limits run in the database.
 *
 * @param filters conditions on fields with literal values (already resolved)
 * @param matchAll whether every filter must hold (AND) or any (OR)
 * @param fields the fields to return; empty means all
 * @param access when present, only the records this sharing filter lets through (SPEC §7), applied
 *     by the store together with the filters
 */
public record RecordQuery(
    String objectType,
    List<Condition> filters,
    boolean matchAll,
    List<Order> orderBy,
    Optional<Integer> limit,
    List<String> fields,
    Optional<AccessFilter> access) {
  public RecordQuery {
    requireNonNull(objectType, "objectType is null");
    filters = List.copyOf(filters);
    orderBy = List.copyOf(orderBy);
    requireNonNull(limit, "limit is null");
    fields = List.copyOf(fields);
    requireNonNull(access, "access is null");
  }

  /** A query without a sharing filter. */
  public RecordQuery(
      String objectType,
      List<Condition> filters,
      boolean matchAll,
      List<Order> orderBy,
      Optional<Integer> limit,
      List<String> fields) {
    this(objectType, filters, matchAll, orderBy, limit, fields, Optional.empty());
  }

  /** This query restricted to the records {@code filter} lets through. */
  public RecordQuery withAccess(AccessFilter filter) {
    return new RecordQuery(
        objectType, filters, matchAll, orderBy, limit, fields, Optional.of(filter));
  }

  /** This query returning only {@code selected} (and the id); empty means all fields. */
  public RecordQuery withFields(List<String> selected) {
    return new RecordQuery(objectType, filters, matchAll, orderBy, limit, selected, access);
  }

  public static RecordQuery all(String objectType) {
    return new RecordQuery(objectType, List.of(), true, List.of(), Optional.empty(), List.of());
  }

  /** {@code field operator value}; {@code value} is null only for one-sided operators. */
  public record Condition(String field, Operator operator, Object value) {
    public Condition {
      requireNonNull(field, "field is null");
      requireNonNull(operator, "operator is null");
    }
  }

  public record Order(String field, boolean descending) {
    public Order {
      requireNonNull(field, "field is null");
    }
  }
}
