package io.orchestrion.server.testing;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Makes a data source slow, as a remote or loaded database is: once {@link #delay(Duration)} is
 * set, every {@code execute*} call of a statement sleeps that long first (so a server can start and
 * migrate at full speed, then serve slowly). The rest passes through to the real pool.
 */
public final class SlowDataSource {
  private volatile Duration delay = Duration.ZERO;

  /** Every statement executed from now on takes {@code newDelay} longer. */
  public void delay(Duration newDelay) {
    this.delay = requireNonNull(newDelay, "newDelay is null");
  }

  /** {@code target}, with the delay of this object added to its statements. */
  public DataSource wrap(DataSource target) {
    requireNonNull(target, "target is null");
    return proxy(
        DataSource.class,
        target,
        (result, method) ->
            result instanceof Connection connection
                ? proxy(Connection.class, connection, statements())
                : result);
  }

  private Wrapping statements() {
    return (result, method) -> {
      if (result instanceof CallableStatement statement) {
        return proxy(CallableStatement.class, statement, delayed());
      }
      if (result instanceof PreparedStatement statement) {
        return proxy(PreparedStatement.class, statement, delayed());
      }
      if (result instanceof Statement statement) {
        return proxy(Statement.class, statement, delayed());
      }
      return result;
    };
  }

  /** A "wrapping" that sleeps before each execute call instead of wrapping its result. */
  private Wrapping delayed() {
    return new Wrapping() {
      @Override
      public Object wrap(Object result, Method method) {
        return result;
      }

      @Override
      public void before(Method method) throws InterruptedException {
        Duration current = delay;
        if (!current.isZero() && method.getName().startsWith("execute")) {
          Thread.sleep(current);
        }
      }
    };
  }

  private interface Wrapping {
    Object wrap(Object result, Method method);

    default void before(Method method) throws InterruptedException {}
  }

  private static <T> T proxy(Class<T> type, T target, Wrapping wrapping) {
    InvocationHandler handler =
        (proxy, method, arguments) -> {
          wrapping.before(method);
          try {
            return wrapping.wrap(method.invoke(target, arguments), method);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(
        Proxy.newProxyInstance(
            SlowDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
