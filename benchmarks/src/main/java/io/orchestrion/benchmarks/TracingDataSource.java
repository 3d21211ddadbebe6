package io.orchestrion.benchmarks;

import io.orchestrion.engine.persistence.ForwardingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A data source that time-stamps ({@link System#nanoTime()}) each transaction the engine runs on
 * it: when a connection was asked for, when the pool handed it out, when the first statement
 * started, when the commit returned, and which tables it read. The cross-node hand-off benchmark
 * uses it to place a node's claim and segment transactions on the hand-off's time line. Built on
 * {@link java.lang.reflect.Proxy}, like {@link CountingDataSource}; the time stamps cost a few
 * hundred nanoseconds per call.
 */
final class TracingDataSource extends ForwardingDataSource {
  /** One transaction as seen through one connection checkout. */
  record Transaction(
      String thread,
      long askedNanos,
      long obtainedNanos,
      long firstStatementNanos,
      long endedNanos,
      boolean committed,
      String firstSql,
      boolean claim,
      boolean jobRun,
      boolean notifies) {}

  private final LinkedBlockingQueue<Transaction> transactions = new LinkedBlockingQueue<>();

  TracingDataSource(DataSource delegate) {
    super(delegate);
  }

  /** The transactions ended since the last call, in the order they ended; forgets them. */
  List<Transaction> drain() {
    List<Transaction> ended = new ArrayList<>();
    for (Transaction t = transactions.poll(); t != null; t = transactions.poll()) {
      ended.add(t);
    }
    return ended;
  }

  /**
   * The next transaction to end, waiting up to {@code timeout} for it (blocking, so that a waiting
   * benchmark costs the machine no CPU); null if none ended.
   */
  Transaction next(Duration timeout) throws InterruptedException {
    return transactions.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public Connection getConnection() throws SQLException {
    long asked = System.nanoTime();
    Connection connection = delegate().getConnection();
    return wrap(connection, asked);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    long asked = System.nanoTime();
    Connection connection = delegate().getConnection(username, password);
    return wrap(connection, asked);
  }

  @Override
  protected Connection wrap(Connection connection) {
    return wrap(connection, System.nanoTime());
  }

  private Connection wrap(Connection connection, long asked) {
    return (Connection)
        Proxy.newProxyInstance(
            TracingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection, asked, System.nanoTime()));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection connection;
    private long asked;
    private long obtained;
    private long firstStatement;
    private String firstSql = "";
    private boolean claim;
    private boolean jobRun;
    private boolean notifies;

    ConnectionHandler(Connection connection, long asked, long obtained) {
      this.connection = connection;
      this.asked = asked;
      this.obtained = obtained;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "commit", "rollback" -> {
          Object result = TracingDataSource.invoke(connection, method, args);
          if (args == null || args.length == 0) {
            end(method.getName().equals("commit"));
          }
          return result;
        }
        case "close" -> {
          if (firstStatement != 0) {
            end(false);
          }
          return TracingDataSource.invoke(connection, method, args);
        }
        case "createStatement", "prepareStatement" -> {
          Statement statement = (Statement) TracingDataSource.invoke(connection, method, args);
          String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
          Class<?> type =
              statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
          return Proxy.newProxyInstance(
              TracingDataSource.class.getClassLoader(),
              new Class<?>[] {type},
              (statementProxy, statementMethod, statementArgs) -> {
                if (statementMethod.getName().startsWith("execute")) {
                  String executed =
                      statementArgs != null
                              && statementArgs.length > 0
                              && statementArgs[0] instanceof String s
                          ? s
                          : sql;
                  executing(executed == null ? "" : executed);
                }
                return TracingDataSource.invoke(statement, statementMethod, statementArgs);
              });
        }
        default -> {
          return TracingDataSource.invoke(connection, method, args);
        }
      }
    }

    private void executing(String sql) {
      if (firstStatement == 0) {
        firstStatement = System.nanoTime();
        firstSql = sql.replaceAll("\\s+", " ").strip();
      }
      String lower = sql.toLowerCase(Locale.ROOT);
      claim |= lower.contains("skip locked") && lower.contains("from jobs where due_at");
      jobRun |= lower.contains("from jobs where id = ? and lease_owner");
      notifies |= lower.startsWith("notify");
    }

    private void end(boolean committed) {
      transactions.add(
          new Transaction(
              Thread.currentThread().getName(),
              asked,
              obtained,
              firstStatement,
              System.nanoTime(),
              committed,
              firstSql.length() <= 80 ? firstSql : firstSql.substring(0, 80),
              claim,
              jobRun,
              notifies));
      // The next transaction on this checkout starts now (the engine commits, then goes on).
      asked = System.nanoTime();
      obtained = asked;
      firstStatement = 0;
      firstSql = "";
      claim = false;
      jobRun = false;
      notifies = false;
    }
  }
}
