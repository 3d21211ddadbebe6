package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.DatabaseConfig;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Jobs never run twice (issue 8 §3, §10): claims and lease renewals skip job rows that other
 * transactions hold instead of waiting for them, and two engines (two nodes) on one database that
 * race for the same timer, OVERDUE and RECHECK jobs do each job's work exactly once.
 */
abstract class JobRaceContract {
  /** Runs racing per test; each has a timer job, an OVERDUE job and a RECHECK job every second. */
  private static final int RUNS = 10;

  protected abstract TestDatabase createDatabase();

  /** A second connection pool on the same database for the second node, or the same one (H2). */
  protected abstract DataSource secondNodeDataSource(TestDatabase database);

  // ---- Claims and renewals never wait for a locked job row ----

  @Test
  void claimsAndRenewalsSkipJobRowsOtherTransactionsHold() throws SQLException {
    try (TestDatabase database = createDatabase()) {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      try (Connection setup = database.dataSource().getConnection()) {
        for (String id : List.of("job-1", "job-2", "job-3")) {
          insertDueJob(setup, id, now.minusSeconds(10));
        }
        setup.commit();
      }
      try (Connection holder = database.dataSource().getConnection();
          Connection claimer = database.dataSource().getConnection()) {
        // A transaction that holds job-1's row (a segment committing its end, another claim).
        lock(holder, "job-1");
        long started = System.nanoTime();
        List<String> claimed =
            database
                .dialect()
                .claimDueJobs(claimer, 10, "node-b", "token-b", now.plusSeconds(30), now);
        claimer.commit();
        assertThat(claimed).containsExactlyInAnyOrder("job-2", "job-3");
        // Renewals: the token fences, and a held row is skipped at once.
        lock(holder, "job-2");
        assertThat(renew(database, claimer, "job-2", "token-b", now)).isZero();
        assertThat(renew(database, claimer, "job-3", "stale-token", now)).isZero();
        assertThat(renew(database, claimer, "job-3", "token-b", now)).isEqualTo(1);
        claimer.commit();
        // Nothing else is due and free: job-1 is held, job-2 and job-3 are leased.
        assertThat(
                database
                    .dialect()
                    .claimDueJobs(claimer, 10, "node-c", "token-c", now.plusSeconds(30), now))
            .isEmpty();
        claimer.commit();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        holder.rollback();
      }
    }
  }

  private static void insertDueJob(Connection connection, String id, OffsetDateTime dueAt)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO jobs (id, kind, run_id, step_instance_id, attempt, inputs, interview,"
                + " due_at, lease_owner, lease_token, lease_until, failures, created_at)"
                + " VALUES (?, 'RECHECK', 'run-x', NULL, 0, NULL, NULL, ?, NULL, NULL, NULL, 0, ?)")) {
      insert.setString(1, id);
      insert.setObject(2, dueAt);
      insert.setObject(3, dueAt);
      insert.executeUpdate();
    }
  }

  private static void lock(Connection connection, String jobId) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE jobs SET failures = failures WHERE id = ?")) {
      update.setString(1, jobId);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  private static int renew(
      TestDatabase database, Connection connection, String id, String token, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement renew = connection.prepareStatement(database.dialect().renewLease())) {
      renew.setObject(1, now.plusSeconds(60));
      renew.setString(2, id);
      renew.setString(3, token);
      return renew.executeUpdate();
    }
  }

  // ---- Two nodes racing ----

  @Test
  void twoNodesRacingForTheSameJobsDoEachJobsWorkExactlyOnce() throws Exception {
    try (TestDatabase database = createDatabase()) {
      DataSource second = secondNodeDataSource(database);
      try (EngineHarness nodeA = EngineHarness.start(database);
          OrchestrionEngine nodeB =
              OrchestrionEngine.create(
                      EngineHarness.config(database, true), second, Clock.systemUTC(), List.of())
                  .start()) {
        nodeA.defineExpense();
        nodeA.activateFlows("flow-wait-briefly.json", "flow-log-only.json", "flow-is-large.json");
        nodeA
            .engine()
            .orchestrations()
            .deploy(
                orchestration(
                    """
                    {"apiName": "Raced", "objectType": "Expense", "allowSubmitterApproval": true,
                     "stages": [{"name": "Only", "steps": [
                       {"name": "Timer", "kind": "BACKGROUND", "flow": "Wait_Briefly",
                        "inputs": {"recordId": {"ref": "$Record.Id"}}},
                       {"name": "Quick", "kind": "APPROVAL", "dueIn": "PT1S",
                        "assignee": {"type": "USER", "userId": "admin"}},
                       {"name": "Gated", "kind": "BACKGROUND", "flow": "Log_Only",
                        "start": {"type": "EVALUATION_FLOW", "flow": "Is_Large_Expense",
                                  "inputs": {"amount": {"ref": "$Record.Amount"}},
                                  "recheckEvery": "PT1S"},
                        "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                    """),
                true);
        List<OrchestrionEngine> nodes = List.of(nodeA.engine(), nodeB);
        List<String> recordIds = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
          OrchestrionEngine node = nodes.get(i % 2);
          String recordId =
              node.records()
                  .create(
                      "Expense",
                      Map.of("Title", "Trip " + i, "Amount", new BigDecimal("50")),
                      "admin")
                  .id()
                  .orElseThrow();
          recordIds.add(recordId);
          runIds.add(
              node.submissions()
                  .submit(
                      new SubmitRequest("Expense", recordId, "Raced", Optional.empty()), "admin")
                  .runId());
        }
        // Every work item goes overdue while both nodes poll; rechecks keep coming meanwhile.
        awaitCount(database, "SELECT COUNT(*) FROM events WHERE kind = 'OVERDUE'", RUNS);
        // A change the engine does not see: only the rechecks open the gates.
        try (Connection connection = database.dataSource().getConnection();
            Statement statement = connection.createStatement()) {
          statement.executeUpdate("UPDATE rec_expense SET f_amount = 8000");
          connection.commit();
        }
        List<WorkItemView> items =
            nodeA
                .engine()
                .workItems()
                .inbox("admin", WorkItemStatus.ASSIGNED, Optional.empty(), 100)
                .items();
        assertThat(items).hasSize(RUNS);
        for (int i = 0; i < items.size(); i++) {
          nodes
              .get(i % 2)
              .workItems()
              .decide(items.get(i).id(), Decision.APPROVE, Optional.empty(), "admin");
        }
        for (String runId : runIds) {
          RunView run = nodeA.awaitEnd(runId);
          assertThat(run.status())
              .as("run %s: %s", runId, run.error())
              .isEqualTo(RunStatus.COMPLETED);
        }

        // Exactly one STEP_RESULT per background step attempt, one OVERDUE per work item.
        Map<String, Integer> stepResults =
            counts(
                database,
                "SELECT step_instance_id || '#' || attempt, COUNT(*) FROM events"
                    + " WHERE kind = 'STEP_RESULT' GROUP BY step_instance_id, attempt");
        assertThat(stepResults)
            .hasSize(2 * RUNS)
            .allSatisfy((step, count) -> assertThat(count).isOne());
        Map<String, Integer> overdue =
            counts(
                database,
                "SELECT step_instance_id, COUNT(*) FROM events WHERE kind = 'OVERDUE'"
                    + " GROUP BY step_instance_id");
        assertThat(overdue).hasSize(RUNS).allSatisfy((step, count) -> assertThat(count).isOne());
        assertThat(
                count(
                    database,
                    "SELECT COUNT(*) FROM events WHERE kind = 'STEP_RESULT'"
                        + " AND step_status <> 'COMPLETED'"))
            .isZero();
        assertThat(recordIds).hasSize(RUNS);
      } finally {
        if (second != database.dataSource() && second instanceof HikariDataSource pool) {
          pool.close();
        }
      }
    }
  }

  /** A pool of its own on the database of {@code database}, as a second process would have. */
  static DataSource ownPool(TestDatabase database, String user) {
    return DataSources.create(new DatabaseConfig(database.jdbcUrl(), user, "", 4));
  }

  private static void awaitCount(TestDatabase database, String sql, int expected)
      throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    int count = count(database, sql);
    while (count < expected) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("'" + sql + "' gave " + count + ", not " + expected + " in 30 s");
      }
      Thread.sleep(50);
      count = count(database, sql);
    }
  }

  private static int count(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      int count = rs.getInt(1);
      connection.rollback();
      return count;
    }
  }

  private static Map<String, Integer> counts(TestDatabase database, String sql)
      throws SQLException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
      connection.rollback();
    }
    return counts;
  }
}
