package io.orchestrion.engine.jobs;

import io.orchestrion.engine.persistence.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A data source that counts the commits and rollbacks made on its connections, per thread (the
 * engine's own loops commit on other threads), as the benchmarks' counting data source does.
 */
final class CommitCounter extends ForwardingDataSource {
  private final Map<Thread, LongAdder> commits = new ConcurrentHashMap<>();
  private final Map<Thread, LongAdder> rollbacks = new ConcurrentHashMap<>();

  CommitCounter(DataSource target) {
    super(target);
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

  @Override
  protected Connection wrap(Connection connection) {
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
}
