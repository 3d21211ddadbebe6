package io.orchestrion.engine.records;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.persistence.Transaction;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The records one transaction has read or written through its record stores, by object type and id:
 * read once per transaction (issue 11: the submitted record had been read up to five times in one
 * hand-off), written through on insert and update, dropped on delete or on a failed write. Every
 * {@link JdbcRecordStore} opened on the transaction shares it, so the submit call's existence
 * check, the evaluation pass's {@code $Record} references and a step flow's GetRecords of the same
 * record cost one read; SPEC §5.2's "read fresh at every evaluation pass" holds as "read once in
 * the pass's transaction, with that transaction's own writes".
 *
 * <p>Remembered on the {@link Transaction}, which forgets it when it rolls back to a savepoint
 * ({@link Transaction#rollbackTo}): what was read or written after the savepoint may be gone. Not
 * thread-safe, like the transaction.
 */
final class TransactionRecords {
  private static final Transaction.Key<TransactionRecords> KEY =
      new Transaction.Key<>("records read in this transaction");

  private final Map<String, RecordData> known = new HashMap<>();

  private TransactionRecords() {}

  static TransactionRecords of(Transaction tx) {
    return tx.remembered(KEY, ignored -> new TransactionRecords());
  }

  Optional<RecordData> get(String objectType, String id) {
    return Optional.ofNullable(known.get(key(objectType, id)));
  }

  /** Remembers a record as stored now (read, or returned by the write that stored it). */
  void put(RecordData record) {
    Object id = record.fields().get(SystemFields.ID);
    if (id instanceof String text) {
      known.put(key(record.objectType(), text), record);
    }
  }

  void forget(String objectType, String id) {
    known.remove(key(objectType, id));
  }

  private static String key(String objectType, String id) {
    return objectType + "/" + id;
  }
}
