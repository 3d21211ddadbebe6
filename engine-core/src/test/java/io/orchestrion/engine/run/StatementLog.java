package io.orchestrion.engine.run;

import io.orchestrion.engine.persistence.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Logs the SQL prepared on the test's own thread between {@link #start} and {@link #stop},
 * lower-cased (the engine's background loops are left out).
 */
final class StatementLog extends ForwardingDataSource {
  private final Map<Thread, List<String>> logs = new ConcurrentHashMap<>();

  StatementLog(DataSource target) {
    super(target);
  }

  void start() {
    logs.put(Thread.currentThread(), Collections.synchronizedList(new ArrayList<>()));
  }

  List<String> stop() {
    List<String> log = logs.remove(Thread.currentThread());
    return log == null ? List.of() : List.copyOf(log);
  }

  @Override
  protected Connection wrap(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().startsWith("prepare") && args != null && args.length > 0) {
                List<String> log = logs.get(Thread.currentThread());
                if (log != null) {
                  log.add(String.valueOf(args[0]).toLowerCase(Locale.ROOT));
                }
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
