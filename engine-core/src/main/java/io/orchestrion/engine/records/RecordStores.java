package io.orchestrion.engine.records;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.time.Instant;

/** Opens record stores on transactions. Thread-safe; the stores it opens are not. */
public final class RecordStores {
  private final ObjectTypeStore objectTypes;

  @Inject
  public RecordStores(ObjectTypeStore objectTypes) {
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
  }

  /**
   * A record store that works in {@code transaction}, stamps its changes with {@code now} (the
   * command's clock reading) and must not outlive the transaction. Engine code gets it from its
   * unit of work ({@code io.orchestrion.engine.work.UnitOfWork#records}).
   */
  public JdbcRecordStore open(Transaction transaction, Instant now) {
    return new JdbcRecordStore(transaction, objectTypes, now);
  }
}
