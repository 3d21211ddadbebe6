package io.orchestrion.flow;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.Operator;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.spi.RecordQuery;
import io.orchestrion.spi.RecordStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** An in-memory {@link RecordStore} for tests: sequential ids, a fixed clock, no access checks. */
final class TestingRecordStore implements RecordStore {
  private final Map<String, ObjectTypeDefinition> types = new LinkedHashMap<>();
  private final Map<String, RecordData> records = new LinkedHashMap<>();
  private final Instant now;
  private int nextId = 1;
  private RuntimeException failNextWrite;

  TestingRecordStore(Instant now, ObjectTypeDefinition... objectTypes) {
    this.now = now;
    for (ObjectTypeDefinition type : objectTypes) {
      types.put(type.apiName(), type);
    }
  }

  /** Makes the next insert, update or delete throw {@code failure}. */
  void failNextWrite(RuntimeException failure) {
    this.failNextWrite = failure;
  }

  RecordData get(String id) {
    return records.get(id);
  }

  int size() {
    return records.size();
  }

  @Override
  public ObjectTypeDefinition objectType(String apiName) {
    ObjectTypeDefinition type = types.get(apiName);
    if (type == null) {
      throw OrchestrionException.notFound("object type '" + apiName + "'");
    }
    return type;
  }

  @Override
  public Optional<RecordData> find(String objectType, String id) {
    return Optional.ofNullable(records.get(id))
        .filter(record -> record.objectType().equals(objectType));
  }

  @Override
  public List<RecordData> query(RecordQuery query) {
    objectType(query.objectType());
    Predicate<RecordData> matches = record -> query.matchAll();
    for (RecordQuery.Condition condition : query.filters()) {
      Predicate<RecordData> test = record -> test(record, condition);
      Predicate<RecordData> previous = matches;
      matches =
          query.filters().getFirst() == condition
              ? test
              : query.matchAll() ? previous.and(test) : previous.or(test);
    }
    List<RecordData> result = new ArrayList<>();
    for (RecordData record : records.values()) {
      if (record.objectType().equals(query.objectType()) && matches.test(record)) {
        result.add(record);
      }
    }
    for (RecordQuery.Order order : query.orderBy().reversed()) {
      Comparator<Object> values = Comparator.nullsFirst(Values::compare);
      Comparator<RecordData> comparator =
          Comparator.comparing(record -> record.fields().get(order.field()), values);
      result.sort(order.descending() ? comparator.reversed() : comparator);
    }
    return query
        .limit()
        .map(limit -> result.subList(0, Math.min(limit, result.size())))
        .orElse(result);
  }

  private static boolean test(RecordData record, RecordQuery.Condition condition) {
    Object value = record.fields().get(condition.field());
    Object other = condition.value();
    if (condition.operator() == Operator.IS_NULL) {
      return (value == null) == !Boolean.FALSE.equals(other);
    }
    if (condition.operator() == Operator.EQUALS) {
      return Values.equal(value, other);
    }
    if (condition.operator() == Operator.NOT_EQUALS) {
      return !Values.equal(value, other);
    }
    if (value == null || other == null) {
      return false;
    }
    int compared = Values.compare(value, other);
    return switch (condition.operator()) {
      case GREATER_THAN -> compared > 0;
      case GREATER_OR_EQUAL -> compared >= 0;
      case LESS_THAN -> compared < 0;
      case LESS_OR_EQUAL -> compared <= 0;
      default -> throw new UnsupportedOperationException(condition.operator().name());
    };
  }

  @Override
  public RecordData insert(String objectType, Map<String, Object> fields, String actingUserId) {
    objectType(objectType);
    failIfAsked();
    String id = objectType.substring(0, 3).toUpperCase() + "-" + nextId++;
    Map<String, Object> stored = new LinkedHashMap<>(fields);
    stored.put(SystemFields.ID, id);
    stored.putIfAbsent(SystemFields.OWNER_ID, actingUserId);
    stored.put(SystemFields.CREATED_BY_ID, actingUserId);
    stored.put(SystemFields.CREATED_DATE, now);
    stored.put(SystemFields.LAST_MODIFIED_BY_ID, actingUserId);
    stored.put(SystemFields.LAST_MODIFIED_DATE, now);
    RecordData record = new RecordData(objectType, stored, 1);
    records.put(id, record);
    return record;
  }

  @Override
  public RecordData update(
      String objectType,
      String id,
      long expectedVersion,
      Map<String, Object> changes,
      String actingUserId) {
    RecordData current =
        find(objectType, id)
            .orElseThrow(() -> OrchestrionException.notFound(objectType + " '" + id + "'"));
    failIfAsked();
    if (current.version() != expectedVersion) {
      throw new OrchestrionException(
          StandardErrorCode.STALE_VERSION,
          objectType
              + " '"
              + id
              + "' has version "
              + current.version()
              + ", not "
              + expectedVersion);
    }
    Map<String, Object> stored = new LinkedHashMap<>(current.fields());
    stored.putAll(changes);
    stored.put(SystemFields.LAST_MODIFIED_BY_ID, actingUserId);
    stored.put(SystemFields.LAST_MODIFIED_DATE, now);
    RecordData record = new RecordData(objectType, stored, current.version() + 1);
    records.put(id, record);
    return record;
  }

  @Override
  public void delete(String objectType, String id, long expectedVersion) {
    find(objectType, id)
        .orElseThrow(() -> OrchestrionException.notFound(objectType + " '" + id + "'"));
    failIfAsked();
    records.remove(id);
  }

  private void failIfAsked() {
    RuntimeException failure = failNextWrite;
    if (failure != null) {
      failNextWrite = null;
      throw failure;
    }
  }
}
