package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one embedded PostgreSQL, each with a pool of its own as another process would have,
 * polling only once an hour (issue 12): a flow event published on node A wakes node B, which runs
 * the resumed job at once (LISTEN/NOTIFY), also after B's listening connection was killed; and a
 * version activated on node A is the one node B uses in its next transaction.
 */
class CrossNodePostgresIT {
  private static final Duration NO_POLL = Duration.ofHours(1);

  private TestDatabase database;
  private HikariDataSource poolB;
  private OrchestrionEngine nodeA;
  private OrchestrionEngine nodeB;

  @BeforeEach
  void setUp() {
    database = TestDatabases.postgres();
    poolB = DataSources.create(new DatabaseConfig(database.jdbcUrl(), "postgres", "", 4));
  }

  @AfterEach
  void tearDown() {
    for (OrchestrionEngine node : new OrchestrionEngine[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    poolB.close();
    database.close();
  }

  /** Node A runs no workers: only B can run the resumed jobs, and only a wake-up tells it. */
  private void startNodes(boolean workersOnA) {
    EngineConfig configA =
        EngineHarness.config(database, workersOnA).withPollInterval(NO_POLL).withNodeId("node-a");
    EngineConfig configB =
        EngineHarness.config(database, true).withPollInterval(NO_POLL).withNodeId("node-b");
    nodeA =
        OrchestrionEngine.create(configA, database.dataSource(), Clock.systemUTC(), List.of())
            .start();
    nodeB = OrchestrionEngine.create(configB, poolB, Clock.systemUTC(), List.of()).start();
    awaitTrue("node B listens", () -> nodeB.listening());
  }

  private void deployAudit() {
    nodeA
        .objectTypes()
        .define(
            EngineHarness.read(
                EngineHarness.fixture("expense.object.json"),
                io.orchestrion.api.object.ObjectTypeDefinition.class));
    nodeA.flows().deploy(EngineHarness.flow("flow-await-audit.json"), true);
    nodeA
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Audit", "objectType": "Expense",
                 "stages": [{"name": "Intake", "steps": [
                   {"name": "Await", "kind": "BACKGROUND", "flow": "Await_Audit",
                    "inputs": {"recordId": {"ref": "$Record.Id"}},
                    "start": {"type": "STAGE_STARTS"}}]}]}"""),
            true);
  }

  /** Submits on {@code node}; returns the run id and the record id. */
  private static String[] submit(OrchestrionEngine node, String orchestration) {
    RecordData expense =
        node.records()
            .create(
                "Expense",
                Map.of("Title", "Audit me", "Amount", new BigDecimal("10.00"), "Status", "Draft"),
                "alice");
    SubmissionView submission =
        node.submissions()
            .submit(
                new SubmitRequest(
                    "Expense", expense.id().orElseThrow(), orchestration, Optional.empty()),
                "alice");
    return new String[] {submission.runId(), expense.id().orElseThrow()};
  }

  @Test
  void aFlowEventPublishedOnNodeAMakesNodeBRunTheResumedJobWithoutPolling() throws Exception {
    startNodes(false);
    deployAudit();
    List<Long> handOffMillis = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      if (i == 5) {
        // The listening connection dies (a failover, a proxy's idle timeout): B listens again.
        assertThat(terminateListeners()).isEqualTo(1);
        awaitTrue("node B listens again", () -> nodeB.listening());
      }
      String[] ids = submit(nodeB, "Audit");
      awaitTrue("the interview waits for its event", () -> waits(ids[1]) == 2);

      long published = System.nanoTime();
      int resumed =
          nodeA
              .flowEvents()
              .publish(new FlowEvent("expense.audited", ids[1], Map.of("verdict", "fine")));
      RunView run = awaitEnd(nodeA, ids[0]);
      handOffMillis.add((System.nanoTime() - published) / 1_000_000);

      assertThat(resumed).isEqualTo(1);
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      RunView.Step step = run.stages().getFirst().steps().getFirst();
      assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
      assertThat(step.outputs()).containsEntry("verdict", "fine!");
    }
    // Polling once an hour, every run ended within the await's bound (10 s) only because B was
    // woken; node A ran nothing.
    assertThat(handOffMillis).allMatch(millis -> millis < 10_000);
    assertThat(count("SELECT COUNT(*) FROM jobs")).isZero();
    System.out.println(
        "Cross-node hand-off (publish on A to run ended, seen by A): " + handOffMillis);
  }

  @Test
  void aVersionActivatedOnNodeAIsTheOneNodeBUsesInItsNextTransaction() throws SQLException {
    startNodes(true);
    deployAudit();
    String[] first = submit(nodeB, "Audit");
    assertThat(nodeB.runs().get(first[0]).orchestrationVersion()).isEqualTo(1);
    awaitTrue("the interview waits for its event", () -> waits(first[1]) == 2);
    assertThat(flowVersionOfFirstStep(nodeB, first[0])).isEqualTo(1);

    // Node B has compiled and used version 1 of both. It hears nothing from now on (its listening
    // connection is gone; no cache depends on it anyway), and node A activates version 2 of both.
    assertThat(terminateListeners()).isEqualTo(1);
    nodeA
        .flows()
        .deploy(
            EngineHarness.read(
                EngineHarness.fixture("flow-await-audit.json").replace("\"PT3S\"", "\"PT4S\""),
                io.orchestrion.api.flow.FlowDefinition.class),
            true);
    nodeA
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Audit", "objectType": "Expense", "description": "version 2",
                 "stages": [{"name": "Intake", "steps": [
                   {"name": "Await", "kind": "BACKGROUND", "flow": "Await_Audit",
                    "inputs": {"recordId": {"ref": "$Record.Id"}},
                    "start": {"type": "STAGE_STARTS"}}]}]}"""),
            true);

    String[] second = submit(nodeB, "Audit");

    assertThat(nodeB.runs().get(second[0]).orchestrationVersion()).isEqualTo(2);
    assertThat(flowVersionOfFirstStep(nodeB, second[0])).isEqualTo(2);
    // The run started on version 1 stays on it.
    assertThat(nodeB.runs().get(first[0]).orchestrationVersion()).isEqualTo(1);
  }

  @Test
  void closedNodesLeaveNeitherTheirListenerAndPollerThreadsNorTheListeningConnection()
      throws SQLException {
    java.util.Set<Thread> before = clusterThreads();
    startNodes(true);
    assertThat(clusterThreads()).hasSizeGreaterThanOrEqualTo(before.size() + 4);
    assertThat(listeningConnectionsOfNodeB()).isEqualTo(1);

    nodeA.close();
    nodeB.close();
    nodeA = null;
    nodeB = null;

    assertThat(clusterThreads()).isSubsetOf(before);
    awaitTrue("node B's listening connection is gone", () -> listeningConnectionsOfNodeB() == 0);
  }

  /** The live platform threads each node runs for the cluster: its listener and its poller. */
  private static java.util.Set<Thread> clusterThreads() {
    java.util.Set<Thread> threads = new java.util.HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive()
          && (thread.getName().equals("orchestrion-listener")
              || thread.getName().equals("orchestrion-poller"))) {
        threads.add(thread);
      }
    }
    return threads;
  }

  private int listeningConnectionsOfNodeB() {
    try {
      return count(
          "SELECT COUNT(*) FROM pg_stat_activity"
              + " WHERE application_name = 'orchestrion listener node-b'");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static int flowVersionOfFirstStep(OrchestrionEngine node, String runId) {
    return node.runs()
        .get(runId)
        .stages()
        .getFirst()
        .steps()
        .getFirst()
        .flowVersion()
        .orElseThrow();
  }

  private int terminateListeners() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'orchestrion listener node-b'")) {
      rs.next();
      int terminated = rs.getInt(1);
      connection.commit();
      return terminated;
    }
  }

  private int waits(String correlationKey) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM flow_event_waits WHERE correlation_key = ?")) {
      statement.setString(1, correlationKey);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        int count = rs.getInt(1);
        connection.rollback();
        return count;
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private int count(String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      int count = rs.getInt(1);
      connection.rollback();
      return count;
    }
  }

  private static RunView awaitEnd(OrchestrionEngine node, String runId) {
    Instant deadline = Instant.now().plusSeconds(10);
    RunView run = node.runs().get(runId);
    while (run.status() == RunStatus.IN_PROGRESS) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the run did not end within 10 s (polling is hourly): " + run);
      }
      sleep(2);
      run = node.runs().get(runId);
    }
    return run;
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not within 10 s");
      }
      sleep(5);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
