package io.orchestrion.engine.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.function.Function;

/**
 * One open database transaction. It is valid only inside the {@link TransactionCallback} it was
 * given to, on that callback's thread; the callback must neither commit, roll back nor close the
 * connection.
 */
public interface Transaction {
  /** The connection of this transaction (auto-commit off, READ COMMITTED). */
  Connection connection();

  Dialect dialect();

  /**
   * Runs {@code action} after this transaction has committed, e.g. to wake a worker up. It does not
   * run if the transaction rolls back. A failing action is logged, never thrown: the transaction is
   * already committed and the caller must be told so.
   */
  void afterCommit(Runnable action);

  /**
   * Adds {@code item} to what {@code writer} writes as this transaction's last writes: once the
   * callback has returned, and before the commit, every writer used is given its items (in the
   * order they were added; writers in the order of their first item, those that {@linkplain
   * BeforeCommit#writesLast write last} after the others) in one call. Items added under a
   * savepoint that is rolled back ({@link #underSavepoint}, or {@link #rollbackTo} a savepoint of
   * {@link #setSavepoint}) are dropped with the savepoint's other writes. A writer that throws
   * rolls the whole transaction back. Writers are compared by identity. The rows of the members of
   * a group commit thus go in with one statement per writer where each would have sent its own.
   */
  <T> void beforeCommit(BeforeCommit<T> writer, T item);

  /**
   * Gives {@code writer} the items gathered for it so far, now rather than before the commit: for
   * code that is about to read, in this transaction, the rows they become. Later items wait for the
   * commit as before. A savepoint rolled back after this call rolls the written rows back as it
   * does any other write.
   */
  void writeGathered(BeforeCommit<?> writer) throws SQLException;

  /**
   * Sets a savepoint of this transaction's connection that {@link #rollbackTo} also rolls the
   * transaction's {@link #beforeCommit} items back to. Engine code sets savepoints only through
   * this method or {@link #underSavepoint}.
   */
  Savepoint setSavepoint() throws SQLException;

  /**
   * Runs {@code work} under a savepoint of this transaction. When it throws, everything it wrote is
   * rolled back to the savepoint and the after-commit actions it registered are discarded, while
   * what the transaction did before and does after stays; the exception is rethrown as it is. When
   * it returns, the savepoint is released and its writes and actions belong to the transaction.
   * Savepoints nest. The work must not roll back past its own savepoint. Group commit ({@code
   * jobs.JobGroups}) runs each job of a group this way, so that a failing one affects only itself.
   *
   * <p>A transient failure ({@link Database#isTransient}) must not be swallowed by the caller: some
   * databases (H2 on a deadlock) roll back the whole transaction, not only the savepoint's part.
   * When rolling back to the savepoint fails, the transaction cannot be trusted any more: {@link
   * Database.SavepointLost} (the work's failure as its cause) is thrown instead, and the caller
   * must let it end the transaction.
   */
  <T> T underSavepoint(TransactionCallback<T> work) throws SQLException;

  /**
   * The value this transaction remembers under {@code key}, computed by {@code compute} on first
   * use: a fact read once per transaction (e.g. the revisions of this node's caches, {@link
   * CacheRevisions}) instead of once per caller. Code that changes what a remembered value was read
   * from calls {@link #forget} in the same transaction.
   */
  <T> T remembered(Key<T> key, Function<Transaction, T> compute);

  /** Drops what this transaction remembers under {@code key}; the next use computes it again. */
  void forget(Key<?> key);

  /**
   * Ends {@code savepoint} (of {@link #setSavepoint}) with its work kept: its writes and items now
   * belong to the transaction, and it can no longer be rolled back to. Where the dialect lets a
   * savepoint end with its transaction ({@link Dialect#releasesSavepoints}), no statement is sent.
   */
  void releaseSavepoint(Savepoint savepoint) throws SQLException;

  /**
   * Rolls the transaction back to {@code savepoint} and forgets everything it {@link #remembered}:
   * a value remembered after the savepoint may describe writes that are gone. The {@link
   * #beforeCommit} items added since a savepoint of {@link #setSavepoint} are dropped. Engine code
   * rolls back to a savepoint only through this method, never through {@link #connection()}.
   */
  void rollbackTo(Savepoint savepoint) throws SQLException;

  /** Writes what a transaction gathered with {@link #beforeCommit}, just before it commits. */
  @FunctionalInterface
  interface BeforeCommit<T> {
    void write(Transaction tx, List<T> items) throws SQLException;

    /**
     * Whether this writer writes after the writers that do not, whenever its first item came: the
     * events, whose numbering takes the sequencer's lock and holds it until the commit.
     */
    default boolean writesLast() {
      return false;
    }
  }

  /** The name of a value a transaction remembers; compared by identity. */
  final class Key<T> {
    private final String name;

    public Key(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
