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
 * The directory index across two nodes on one PostgreSQL (issue 12): a change committed on node A
 * is what node B decides with in its next transaction — without waiting for, and without depending
 * on, any notification: a transaction reads the revision each time. Outside a transaction (the
 * server's authentication and permission checks) B sees it within its {@link
 * EngineConfig#directoryTrust()}, A at once (issue 11: no transaction that only reads a revision
 * per request).
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

  private static final Duration TRUST = Duration.ofMillis(500);

  private Node node(javax.sql.DataSource dataSource, String nodeId) {
    EngineConfig config =
        EngineHarness.config(database, false).withNodeId(nodeId).withDirectoryTrust(TRUST);
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
  void aChangeOnNodeAIsWhatNodeBDecidesWithInItsNextTransactionEvenWithoutListening()
      throws SQLException {
    nodeA.engine().directory().saveUser(user("carol", true));
    assertThat(indexInTransaction(nodeB).user("carol")).map(User::active).contains(true);
    DirectoryIndex before = nodeB.security().index();
    assertThat(before.user("carol")).map(User::active).contains(true);
    // B hears nothing from now on: its listening connection is gone (and comes back later).
    assertThat(terminateListener("node-b")).isEqualTo(1);

    nodeA.engine().directory().saveUser(user("carol", false));

    // No wait at all: B's next transaction reads the revision and rebuilds its index...
    DirectoryIndex inTransaction = indexInTransaction(nodeB);
    assertThat(inTransaction.revision()).isGreaterThan(before.revision());
    assertThat(inTransaction.user("carol")).map(User::active).contains(false);
    // ...and that read confirms the index for its next request outside a transaction.
    assertThat(nodeB.security().index().user("carol")).map(User::active).contains(false);
  }

  @Test
  void outsideATransactionTheChangingNodeSeesAChangeAtOnceAndTheOtherWithinItsTrust() {
    nodeA.engine().directory().saveUser(user("erin", true));
    assertThat(indexInTransaction(nodeB).user("erin")).map(User::active).contains(true);
    assertThat(nodeA.security().index().user("erin")).map(User::active).contains(true);
    assertThat(nodeB.security().index().user("erin")).map(User::active).contains(true);

    Instant changed = Instant.now();
    nodeA.engine().directory().saveUser(user("erin", false));

    // A invalidated its index after the commit: its next check reads the revision.
    assertThat(nodeA.security().index().user("erin")).map(User::active).contains(false);
    // B reads the revision again once its last confirmation is older than its trust.
    awaitTrue(
        "node B sees erin inactive outside a transaction",
        () -> nodeB.security().index().user("erin").map(User::active).equals(Optional.of(false)));
    assertThat(Duration.between(changed, Instant.now())).isLessThan(TRUST.plusSeconds(2));
  }

  @Test
  void aChangeNobodyAnnouncedIsSeenByBothNodesAtOnce() throws SQLException {
    nodeA.engine().directory().saveUser(user("dave", true));
    DirectoryIndex cachedA = nodeA.security().index();
    DirectoryIndex cachedB = indexInTransaction(nodeB);
    assertThat(cachedB.user("dave")).map(User::active).contains(true);

    // Behind the engines' backs, in SQL: no node's code ran, no notification was sent.
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE directory_users SET active = FALSE WHERE id = 'dave'");
      statement.executeUpdate("UPDATE directory_revision SET revision = revision + 1 WHERE id = 1");
      connection.commit();
    }

    for (Node node : List.of(nodeA, nodeB)) {
      assertThat(indexInTransaction(node).revision()).isEqualTo(cachedB.revision() + 1);
      assertThat(indexInTransaction(node).user("dave")).map(User::active).contains(false);
      assertThat(node.security().index().user("dave")).map(User::active).contains(false);
    }
    assertThat(nodeA.security().index()).isNotSameAs(cachedA);
  }

  private static DirectoryIndex indexInTransaction(Node node) {
    // The caller's transaction reads the revision: a change is seen at once.
    return node.database().inTransaction(tx -> node.security().index(tx));
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
