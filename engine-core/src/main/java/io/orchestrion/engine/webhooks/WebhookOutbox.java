package io.orchestrion.engine.webhooks;

import static io.orchestrion.engine.webhooks.WebhookStore.at;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.events.StoredEvents;
import io.orchestrion.engine.persistence.Database;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook outbox. {@link #fanOut} puts the feed's new events into it, one row per matching
 * subscription and event, in a transaction that holds the subscription's row lock (skipped, not
 * waited for, by another node doing the same), so an event goes in once. {@link #claim} leases due
 * rows with {@code FOR UPDATE SKIP LOCKED}; a row is due only when no earlier row of the same run
 * and subscription is still PENDING, so a run's events go out one at a time, in sequence order,
 * also while one is being retried. A DEAD row no longer holds the run's later rows back.
 */
public final class WebhookOutbox {
  static final int FAN_OUT_BATCH = 1000;

  private final Database database;
  private final ObjectMapper mapper;
  private final WebhookStore store;

  @Inject
  public WebhookOutbox(Database database, ObjectMapper mapper, WebhookStore store) {
    this.database = requireNonNull(database, "database is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.store = requireNonNull(store, "store is null");
  }

  /** A leased delivery with what sending it needs. */
  public record Claimed(
      long deliveryId,
      String webhookId,
      String url,
      String secret,
      int attempts,
      OrchestrationEvent event,
      String body) {}

  /** Fans the feed's numbered events out to every enabled subscription; returns rows added. */
  public int fanOut(Instant now) {
    List<String> ids =
        database.inTransaction(
            tx -> {
              List<String> found = new ArrayList<>();
              try (PreparedStatement select =
                      tx.connection()
                          .prepareStatement(
                              "SELECT id FROM webhooks WHERE enabled = TRUE AND fed_sequence <"
                                  + " (SELECT last_sequence FROM event_sequencer WHERE id = 1)");
                  ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                  found.add(rs.getString(1));
                }
              }
              return found;
            });
    int added = 0;
    for (String id : ids) {
      added += fanOut(id, now);
    }
    return added;
  }

  private int fanOut(String webhookId, Instant now) {
    return database.inTransaction(
        tx -> {
          long fed;
          String kinds;
          String filters;
          try (PreparedStatement lock =
              tx.connection()
                  .prepareStatement(
                      "SELECT fed_sequence, kinds, filters FROM webhooks WHERE id = ? AND enabled"
                          + " = TRUE FOR UPDATE SKIP LOCKED")) {
            lock.setString(1, webhookId);
            try (ResultSet rs = lock.executeQuery()) {
              if (!rs.next()) {
                return 0;
              }
              fed = rs.getLong(1);
              kinds = rs.getString(2);
              filters = rs.getString(3);
            }
          }
          long upTo;
          try (PreparedStatement last =
                  tx.connection()
                      .prepareStatement("SELECT last_sequence FROM event_sequencer WHERE id = 1");
              ResultSet rs = last.executeQuery()) {
            rs.next();
            upTo = Math.min(rs.getLong(1), fed + FAN_OUT_BATCH);
          }
          if (upTo <= fed) {
            return 0;
          }
          Set<EventKind> kindSet = WebhookStore.parseKinds(kinds);
          Map<String, String> filter = store.readFilters(filters);
          StringBuilder sql =
              new StringBuilder(
                  "INSERT INTO webhook_deliveries (webhook_id, event_sequence, run_id, status,"
                      + " attempts, next_attempt_at, created_at, updated_at) SELECT ?, sequence,"
                      + " run_id, 'PENDING', 0, ?, ?, ? FROM events WHERE sequence > ? AND"
                      + " sequence <= ?");
          if (!kindSet.isEmpty()) {
            sql.append(" AND kind IN (")
                .append(String.join(", ", java.util.Collections.nCopies(kindSet.size(), "?")))
                .append(")");
          }
          List<String> values = new ArrayList<>();
          for (String[] column :
              new String[][] {
                {"objectType", "object_type"},
                {"runId", "run_id"},
                {"submissionId", "submission_id"}
              }) {
            String value = filter.get(column[0]);
            if (value != null) {
              sql.append(" AND ").append(column[1]).append(" = ?");
              values.add(value);
            }
          }
          int inserted;
          try (PreparedStatement insert = tx.connection().prepareStatement(sql.toString())) {
            int index = 1;
            insert.setString(index++, webhookId);
            insert.setObject(index++, at(now));
            insert.setObject(index++, at(now));
            insert.setObject(index++, at(now));
            insert.setLong(index++, fed);
            insert.setLong(index++, upTo);
            for (EventKind kind : kindSet) {
              insert.setString(index++, kind.name());
            }
            for (String value : values) {
              insert.setString(index++, value);
            }
            inserted = insert.executeUpdate();
          }
          try (PreparedStatement advance =
              tx.connection()
                  .prepareStatement("UPDATE webhooks SET fed_sequence = ? WHERE id = ?")) {
            advance.setLong(1, upTo);
            advance.setString(2, webhookId);
            advance.executeUpdate();
          }
          return inserted;
        });
  }

  /** Leases up to {@code limit} due deliveries to {@code owner} until {@code leaseUntil}. */
  public List<Claimed> claim(String owner, int limit, Instant now, Instant leaseUntil) {
    return database.inTransaction(
        tx -> {
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement select =
              tx.connection()
                  .prepareStatement(
                      "SELECT d.id FROM webhook_deliveries d WHERE d.status = 'PENDING' AND"
                          + " d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <"
                          + " ?) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE"
                          + " e.webhook_id = d.webhook_id AND e.run_id = d.run_id AND e.status ="
                          + " 'PENDING' AND e.event_sequence < d.event_sequence) ORDER BY d.id"
                          + " FETCH FIRST "
                          + limit
                          + " ROWS ONLY FOR UPDATE SKIP LOCKED")) {
            select.setObject(1, at(now));
            select.setObject(2, at(now));
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
          }
          List<Claimed> claimed = new ArrayList<>();
          for (long id : ids) {
            try (PreparedStatement lease =
                tx.connection()
                    .prepareStatement(
                        "UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE id ="
                            + " ?")) {
              lease.setString(1, owner);
              lease.setObject(2, at(leaseUntil));
              lease.setLong(3, id);
              lease.executeUpdate();
            }
            try (PreparedStatement read =
                tx.connection()
                    .prepareStatement(
                        "SELECT d.attempts, w.id AS webhook_id, w.url, w.secret, "
                            + StoredEvents.qualified("e")
                            + " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN"
                            + " events e ON e.sequence = d.event_sequence WHERE d.id = ?")) {
              read.setLong(1, id);
              try (ResultSet rs = read.executeQuery()) {
                if (rs.next()) {
                  OrchestrationEvent event = StoredEvents.read(rs, mapper);
                  claimed.add(
                      new Claimed(
                          id,
                          rs.getString("webhook_id"),
                          rs.getString("url"),
                          rs.getString("secret"),
                          rs.getInt("attempts"),
                          event,
                          json(event)));
                }
              }
            }
          }
          return claimed;
        });
  }

  /** Rows one purge deletes at most, so that it stays a short transaction. */
  static final int PURGE_BATCH = 1000;

  /**
   * Deletes up to {@value #PURGE_BATCH} DELIVERED rows delivered at or before {@code cutoff};
   * returns how many. PENDING and DEAD rows are never purged.
   */
  public int purgeDelivered(Instant cutoff) {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement delete =
              tx.connection()
                  .prepareStatement(
                      "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM"
                          + " webhook_deliveries WHERE status = 'DELIVERED' AND delivered_at <= ?"
                          + " ORDER BY id FETCH FIRST "
                          + PURGE_BATCH
                          + " ROWS ONLY)")) {
            delete.setObject(1, at(cutoff));
            return delete.executeUpdate();
          }
        });
  }

  /** The receiver answered 2xx. */
  public void delivered(Claimed delivery, int statusCode, Instant now) {
    update(delivery, "DELIVERED", statusCode, null, now, now, now);
  }

  /**
   * The attempt failed: the row waits {@code retryAt}, or is DEAD when no attempt is left ({@code
   * retryAt} empty).
   */
  public void failed(
      Claimed delivery,
      Optional<Integer> statusCode,
      String error,
      Optional<Instant> retryAt,
      Instant now) {
    update(
        delivery,
        retryAt.isPresent() ? "PENDING" : "DEAD",
        statusCode.orElse(null),
        error,
        retryAt.orElse(now),
        null,
        now);
  }

  private void update(
      Claimed delivery,
      String status,
      Integer statusCode,
      String error,
      Instant nextAttemptAt,
      Instant deliveredAt,
      Instant now) {
    database.inTransaction(
        tx -> {
          try (PreparedStatement update =
              tx.connection()
                  .prepareStatement(
                      "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1,"
                          + " last_status_code = ?, last_error = ?, next_attempt_at = ?,"
                          + " delivered_at = ?, lease_owner = NULL, lease_until = NULL,"
                          + " updated_at = ? WHERE id = ? AND status = 'PENDING'")) {
            update.setString(1, status);
            WebhookStore.setNullableInt(update, 2, statusCode);
            if (error == null) {
              update.setNull(3, Types.VARCHAR);
            } else {
              update.setString(3, truncate(error));
            }
            update.setObject(4, at(nextAttemptAt));
            if (deliveredAt == null) {
              update.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
              update.setObject(5, at(deliveredAt));
            }
            update.setObject(6, at(now));
            update.setLong(7, delivery.deliveryId());
            update.executeUpdate();
          }
          return null;
        });
  }

  private String json(OrchestrationEvent event) {
    try {
      return mapper.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  private static String truncate(String message) {
    return message.length() <= 4000 ? message : message.substring(0, 3997) + "...";
  }
}
