package io.orchestrion.api.object;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A record: its object type, its field values (system fields included, a missing or {@code null}
 * value means "not set") and its optimistic-concurrency version (0 for a record not stored yet).
 * Immutable; {@link #withField} returns a modified copy.
 */
public record RecordData(String objectType, Map<String, Object> fields, long version) {
  public RecordData {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(fields, "fields is null");
    // Values may be null (an unset field), so Map.copyOf cannot be used.
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public Optional<String> id() {
    return Optional.ofNullable((String) fields.get(SystemFields.ID));
  }

  public Optional<Object> get(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  public RecordData withField(String field, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(fields);
    copy.put(field, value);
    return new RecordData(objectType, copy, version);
  }
}
