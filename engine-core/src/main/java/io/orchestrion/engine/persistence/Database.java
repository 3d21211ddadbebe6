package io.orchestrion.engine.persistence;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in database transactions. Thread-safe; every call gets its own connection from the
 * pool, so concurrent transactions are independent.
 */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DataSource dataSource;
  // Found on first use rather than in the constructor: constructing the object graph does no I/O.
  private volatile ConnectionFacts facts;

  @Inject
  public Database(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource is null");
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The dialect of the database, asked once and remembered. */
  public Dialect dialect() {
    return facts().dialect();
  }

  private ConnectionFacts facts() {
    ConnectionFacts known = facts;
    if (known == null) {
      try (Connection connection = dataSource.getConnection()) {
        known =
            new ConnectionFacts(
                Dialect.of(connection.getMetaData()),
                connection.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED);
        // A pooled connection with auto-commit off must not go back with an open transaction.
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw databaseError("finding the database type", e);
      }
      facts = known;
    }
    return known;
  }

  /**
   * What the first connection told: its dialect, and whether the pool hands connections out READ
   * COMMITTED already. Asking a PostgreSQL connection for its isolation level is a round trip, so
   * it is asked once rather than per transaction.
   */
  private record ConnectionFacts(Dialect dialect, boolean readCommittedByDefault) {}

  /**
   * Runs {@code callback} in a new READ COMMITTED transaction and commits it. Any exception rolls
   * the transaction back and is rethrown: {@link OrchestrionException}s and other unchecked
   * exceptions as they are, {@link SQLException}s as INTERNAL_ERROR. After a successful commit the
   * transaction's {@link Transaction#afterCommit} actions run on this thread.
   */
  public <T> T inTransaction(TransactionCallback<T> callback) {
    requireNonNull(callback, "callback is null");
    ConnectionFacts connectionFacts = facts();
    JdbcTransaction transaction;
    T result;
    try (Connection connection = dataSource.getConnection()) {
      prepare(connection, connectionFacts);
      transaction = new JdbcTransaction(connection, connectionFacts.dialect());
      try {
        result = callback.run(transaction);
        connection.commit();
      } catch (SQLException e) {
        rollback(connection, e);
        throw databaseError("running a transaction", e);
      } catch (RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      } finally {
        transaction.end();
      }
    } catch (SQLException e) {
      // Getting, preparing or closing the connection failed.
      throw databaseError("opening or closing a transaction", e);
    }
    transaction.runAfterCommitActions();
    return result;
  }

  private static void prepare(Connection connection, ConnectionFacts facts) throws SQLException {
    // Pools built by DataSources hand connections out this way already, and getAutoCommit is
    // answered by the driver without a round trip: a well-configured pool costs nothing here.
    if (connection.getAutoCommit()) {
      connection.setAutoCommit(false);
    }
    if (!facts.readCommittedByDefault()) {
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** An INTERNAL_ERROR for a failed database operation, keeping the SQL state in the message. */
  public static OrchestrionException databaseError(String doing, SQLException e) {
    return new OrchestrionException(
        StandardErrorCode.INTERNAL_ERROR,
        "Database error while "
            + doing
            + ": "
            + e.getMessage()
            + " (SQL state "
            + e.getSQLState()
            + ")",
        e);
  }

  private static final class JdbcTransaction implements Transaction {
    private final Connection connection;
    private final Dialect dialect;
    private final List<Runnable> afterCommitActions = new ArrayList<>();
    private boolean ended;

    JdbcTransaction(Connection connection, Dialect dialect) {
      this.connection = connection;
      this.dialect = dialect;
    }

    @Override
    public Connection connection() {
      checkOpen();
      return connection;
    }

    @Override
    public Dialect dialect() {
      return dialect;
    }

    @Override
    public void afterCommit(Runnable action) {
      requireNonNull(action, "action is null");
      checkOpen();
      afterCommitActions.add(action);
    }

    void end() {
      ended = true;
    }

    void runAfterCommitActions() {
      for (Runnable action : afterCommitActions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.error("An after-commit action failed; the transaction is committed", e);
        }
      }
    }

    private void checkOpen() {
      if (ended) {
        throw new IllegalStateException("The transaction has ended");
      }
    }
  }
}
