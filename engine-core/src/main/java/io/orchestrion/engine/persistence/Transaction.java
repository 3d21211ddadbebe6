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
   * Runs {@code work} under a savepoint of this transaction, so that several commands can share one
   * commit (group commit) while a failing one affects only itself. When {@code work} throws, its
   * writes are rolled back to the savepoint and the after-commit actions it registered are
   * discarded; the exception is then rethrown and the transaction stays usable. When it returns,
   * the savepoint is released and its after-commit actions run after the commit, in order.
   *
   * <p>A transient failure ({@link Database#isTransient}) must not be swallowed by the caller: some
   * databases (H2 on a deadlock) roll back the whole transaction, not only the savepoint's part.
   * The same holds when rolling back to the savepoint fails: the transaction is then unusable and
   * the caller must let the failure end it.
   */
  <T> T underSavepoint(TransactionCallback<T> work) throws SQLException;
}
