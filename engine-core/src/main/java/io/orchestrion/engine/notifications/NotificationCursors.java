package io.orchestrion.engine.notifications;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The listeners' positions in the event feed (table {@code notification_cursors}, V15). Every
 * method is one short transaction of its own. A node {@link #claim claims} a listener with a lease
 * while holding its row lock, so only one node delivers a listener's events at a time; it then
 * {@link #advance advances} the position after each delivered event (renewing the lease) or records
 * a {@link #failed failure} (releasing it). Writes check the lease owner, so a node that lost its
 * lease (it was too slow) changes nothing.
 */
public final class NotificationCursors {
  private final Database database;

  @Inject
  public NotificationCursors(Database database) {
    this.database = requireNonNull(database, "database is null");
  }

  /**
   * A listener's position as claimed.
   *
   * @param deliveredSequence the last event delivered (or skipped as not wanted)
   * @param attempts failed attempts at the next event so far
   * @param feedEnd the feed's last numbered event when the claim was made
   */
  public record Claim(String listenerId, long deliveredSequence, int attempts, long feedEnd) {}

  /**
   * Creates the listener's row if it has none, positioned at the feed's end: a new listener hears
   * the events numbered from then on. Safe to call from several nodes at once.
   */
  public void register(String listenerId, Instant now) {
    try {
      database.inTransaction(
          tx -> {
            if (exists(tx, listenerId)) {
              return null;
            }
            try (PreparedStatement insert =
                tx.connection()
                    .prepareStatement(
                        "INSERT INTO notification_cursors (listener_id, delivered_sequence,"
                            + " attempts, next_attempt_at, updated_at) SELECT ?, last_sequence, 0,"
                            + " ?, ? FROM event_sequencer WHERE id = 1")) {
              insert.setString(1, listenerId);
              JdbcValues.setInstant(insert, 2, now);
              JdbcValues.setInstant(insert, 3, now);
              insert.executeUpdate();
            }
            return null;
          });
    } catch (RuntimeException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      // Another node registered it at the same time.
    }
  }

  /**
   * Leases the listener to {@code owner} until {@code leaseUntil} when it is due (no failure
   * waiting) and nobody else holds a live lease; empty otherwise, also while another node holds the
   * row lock.
   */
  public Optional<Claim> claim(String listenerId, String owner, Instant now, Instant leaseUntil) {
    return database.inTransaction(
        tx -> {
          long delivered;
          int attempts;
          try (PreparedStatement lock =
              tx.connection()
                  .prepareStatement(
                      "SELECT delivered_sequence, attempts, next_attempt_at, lease_owner,"
                          + " lease_until FROM notification_cursors WHERE listener_id = ? FOR"
                          + " UPDATE SKIP LOCKED")) {
            lock.setString(1, listenerId);
            try (ResultSet rs = lock.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              delivered = rs.getLong(1);
              attempts = rs.getInt(2);
              Instant due = JdbcValues.getNullableInstant(rs, 3);
              String holder = rs.getString(4);
              Instant held = JdbcValues.getNullableInstant(rs, 5);
              boolean leasedToOther =
                  holder != null && !holder.equals(owner) && held != null && held.isAfter(now);
              if (leasedToOther || due.isAfter(now)) {
                return Optional.empty();
              }
            }
          }
          long end = feedEnd(tx);
          if (delivered >= end) {
            // Nothing new: no write, the row lock ends with this read.
            return Optional.empty();
          }
          try (PreparedStatement lease =
              tx.connection()
                  .prepareStatement(
                      "UPDATE notification_cursors SET lease_owner = ?, lease_until = ?,"
                          + " updated_at = ? WHERE listener_id = ?")) {
            lease.setString(1, owner);
            JdbcValues.setInstant(lease, 2, leaseUntil);
            JdbcValues.setInstant(lease, 3, now);
            lease.setString(4, listenerId);
            lease.executeUpdate();
          }
          return Optional.of(new Claim(listenerId, delivered, attempts, end));
        });
  }

  /**
   * Moves the position to {@code sequence} (an event delivered, or the end of a stretch with no
   * wanted event), clears the failures and renews the lease, or releases it when {@code leaseUntil}
   * is empty. Returns false when {@code owner} no longer holds the lease: it must stop.
   */
  public boolean advance(
      String listenerId, String owner, long sequence, Optional<Instant> leaseUntil, Instant now) {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement update =
              tx.connection()
                  .prepareStatement(
                      "UPDATE notification_cursors SET delivered_sequence = ?, attempts = 0,"
                          + " last_error = NULL, next_attempt_at = ?, lease_owner = ?,"
                          + " lease_until = ?, updated_at = ? WHERE listener_id = ? AND"
                          + " lease_owner = ? AND delivered_sequence <= ?")) {
            update.setLong(1, sequence);
            JdbcValues.setInstant(update, 2, now);
            update.setString(3, leaseUntil.isPresent() ? owner : null);
            JdbcValues.setInstant(update, 4, leaseUntil);
            JdbcValues.setInstant(update, 5, now);
            update.setString(6, listenerId);
            update.setString(7, owner);
            update.setLong(8, sequence);
            return update.executeUpdate() == 1;
          }
        });
  }

  /**
   * Records a failed attempt at the event after the position: the next one is due at {@code
   * retryAt}; the lease is released.
   */
  public void failed(
      String listenerId, String owner, int attempts, String error, Instant retryAt, Instant now) {
    database.inTransaction(
        tx -> {
          try (PreparedStatement update =
              tx.connection()
                  .prepareStatement(
                      "UPDATE notification_cursors SET attempts = ?, last_error = ?,"
                          + " next_attempt_at = ?, lease_owner = NULL, lease_until = NULL,"
                          + " updated_at = ? WHERE listener_id = ? AND lease_owner = ?")) {
            update.setInt(1, attempts);
            update.setString(2, truncate(error));
            JdbcValues.setInstant(update, 3, retryAt);
            JdbcValues.setInstant(update, 4, now);
            update.setString(5, listenerId);
            update.setString(6, owner);
            update.executeUpdate();
          }
          return null;
        });
  }

  /** Gives the lease up without moving the position (the node stops). */
  public void release(String listenerId, String owner, Instant now) {
    database.inTransaction(
        tx -> {
          try (PreparedStatement update =
              tx.connection()
                  .prepareStatement(
                      "UPDATE notification_cursors SET lease_owner = NULL, lease_until = NULL,"
                          + " updated_at = ? WHERE listener_id = ? AND lease_owner = ?")) {
            JdbcValues.setInstant(update, 1, now);
            update.setString(2, listenerId);
            update.setString(3, owner);
            update.executeUpdate();
          }
          return null;
        });
  }

  /** A listener's row as stored, for tests and operators. */
  public record State(long deliveredSequence, int attempts, Optional<String> lastError) {}

  public Optional<State> state(String listenerId) {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement select =
              tx.connection()
                  .prepareStatement(
                      "SELECT delivered_sequence, attempts, last_error FROM notification_cursors"
                          + " WHERE listener_id = ?")) {
            select.setString(1, listenerId);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new State(rs.getLong(1), rs.getInt(2), Optional.ofNullable(rs.getString(3))))
                  : Optional.<State>empty();
            }
          }
        });
  }

  private static boolean exists(Transaction tx, String listenerId) throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement("SELECT 1 FROM notification_cursors WHERE listener_id = ?")) {
      select.setString(1, listenerId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static long feedEnd(Transaction tx) throws SQLException {
    try (PreparedStatement last =
            tx.connection()
                .prepareStatement("SELECT last_sequence FROM event_sequencer WHERE id = 1");
        ResultSet rs = last.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean isUniqueViolation(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && JdbcValues.isUniqueViolation(sql)) {
        return true;
      }
    }
    return false;
  }

  private static String truncate(String message) {
    return message.length() <= 4000 ? message : message.substring(0, 3997) + "...";
  }
}
