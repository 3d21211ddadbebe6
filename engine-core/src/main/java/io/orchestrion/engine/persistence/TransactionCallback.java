package io.orchestrion.engine.persistence;

import java.sql.SQLException;

/** Work done inside one transaction by {@link Database#inTransaction}. */
@FunctionalInterface
public interface TransactionCallback<T> {
  T run(Transaction transaction) throws SQLException;
}
