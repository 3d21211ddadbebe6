package io.orchestrion.engine.webhooks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.engine.api.Webhook;
import io.orchestrion.engine.api.WebhookDelivery;
import io.orchestrion.engine.api.WebhookRequest;
import io.orchestrion.engine.persistence.Transaction;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code webhooks} table and the outbox rows as the API shows them. */
public final class WebhookStore {
  /** The columns of {@code webhooks} that {@link #webhook} maps (the secret is never shown). */
  private static final String WEBHOOK_COLUMNS =
      "id, url, kinds, filters, enabled, created_by, created_at, updated_at";

  /** The columns of {@code webhook_deliveries} that {@link #delivery} maps. */
  private static final String DELIVERY_COLUMNS =
      "id, webhook_id, event_sequence, run_id, status, attempts, next_attempt_at, last_error,"
          + " last_status_code, created_at, delivered_at";

  private static final TypeReference<Map<String, String>> FILTERS = new TypeReference<>() {};

  private final ObjectMapper mapper;

  @Inject
  public WebhookStore(ObjectMapper mapper) {
    this.mapper = requireNonNull(mapper, "mapper is null");
  }

  /**
   * Inserts a subscription. It receives the events numbered after {@code fedFrom} (the feed's end
   * when it is created): a new webhook is not sent the past.
   */
  public void insert(
      Transaction tx,
      String id,
      WebhookRequest request,
      String secret,
      String createdBy,
      long fedFrom,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        tx.connection()
            .prepareStatement(
                "INSERT INTO webhooks (id, url, kinds, filters, secret, enabled, fed_sequence,"
                    + " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, request.url());
      insert.setString(3, kinds(request.kinds()));
      insert.setString(4, filters(request));
      insert.setString(5, secret);
      insert.setBoolean(6, request.enabled());
      insert.setLong(7, fedFrom);
      insert.setString(8, createdBy);
      insert.setObject(9, at(now));
      insert.setObject(10, at(now));
      insert.executeUpdate();
    }
  }

  /** Replaces what a subscription receives; an empty secret keeps the current one. */
  public boolean update(Transaction tx, String id, WebhookRequest request, Instant now)
      throws SQLException {
    String sql =
        "UPDATE webhooks SET url = ?, kinds = ?, filters = ?, enabled = ?, updated_at = ?"
            + (request.secret().isPresent() ? ", secret = ?" : "")
            + " WHERE id = ?";
    try (PreparedStatement update = tx.connection().prepareStatement(sql)) {
      int index = 1;
      update.setString(index++, request.url());
      update.setString(index++, kinds(request.kinds()));
      update.setString(index++, filters(request));
      update.setBoolean(index++, request.enabled());
      update.setObject(index++, at(now));
      if (request.secret().isPresent()) {
        update.setString(index++, request.secret().get());
      }
      update.setString(index, id);
      return update.executeUpdate() == 1;
    }
  }

  /** Deletes a subscription and its outbox rows. */
  public boolean delete(Transaction tx, String id) throws SQLException {
    try (PreparedStatement deliveries =
        tx.connection().prepareStatement("DELETE FROM webhook_deliveries WHERE webhook_id = ?")) {
      deliveries.setString(1, id);
      deliveries.executeUpdate();
    }
    try (PreparedStatement webhook =
        tx.connection().prepareStatement("DELETE FROM webhooks WHERE id = ?")) {
      webhook.setString(1, id);
      return webhook.executeUpdate() == 1;
    }
  }

  public Optional<Webhook> find(Transaction tx, String id) throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(webhook(rs)) : Optional.empty();
      }
    }
  }

  /** Subscriptions in id order after {@code afterId}, at most {@code limit}. */
  public List<Webhook> list(Transaction tx, Optional<String> afterId, int limit)
      throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT "
                    + WEBHOOK_COLUMNS
                    + " FROM webhooks WHERE id > ? ORDER BY id FETCH FIRST "
                    + limit
                    + " ROWS ONLY")) {
      select.setString(1, afterId.orElse(""));
      List<Webhook> webhooks = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          webhooks.add(webhook(rs));
        }
      }
      return webhooks;
    }
  }

  /** Outbox rows of a subscription in id order after {@code afterId}, optionally of one status. */
  public List<WebhookDelivery> deliveries(
      Transaction tx, String webhookId, Optional<String> status, long afterId, int limit)
      throws SQLException {
    try (PreparedStatement select =
        tx.connection()
            .prepareStatement(
                "SELECT "
                    + DELIVERY_COLUMNS
                    + " FROM webhook_deliveries WHERE webhook_id = ? AND id > ?"
                    + (status.isPresent() ? " AND status = ?" : "")
                    + " ORDER BY id FETCH FIRST "
                    + limit
                    + " ROWS ONLY")) {
      select.setString(1, webhookId);
      select.setLong(2, afterId);
      if (status.isPresent()) {
        select.setString(3, status.get());
      }
      List<WebhookDelivery> deliveries = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          deliveries.add(delivery(rs));
        }
      }
      return deliveries;
    }
  }

  /**
   * Puts DEAD deliveries of a subscription (one, or all of them) back to PENDING with fresh
   * attempts, due now; returns how many.
   */
  public int redrive(Transaction tx, String webhookId, Optional<Long> deliveryId, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        tx.connection()
            .prepareStatement(
                "UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0,"
                    + " next_attempt_at = ?, lease_owner = NULL, lease_until = NULL,"
                    + " updated_at = ? WHERE webhook_id = ? AND status = 'DEAD'"
                    + (deliveryId.isPresent() ? " AND id = ?" : ""))) {
      update.setObject(1, at(now));
      update.setObject(2, at(now));
      update.setString(3, webhookId);
      if (deliveryId.isPresent()) {
        update.setLong(4, deliveryId.get());
      }
      return update.executeUpdate();
    }
  }

  private Webhook webhook(ResultSet rs) throws SQLException {
    Map<String, String> filters = readFilters(rs.getString("filters"));
    return new Webhook(
        rs.getString("id"),
        rs.getString("url"),
        parseKinds(rs.getString("kinds")),
        Optional.ofNullable(filters.get("objectType")),
        Optional.ofNullable(filters.get("runId")),
        Optional.ofNullable(filters.get("submissionId")),
        rs.getBoolean("enabled"),
        rs.getString("created_by"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }

  private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
    int statusCode = rs.getInt("last_status_code");
    Optional<Integer> lastStatusCode = rs.wasNull() ? Optional.empty() : Optional.of(statusCode);
    OffsetDateTime delivered = rs.getObject("delivered_at", OffsetDateTime.class);
    return new WebhookDelivery(
        rs.getLong("id"),
        rs.getString("webhook_id"),
        rs.getLong("event_sequence"),
        rs.getString("run_id"),
        rs.getString("status"),
        rs.getInt("attempts"),
        rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getString("last_error")),
        lastStatusCode,
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(delivered).map(OffsetDateTime::toInstant));
  }

  static String kinds(Set<EventKind> kinds) {
    return kinds.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
  }

  static Set<EventKind> parseKinds(String text) {
    if (text == null || text.isBlank()) {
      return Set.of();
    }
    EnumSet<EventKind> kinds = EnumSet.noneOf(EventKind.class);
    Arrays.stream(text.split(",")).map(EventKind::valueOf).forEach(kinds::add);
    return kinds;
  }

  private String filters(WebhookRequest request) {
    Map<String, String> filters = new LinkedHashMap<>();
    request.objectType().ifPresent(value -> filters.put("objectType", value));
    request.runId().ifPresent(value -> filters.put("runId", value));
    request.submissionId().ifPresent(value -> filters.put("submissionId", value));
    try {
      return mapper.writeValueAsString(filters);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, String> readFilters(String json) {
    try {
      return json == null ? Map.of() : mapper.readValue(json, FILTERS);
    } catch (JsonProcessingException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR, "stored webhook filters cannot be read: " + e, e);
    }
  }

  static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static void setNullableInt(PreparedStatement statement, int index, Integer value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }
}
