package io.orchestrion.engine.work;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.signals.WorkSignals;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Opens one {@link UnitOfWork} per engine command, each on a transaction of its own ({@link
 * Database#inTransaction}: READ COMMITTED, no nesting, after-commit actions, transient retries). A
 * retried attempt gets a fresh unit of work, with a new clock reading and a new record store.
 * Thread-safe.
 */
public final class UnitsOfWork {
  private final Database database;
  private final Clock clock;
  private final RecordStores recordStores;
  private final EngineSecurity security;
  private final WorkSignals signals;

  @Inject
  public UnitsOfWork(
      Database database,
      Clock clock,
      RecordStores recordStores,
      EngineSecurity security,
      WorkSignals signals) {
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.recordStores = requireNonNull(recordStores, "recordStores is null");
    this.security = requireNonNull(security, "security is null");
    this.signals = requireNonNull(signals, "signals is null");
  }

  /**
   * Runs {@code work} in a new unit of work and commits it; its after-commit actions run after the
   * commit. Failures and retries as {@link Database#inTransaction}.
   *
   * @throws IllegalStateException when this thread has a transaction open already
   */
  public <T> T call(Work<T> work) {
    requireNonNull(work, "work is null");
    return database.inTransaction(tx -> work.run(open(tx)));
  }

  /**
   * Like {@link #call}, for a read whose answer tells others what happened and lets them move on
   * past it (the event feed): returns once everything the read could see is on the disk ({@link
   * Database#awaitWrittenSoFar}).
   */
  public <T> T callWritten(Work<T> work) {
    T result = call(work);
    database.awaitWrittenSoFar();
    return result;
  }

  /**
   * Returns once every transaction committed so far is on the disk ({@link
   * Database#awaitWrittenSoFar}): before a call that leaves the process on the strength of what a
   * transaction read.
   */
  public void awaitWrittenSoFar() {
    database.awaitWrittenSoFar();
  }

  /** Like {@link #call}, for work without a result. */
  public void run(VoidWork work) {
    requireNonNull(work, "work is null");
    database.inTransaction(
        tx -> {
          work.run(open(tx));
          return null;
        });
  }

  /** Whether this thread has a transaction of this engine's database open. */
  public boolean transactionOpenOnThisThread() {
    return database.transactionOpenOnThisThread();
  }

  /** Work without a result. */
  @FunctionalInterface
  public interface VoidWork {
    void run(UnitOfWork uow) throws SQLException;
  }

  private UnitOfWork open(Transaction tx) {
    return new UnitOfWork(tx, clock.instant(), recordStores, security, signals);
  }
}
