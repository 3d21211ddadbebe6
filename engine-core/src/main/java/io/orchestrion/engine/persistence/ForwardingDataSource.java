package io.orchestrion.engine.persistence;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out its delegate's connections through {@link #wrap}, for wrappers that
 * guard or observe connections ({@link GuardedDataSource}; tests and benchmarks that count commits
 * or statements); everything else is forwarded.
 */
public abstract class ForwardingDataSource implements DataSource {
  private final DataSource delegate;

  protected ForwardingDataSource(DataSource delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /** The data source this one forwards to. */
  protected final DataSource delegate() {
    return delegate;
  }

  /** The connection handed out for {@code connection}, just taken from the delegate. */
  protected abstract Connection wrap(Connection connection) throws SQLException;

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return delegate.isWrapperFor(type);
  }
}
