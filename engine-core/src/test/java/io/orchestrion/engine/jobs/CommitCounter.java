package io.orchestrion.engine.jobs;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the commits and rollbacks made on its connections, per thread (the
 * engine's own loops commit on other threads), as the benchmarks' counting data source does.
 */
final class CommitCounter implements DataSource {
  private final DataSource target;
  private final Map<Thread, LongAdder> commits = new ConcurrentHashMap<>();
  private final Map<Thread, LongAdder> rollbacks = new ConcurrentHashMap<>();

  CommitCounter(DataSource target) {
    this.target = target;
  }

  long commits(Thread thread) {
    LongAdder count = commits.get(thread);
    return count == null ? 0 : count.sum();
  }

  /** Rollbacks of a whole transaction (a rollback to a savepoint is not counted). */
  long rollbacks(Thread thread) {
    LongAdder count = rollbacks.get(thread);
    return count == null ? 0 : count.sum();
  }

  void reset() {
    commits.clear();
    rollbacks.clear();
  }

  private Connection counting(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              boolean whole = args == null || args.length == 0;
              if (method.getName().equals("commit") && whole) {
                commits.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
              } else if (method.getName().equals("rollback") && whole) {
                rollbacks.computeIfAbsent(Thread.currentThread(), t -> new LongAdder()).increment();
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public Connection getConnection() throws SQLException {
    return counting(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return counting(target.getConnection(username, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return target.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return target.isWrapperFor(type);
  }
}
