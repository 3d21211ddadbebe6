package io.orchestrion.engine.persistence;

import java.sql.Connection;
import java.sql.SQLException;

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
   * Runs {@code work} under a savepoint of this transaction. When it throws, everything it wrote is
   * rolled back to the savepoint and the after-commit actions it registered are discarded, while
   * what the transaction did before and does after stays; the exception is rethrown as it is. When
   * it returns, the savepoint is released and its writes and actions belong to the transaction.
   * Savepoints nest. The work must not roll back past its own savepoint.
   */
  <T> T underSavepoint(TransactionCallback<T> work) throws SQLException;
}
