package io.orchestrion.engine.persistence;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A pool that refuses to hand a connection to a thread which has a {@link Database} transaction
 * open on it: such a thread must use its {@link Transaction}'s connection (see {@link Database}).
 * The engine binds its {@link DataSource} through this guard, so that nothing it injects can take a
 * second connection behind the rule's back.
 */
public final class GuardedDataSource extends ForwardingDataSource {
  private final DataSource pool;

  private GuardedDataSource(DataSource pool) {
    super(pool);
    this.pool = pool;
  }

  /** {@code dataSource} guarded; a guarded one is returned as it is. */
  public static GuardedDataSource of(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource is null");
    return dataSource instanceof GuardedDataSource guarded
        ? guarded
        : new GuardedDataSource(dataSource);
  }

  /** The pool behind {@code dataSource}'s guard, or {@code dataSource} if it has none. */
  static DataSource unguarded(DataSource dataSource) {
    return dataSource instanceof GuardedDataSource guarded ? guarded.pool : dataSource;
  }

  private void check() {
    if (Database.transactionOpenOnThisThread(pool)) {
      throw new IllegalStateException(
          "A transaction is already open on this thread: use its Transaction's connection"
              + " instead of taking a second connection from the pool (a thread that holds a"
              + " pooled connection and waits for a second one can exhaust the pool)");
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    check();
    return super.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    check();
    return super.getConnection(username, password);
  }

  @Override
  protected Connection wrap(Connection connection) {
    return connection;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || pool.isWrapperFor(type);
  }
}
