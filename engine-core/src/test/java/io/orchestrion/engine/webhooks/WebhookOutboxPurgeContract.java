package io.orchestrion.engine.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.flow.json.OrchestrionJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook outbox keeps delivered rows only for their retention: {@link
 * WebhookOutbox#purgeDelivered} deletes DELIVERED rows delivered at or before the cut-off, in
 * batches, and never a PENDING or DEAD row.
 */
abstract class WebhookOutboxPurgeContract {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  private TestDatabase database;
  private WebhookOutbox outbox;
  private long sequence;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
    var mapper = OrchestrionJson.newObjectMapper();
    outbox = new WebhookOutbox(database.database(), mapper, new WebhookStore(mapper));
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  @Test
  void deletesOnlyDeliveredRowsPastTheCutOff() {
    insert("DELIVERED", NOW.minus(Duration.ofDays(8)));
    insert("DELIVERED", NOW.minus(Duration.ofDays(7)));
    insert("DELIVERED", NOW.minus(Duration.ofDays(6)));
    insert("PENDING", null);
    insert("DEAD", null);

    int purged = outbox.purgeDelivered(NOW.minus(Duration.ofDays(7)));

    assertThat(purged).isEqualTo(2);
    assertThat(remaining())
        .containsExactly("DELIVERED " + NOW.minus(Duration.ofDays(6)), "PENDING", "DEAD");
    assertThat(outbox.purgeDelivered(NOW.minus(Duration.ofDays(7)))).isZero();
  }

  @Test
  void purgesInBatchesSoThatOneTransactionStaysShort() {
    for (int i = 0; i < WebhookOutbox.PURGE_BATCH + 5; i++) {
      insert("DELIVERED", NOW.minus(Duration.ofDays(30)));
    }

    assertThat(outbox.purgeDelivered(NOW)).isEqualTo(WebhookOutbox.PURGE_BATCH);
    assertThat(outbox.purgeDelivered(NOW)).isEqualTo(5);
    assertThat(remaining()).isEmpty();
  }

  private void insert(String status, Instant deliveredAt) {
    long eventSequence = ++sequence;
    database
        .database()
        .inTransaction(
            tx -> {
              try (PreparedStatement insert =
                  tx.connection()
                      .prepareStatement(
                          "INSERT INTO webhook_deliveries (webhook_id, event_sequence, run_id,"
                              + " status, attempts, next_attempt_at, created_at, updated_at,"
                              + " delivered_at) VALUES ('w1', ?, 'r1', ?, 1, ?, ?, ?, ?)")) {
                insert.setLong(1, eventSequence);
                insert.setString(2, status);
                JdbcValues.setInstant(insert, 3, NOW);
                JdbcValues.setInstant(insert, 4, NOW);
                JdbcValues.setInstant(insert, 5, NOW);
                if (deliveredAt == null) {
                  insert.setNull(6, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                  JdbcValues.setInstant(insert, 6, deliveredAt);
                }
                insert.executeUpdate();
              }
              return null;
            });
  }

  private List<String> remaining() {
    return database
        .database()
        .inTransaction(
            tx -> {
              List<String> rows = new ArrayList<>();
              try (PreparedStatement select =
                      tx.connection()
                          .prepareStatement(
                              "SELECT status, delivered_at FROM webhook_deliveries ORDER BY id");
                  ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                  Instant delivered = JdbcValues.getNullableInstant(rs, "delivered_at");
                  rows.add(rs.getString(1) + (delivered == null ? "" : " " + delivered));
                }
              }
              return rows;
            });
  }
}
