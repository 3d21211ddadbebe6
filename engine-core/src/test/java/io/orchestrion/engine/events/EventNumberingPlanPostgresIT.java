package io.orchestrion.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plan of the statement that numbers a node's fallbacks ({@link Dialect#numberListedEvents}),
 * on a table where most events are numbered: it must find the listed events by their ids. Through
 * the index on {@code sequence} it would walk the entry of every event numbered since the last
 * vacuum, a cost that grows with the rate of hand-offs (issue #11).
 */
class EventNumberingPlanPostgresIT {
  private TestDatabase testDatabase;
  private Database database;

  @BeforeEach
  void fillEvents() {
    testDatabase = TestDatabases.postgres();
    database = testDatabase.database();
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute(
                "INSERT INTO events (event_id, sequence, kind, run_id, payload, published_at)"
                    + " SELECT 'numbered-' || g, g, 'MANUAL', 'run-1', '{}', now()"
                    + " FROM generate_series(1, 20000) g");
            statement.execute(
                "INSERT INTO events (event_id, sequence, kind, run_id, payload, published_at)"
                    + " SELECT 'fallback-' || g, NULL, 'MANUAL', 'run-1', '{}', now()"
                    + " FROM generate_series(1, 20) g");
          }
          return null;
        });
    database.inTransaction(
        tx -> {
          try (Statement statement = tx.connection().createStatement()) {
            statement.execute("ANALYZE events");
          }
          return null;
        });
  }

  @AfterEach
  void close() {
    testDatabase.close();
  }

  @Test
  void theListedFallbacksAreFoundByTheirIdsNotThroughTheUnnumberedSequences() {
    String plan =
        database.inTransaction(
            tx -> {
              try (PreparedStatement explain =
                  tx.connection()
                      .prepareStatement("EXPLAIN " + tx.dialect().numberListedEvents())) {
                explain.setLong(1, 20_000);
                explain.setArray(
                    2,
                    tx.connection()
                        .createArrayOf("VARCHAR", new Object[] {"fallback-1", "fallback-2"}));
                StringBuilder text = new StringBuilder();
                try (ResultSet rs = explain.executeQuery()) {
                  while (rs.next()) {
                    text.append(rs.getString(1)).append('\n');
                  }
                }
                return text.toString();
              }
            });
    assertThat(plan).contains("events_event_id").doesNotContain("events_sequence");
  }
}
