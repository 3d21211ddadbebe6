package io.orchestrion.engine.records;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.time.Clock;

/** Opens record stores on transactions. Thread-safe; the stores it opens are not. */
public final class RecordStores {
  private final ObjectTypeStore objectTypes;
  private final Clock clock;

  @Inject
  public RecordStores(ObjectTypeStore objectTypes, Clock clock) {
    this.objectTypes = requireNonNull(objectTypes, "objectTypes is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** A record store that works in {@code transaction} and must not outlive it. */
  public JdbcRecordStore open(Transaction transaction) {
    return new JdbcRecordStore(transaction, objectTypes, clock);
  }
}
