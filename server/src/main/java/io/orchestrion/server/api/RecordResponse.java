package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.object.RecordData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A record as the API shows it: the id and version next to the field values. */
public record RecordResponse(
    String objectType, String id, long version, Map<String, Object> fields) {
  public RecordResponse {
    requireNonNull(objectType, "objectType is null");
    requireNonNull(id, "id is null");
    // Unset fields are null, so Map.copyOf cannot be used.
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  static RecordResponse of(RecordData record) {
    String id =
        record
            .id()
            .orElseThrow(
                () ->
                    new OrchestrionException(
                        StandardErrorCode.INTERNAL_ERROR,
                        "The engine returned a record of '"
                            + record.objectType()
                            + "' without an id"));
    return new RecordResponse(record.objectType(), id, record.version(), record.fields());
  }
}
