package io.orchestrion.engine.cluster;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.DatabaseConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL notification channels over one dedicated connection of its own, outside the
 * pool, so that listening never takes a connection requests or workers need, and runs each
 * channel's action when a notification arrives. A lost connection is opened again with a back-off;
 * {@code listening} learns when notifications are heard and when they may be missed.
 */
final class NoticeListener {
  private static final Logger log = LoggerFactory.getLogger(NoticeListener.class);

  /** How long one wait for notifications blocks before the loop checks whether it should stop. */
  private static final int WAIT_MILLIS = 500;

  /** A connection silent this long is checked with a round trip (a dead peer may never say so). */
  private static final long CHECK_NANOS = Duration.ofSeconds(5).toNanos();

  private static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);

  /** Told true once every channel is listened to, false as soon as the connection is lost. */
  interface ListeningState {
    void listening(boolean listening);
  }

  private final DatabaseConfig database;
  private final Map<String, Runnable> channels;
  private final ListeningState state;
  private final String applicationName;
  private volatile boolean stopping;
  private volatile boolean listening;
  // The open listening connection, for stop().
  private volatile Connection connection;

  NoticeListener(
      DatabaseConfig database,
      Map<String, Runnable> channels,
      ListeningState state,
      String applicationName) {
    this.database = requireNonNull(database, "database is null");
    this.channels = Map.copyOf(channels);
    this.state = requireNonNull(state, "state is null");
    this.applicationName = requireNonNull(applicationName, "applicationName is null");
  }

  boolean isListening() {
    return listening;
  }

  /**
   * Stops listening: the loop ends, and the connection is aborted, which ends a wait for
   * notifications at once (a platform thread blocked in a socket read does not see an interrupt).
   */
  void stop() {
    stopping = true;
    Connection current = connection;
    if (current != null) {
      try {
        current.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        log.debug("Aborting the listening connection failed: {}", e.toString());
      }
    }
  }

  /** Listens until {@link #stop()} or an interrupt; run on a thread of its own. */
  void run() {
    long backOffMillis = 100;
    boolean warned = false;
    while (!stopping && !Thread.currentThread().isInterrupted()) {
      try (Connection opened = open()) {
        connection = opened;
        if (stopping) {
          return;
        }
        listening = true;
        state.listening(true);
        if (warned) {
          log.info("Listening for other nodes' notifications again");
        }
        warned = false;
        backOffMillis = 100;
        listen(opened);
      } catch (SQLException | RuntimeException e) {
        if (stopping || Thread.currentThread().isInterrupted()) {
          return;
        }
        if (!warned) {
          log.warn(
              "Not listening for other nodes' notifications ({}): their work is found by polling"
                  + " until the connection is back",
              e.toString());
          warned = true;
        }
      } finally {
        connection = null;
        if (listening) {
          listening = false;
          state.listening(false);
        }
      }
      try {
        Thread.sleep(backOffMillis);
      } catch (InterruptedException e) {
        return;
      }
      backOffMillis = Math.min(backOffMillis * 2, MAX_BACK_OFF.toMillis());
    }
  }

  private Connection open() throws SQLException {
    Properties properties = new Properties();
    if (!database.username().isEmpty()) {
      properties.setProperty("user", database.username());
    }
    if (!database.password().isEmpty()) {
      properties.setProperty("password", database.password());
    }
    properties.setProperty("ApplicationName", applicationName);
    Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties);
    try {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        for (String channel : channels.keySet()) {
          statement.execute("LISTEN " + channel);
        }
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private void listen(Connection connection) throws SQLException {
    Notifications postgres = Notifications.of(connection);
    long lastHeard = System.nanoTime();
    while (!stopping) {
      List<String> heard = postgres.await(WAIT_MILLIS);
      if (!heard.isEmpty()) {
        for (String channel : heard) {
          Runnable action = channels.get(channel);
          if (action != null) {
            action.run();
          }
        }
        lastHeard = System.nanoTime();
      } else if (System.nanoTime() - lastHeard > CHECK_NANOS) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT 1");
        }
        lastHeard = System.nanoTime();
      }
    }
  }

  /**
   * PgJDBC's notification API ({@code PGConnection.getNotifications(int)}), reached through the
   * connection's own class loader: engine-core ships no JDBC driver and does not compile against
   * one; the application that runs on PostgreSQL brings PgJDBC.
   */
  private record Notifications(Object connection, Method getNotifications, Method getName) {
    static Notifications of(Connection connection) throws SQLException {
      try {
        ClassLoader loader = connection.getClass().getClassLoader();
        Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", false, loader);
        Class<?> pgNotification = Class.forName("org.postgresql.PGNotification", false, loader);
        return new Notifications(
            connection.unwrap(pgConnection),
            pgConnection.getMethod("getNotifications", int.class),
            pgNotification.getMethod("getName"));
      } catch (ClassNotFoundException | NoSuchMethodException e) {
        throw new SQLException(
            "the PostgreSQL connection is not PgJDBC's: cannot listen for notifications", e);
      }
    }

    /** The channels of the notifications that arrive within {@code millis}; empty if none. */
    List<String> await(int millis) throws SQLException {
      try {
        Object[] notifications = (Object[]) getNotifications.invoke(connection, millis);
        if (notifications == null || notifications.length == 0) {
          return List.of();
        }
        List<String> channels = new ArrayList<>(notifications.length);
        for (Object notification : notifications) {
          channels.add((String) getName.invoke(notification));
        }
        return channels;
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw new SQLException("waiting for notifications failed: " + e.getCause(), e.getCause());
      } catch (IllegalAccessException e) {
        throw new SQLException("cannot call PgJDBC's getNotifications", e);
      }
    }
  }
}
