package io.orchestrion.engine.jobs;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL, listens on {@link WorkSignals#JOBS_CHANNEL} and wakes this node's poller when
 * another node (or this one) commits jobs due now. It holds one dedicated connection of its own,
 * outside the pool, so that listening never takes a connection requests or workers need. A lost
 * connection is opened again with a back-off; meanwhile the poller finds the work at its poll
 * interval, and after each (re)connection the poller is woken once for what was announced while
 * nobody listened.
 */
final class JobNoticeListener {
  private static final Logger log = LoggerFactory.getLogger(JobNoticeListener.class);

  /** How long one wait for notifications blocks before the loop checks whether it should stop. */
  private static final int WAIT_MILLIS = 500;

  /** A connection silent this long is checked with a round trip (a dead peer may never say so). */
  private static final long CHECK_NANOS = Duration.ofSeconds(10).toNanos();

  private static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);

  private final DatabaseConfig database;
  private final WorkSignals signals;
  private final String nodeId;
  private volatile boolean stopping;
  private volatile boolean listening;

  JobNoticeListener(DatabaseConfig database, WorkSignals signals, String nodeId) {
    this.database = requireNonNull(database, "database is null");
    this.signals = requireNonNull(signals, "signals is null");
    this.nodeId = requireNonNull(nodeId, "nodeId is null");
  }

  /** Whether the listening connection is open now (for tests and health). */
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
        if (warned) {
          log.info("Listening for job notifications again; cross-node wake-ups resumed");
        }
        warned = false;
        backOffMillis = 100;
        // Work announced while nobody listened: look for it now rather than at the next poll.
        signals.jobsDue();
        listen(connection);
      } catch (SQLException | RuntimeException e) {
        if (stopping || Thread.currentThread().isInterrupted()) {
          return;
        }
        if (!warned) {
          log.warn(
              "Not listening for job notifications ({}); other nodes' work is found by polling"
                  + " until the connection is back",
              e.toString());
          warned = true;
        }
      } finally {
        listening = false;
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
    properties.setProperty("ApplicationName", "orchestrion listener " + nodeId);
    Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties);
    try {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute("LISTEN " + WorkSignals.JOBS_CHANNEL);
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
        signals.jobsDue();
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
