package io.orchestrion.engine.cluster;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
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

  void stop() {
    stopping = true;
  }

  /** Listens until {@link #stop()} or an interrupt; run on a thread of its own. */
  void run() {
    long backOffMillis = 100;
    boolean warned = false;
    while (!stopping && !Thread.currentThread().isInterrupted()) {
      try (Connection connection = open()) {
        listening = true;
        state.listening(true);
        if (warned) {
          log.info("Listening for other nodes' notifications again");
        }
        warned = false;
        backOffMillis = 100;
        listen(connection);
      } catch (SQLException | RuntimeException e) {
        if (stopping || Thread.currentThread().isInterrupted()) {
          return;
        }
        if (!warned) {
          log.warn(
              "Not listening for other nodes' notifications ({}): their work is found by polling"
                  + " and the directory's revision is read per request until the connection is"
                  + " back",
              e.toString());
          warned = true;
        }
      } finally {
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
    PGConnection postgres = connection.unwrap(PGConnection.class);
    long lastHeard = System.nanoTime();
    while (!stopping) {
      PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
      if (notifications != null && notifications.length > 0) {
        for (PGNotification notification : notifications) {
          Runnable action = channels.get(notification.getName());
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
}
