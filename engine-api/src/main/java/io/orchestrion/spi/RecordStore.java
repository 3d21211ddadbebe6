package io.orchestrion.spi;

import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.RecordData;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raw access to records inside one transaction, with no access checks: callers (the flow runtime,
 * the engine) enforce the security context before calling it. An instance is bound to the
 * transaction it was opened for and must not be used after that transaction ends.
 *
 * <p>Values are the Java representations of {@link io.orchestrion.api.object.DataType}. Failures
 * are {@link io.orchestrion.api.OrchestrionException}s: NOT_FOUND for an unknown object type or
 * record, STALE_VERSION when the expected version is not the stored one, INVALID_REQUEST for values
 * that do not fit a field.
 */
public interface RecordStore {
  ObjectTypeDefinition objectType(String apiName);

  Optional<RecordData> find(String objectType, String id);

  List<RecordData> query(RecordQuery query);

  /**
   * Inserts a record; system fields are set by the store, {@code OwnerId} defaults to the actor.
   */
  RecordData insert(String objectType, Map<String, Object> fields, String actingUserId);

  /** Updates the given fields of a record whose stored version is {@code expectedVersion}. */
  RecordData update(
      String objectType,
      String id,
      long expectedVersion,
      Map<String, Object> changes,
      String actingUserId);

  void delete(String objectType, String id, long expectedVersion);
}
