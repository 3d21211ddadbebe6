package io.orchestrion.engine.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V18: the identity columns written on every hand-off are cached 1000 at a time on H2 (H2 otherwise
 * rewrites the generator in a commit of its own every 32 values) and left at PostgreSQL's default
 * of 1; on both, ids handed to different connections still increase in insertion order, which the
 * event sequencer's {@code ORDER BY id} relies on.
 */
abstract class IdentityCacheContract {
  static final List<String> HOT_TABLES =
      List.of("events", "audit_entries", "webhook_deliveries", "idempotency_keys");

  private TestDatabase database;

  protected abstract TestDatabaseKind kind();

  /** The identity cache of {@code table}'s id column, as the database reports it. */
  protected abstract long identityCache(Connection connection, String table) throws SQLException;

  /** The cache the migration gives the hot tables on this database. */
  protected abstract long expectedCache();

  @BeforeEach
  void openDatabase() {
    database = TestDatabases.create(kind());
  }

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void theHotTablesIdentitiesAreCachedAsTheDialectSays() throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      for (String table : HOT_TABLES) {
        assertThat(identityCache(connection, table)).as(table).isEqualTo(expectedCache());
      }
    }
  }

  @Test
  void eventIdsIncreaseInInsertionOrderAcrossConnections() throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection first = database.dataSource().getConnection();
        Connection second = database.dataSource().getConnection()) {
      // More than H2's default cache of 32, alternating between the connections.
      for (int i = 0; i < 80; i++) {
        Connection connection = i % 2 == 0 ? first : second;
        ids.add(insertEvent(connection));
        connection.commit();
      }
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
  }

  private static long insertEvent(Connection connection) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO events (event_id, kind, run_id, payload, published_at)"
                + " VALUES (?, 'RUN_STARTED', ?, '{}', ?)",
            new String[] {"id"})) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, UUID.randomUUID().toString());
      insert.setObject(3, OffsetDateTime.now());
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }
}
