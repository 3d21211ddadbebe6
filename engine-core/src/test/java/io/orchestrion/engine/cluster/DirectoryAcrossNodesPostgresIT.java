package io.orchestrion.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.EngineModule;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.flow.FlowRuntimeModule;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.spi.directory.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The directory index across two nodes on one PostgreSQL (issue 12): a change made on node A is
 * what node B's next transaction decides with, and what B's requests see as soon as the change's
 * notification arrives; while B listens it reads no revision for requests outside transactions, and
 * once its listening connection is lost it reads the revision again for every one.
 */
class DirectoryAcrossNodesPostgresIT {
  private TestDatabase database;
  private HikariDataSource poolB;
  private Node nodeA;
  private Node nodeB;

  private record Node(OrchestrionEngine engine, EngineSecurity security, Database database) {}

  @BeforeEach
  void setUp() {
    database = TestDatabases.postgres();
    poolB = DataSources.create(new DatabaseConfig(database.jdbcUrl(), "postgres", "", 4));
    nodeA = node(database.dataSource(), "node-a");
    nodeB = node(poolB, "node-b");
    awaitTrue("node B listens", () -> nodeB.engine().listening());
  }

  private Node node(javax.sql.DataSource dataSource, String nodeId) {
    EngineConfig config = EngineHarness.config(database, false).withNodeId(nodeId);
    Injector injector =
        OrchestrionEngine.injector(
            List.of(
                new FlowRuntimeModule(config.flowLimits()),
                new EngineModule(config, dataSource, Clock.systemUTC())));
    OrchestrionEngine engine = injector.getInstance(OrchestrionEngine.class).start();
    return new Node(
        engine, injector.getInstance(EngineSecurity.class), injector.getInstance(Database.class));
  }

  @AfterEach
  void tearDown() {
    nodeA.engine().close();
    nodeB.engine().close();
    poolB.close();
    database.close();
  }

  private static User user(String id, boolean active) {
    return new User(
        id, id, "User " + id, Optional.empty(), active, Optional.empty(), Optional.empty(), false);
  }

  @Test
  void aChangeOnNodeAIsWhatNodeBDecidesWithInItsNextTransaction() {
    nodeA.engine().directory().saveUser(user("carol", true));
    assertThat(indexInTransaction(nodeB).user("carol")).map(User::active).contains(true);
    DirectoryIndex before = nodeB.security().index();

    nodeA.engine().directory().saveUser(user("carol", false));

    // No wait at all: B's transaction reads the revision and rebuilds.
    DirectoryIndex inTransaction = indexInTransaction(nodeB);
    assertThat(inTransaction.revision()).isGreaterThan(before.revision());
    assertThat(inTransaction.user("carol")).map(User::active).contains(false);
    // B's requests outside transactions see it once the notification arrived (milliseconds).
    awaitTrue(
        "node B's index drops carol's old entry",
        () -> nodeB.security().index().user("carol").map(User::active).orElse(true) == false);
  }

  @Test
  void whileListeningNodeBReadsNoRevisionOutsideTransactionsAndAfterwardsItDoes()
      throws SQLException {
    DirectoryIndex cached = nodeB.security().index();
    // A change that announces nothing (made behind the engine's back, in SQL): B, trusting its
    // notifications, keeps serving its index from memory; it reads no revision.
    bumpRevisionSilently();
    assertThat(nodeB.security().index()).isSameAs(cached);
    assertThat(indexInTransaction(nodeB).revision()).isEqualTo(cached.revision() + 1);

    // The listening connection is lost: from then on every request reads the revision.
    assertThat(terminateListener("node-b")).isEqualTo(1);
    awaitTrue("node B no longer trusts its index", () -> !nodeB.engine().listening());
    bumpRevisionSilently();
    assertThat(nodeB.security().index().revision()).isEqualTo(cached.revision() + 2);
    // It listens again (and drops what it had: changes were not announced meanwhile).
    awaitTrue("node B listens again", () -> nodeB.engine().listening());
    bumpRevisionSilently();
    DirectoryIndex afterReconnect = nodeB.security().index();
    assertThat(afterReconnect.revision()).isEqualTo(cached.revision() + 3);
    assertThat(nodeB.security().index()).isSameAs(afterReconnect);
  }

  private static DirectoryIndex indexInTransaction(Node node) {
    return node.database().inTransaction(tx -> node.security().index(tx));
  }

  private void bumpRevisionSilently() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE directory_revision SET revision = revision + 1 WHERE id = 1");
      connection.commit();
    }
  }

  private int terminateListener(String nodeId) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'orchestrion listener "
                    + nodeId
                    + "'")) {
      rs.next();
      int terminated = rs.getInt(1);
      connection.commit();
      return terminated;
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not within 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
