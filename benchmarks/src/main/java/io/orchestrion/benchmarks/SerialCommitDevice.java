package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A data source whose commits all go through one emulated storage device that writes one commit at
 * a time and takes {@code flush} for each (a disk that must flush every commit before the next,
 * with no group commit of its own): a commit holds the device while the database commits and for
 * {@code flush} after, and returns only then. So the same-run INSERT+COMMIT baseline, which runs on
 * this data source too, is bounded by about one commit per {@code flush}, and so is the engine's
 * commit rate: the setting in which issue #11 asks group commit to lift throughput above the
 * baseline's commits/s ÷ 4. Rollbacks do not use the device. Benchmark-only.
 */
final class SerialCommitDevice extends ForwardingDataSource {
  private final EmulatedDevice device;

  SerialCommitDevice(DataSource delegate, Duration flush) {
    super(delegate);
    requireNonNull(flush, "flush is null");
    this.device = new EmulatedDevice(flush);
  }

  @Override
  protected Connection wrap(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit") && method.getParameterCount() == 0) {
                commit(connection);
                return null;
              }
              return invoke(connection, method, args);
            });
  }

  private void commit(Connection connection) throws SQLException {
    device.use(
        () -> {
          connection.commit();
          return null;
        });
  }

  private static Object invoke(Connection connection, Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(connection, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
