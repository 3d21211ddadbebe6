package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Module;
import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.conditions.BuiltInConditionsPlugin;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.flow.BuiltInActionsPlugin;
import io.orchestrion.spi.Action;
import io.orchestrion.spi.ActionDescriptor;
import io.orchestrion.spi.ActionFactory;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.Plugin;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3.4, §9: a segment commits before an action with external side effects; the action is
 * called with no transaction open and no connection held, with an idempotency key that a call
 * repeated after a crash between the commit and the call's result keeps; a new segment applies the
 * outputs. The crash is a lease lost during the call (another node's takeover, as after a kill):
 * the second node calls again with the same key and the first segment's write is not repeated.
 */
class ExternalActionH2Test {
  static final String FLOW =
      """
      {"apiName": "Notify_Owner", "type": "AUTOLAUNCHED",
       "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                     {"name": "expense", "type": "RECORD", "objectType": "Expense"},
                     {"name": "receipt", "type": "TEXT", "output": true}],
       "start": "Get_Expense",
       "elements": [
         {"type": "GetRecords", "name": "Get_Expense", "objectType": "Expense",
          "filters": [{"field": "Id", "operator": "EQUALS", "value": {"ref": "recordId"}}],
          "firstOnly": true, "into": "expense", "next": "Raise"},
         {"type": "Assignment", "name": "Raise",
          "assignments": [{"target": "expense.Amount", "operator": "ADD", "value": {"value": 1}}],
          "next": "Save"},
         {"type": "UpdateRecords", "name": "Save", "record": "expense", "next": "Notify"},
         {"type": "Action", "name": "Notify", "action": "test.notify",
          "inputs": {"to": {"ref": "recordId"}}, "outputs": {"receipt": "receipt"}}]}
      """;

  /** One stage, one background step running {@link #FLOW}. */
  static final String NOTIFY_ONCE =
      """
      {"apiName": "Notify_Once", "objectType": "Expense", "stages": [{"name": "Only",
       "steps": [{"name": "Notify", "kind": "BACKGROUND", "flow": "Notify_Owner",
                  "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
      """;

  /** What the action saw during its calls. */
  private final List<String> keys = new CopyOnWriteArrayList<>();

  private volatile int fewestActiveConnectionsDuringFirstCall = -1;
  private volatile String storedInterviewDuringFirstCall;

  @Test
  void anExternalActionIsCalledOutsideTheTransactionAndAgainWithTheSameKeyAfterACrash()
      throws SQLException {
    try (TestDatabase database = TestDatabases.h2()) {
      HikariDataSource pool = (HikariDataSource) database.dataSource();
      Action action =
          invocation -> {
            keys.add(invocation.idempotencyKey());
            if (keys.size() == 1) {
              fewestActiveConnectionsDuringFirstCall = fewestActiveConnections(pool);
              crashBetweenCommitAndResult(database);
            }
            return Map.of("receipt", "sent to " + invocation.inputs().get("to"));
          };
      String runId;
      String recordId;
      // Node A: only the local hand-off runs jobs (no polling, no lease renewal during the test).
      try (EngineHarness nodeA =
          EngineHarness.start(
              database,
              EngineHarness.config(database, true)
                  .withPollInterval(Duration.ofMinutes(10))
                  .withLeaseDuration(Duration.ofMinutes(1)),
              List.of(plugins(action)))) {
        nodeA.defineExpense();
        nodeA.engine().flows().deploy(EngineHarness.read(FLOW, FlowDefinition.class), true);
        nodeA.engine().orchestrations().deploy(orchestration(NOTIFY_ONCE), true);
        recordId =
            nodeA
                .engine()
                .records()
                .create("Expense", Map.of("Title", "Taxi", "Amount", new BigDecimal("42")), "admin")
                .id()
                .orElseThrow();
        runId =
            nodeA
                .engine()
                .submissions()
                .submit(
                    new SubmitRequest("Expense", recordId, "Notify_Once", Optional.empty()),
                    "admin")
                .runId();
        awaitCalls(1);
      }
      // Node B takes the job over once its lease has expired and calls the action again.
      try (EngineHarness nodeB =
          EngineHarness.start(
              database, EngineHarness.config(database, true), List.of(plugins(action)))) {
        RunView run = nodeB.awaitEnd(runId);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        RunView.Step step = run.stages().getFirst().steps().getFirst();
        assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(step.outputs()).containsEntry("receipt", "sent to " + recordId);
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1)).isEqualTo(keys.get(0)).startsWith(runId + "/" + step.id() + "/1/");
        assertThat(fewestActiveConnectionsDuringFirstCall).isZero();
        assertThat(storedInterviewDuringFirstCall)
            .contains("pendingAction")
            .contains("test.notify");
        // The segment before the call committed once and was not run again.
        assertThat(nodeB.engine().records().get("Expense", recordId).fields().get("Amount"))
            .isEqualTo(new BigDecimal("43.00"));
        assertThat(stepResults(database, runId)).isEqualTo(1);
      }
    }
  }

  /**
   * The fewest connections the pool had checked out while sampling for up to 2 s (stopping at
   * zero): other loops (event numbering) borrow one now and then, but a job that held its
   * transaction open across the call would hold one the whole time.
   */
  private static int fewestActiveConnections(HikariDataSource pool) {
    int fewest = Integer.MAX_VALUE;
    Instant deadline = Instant.now().plusSeconds(2);
    while (fewest > 0 && Instant.now().isBefore(deadline)) {
      fewest = Math.min(fewest, pool.getHikariPoolMXBean().getActiveConnections());
      sleep(5);
    }
    return fewest;
  }

  /**
   * What a node crash between the commit and the call's result leaves: the job with its pending
   * call and a lease that has expired, held by a node that is gone.
   */
  private void crashBetweenCommitAndResult(TestDatabase database) {
    try (Connection outside = DriverManager.getConnection(database.jdbcUrl())) {
      outside.setAutoCommit(true);
      try (PreparedStatement read =
              outside.prepareStatement("SELECT interview FROM jobs WHERE kind = 'FLOW'");
          ResultSet rs = read.executeQuery()) {
        storedInterviewDuringFirstCall = rs.next() ? rs.getString(1) : null;
      }
      try (PreparedStatement steal =
          outside.prepareStatement(
              "UPDATE jobs SET lease_owner = 'crashed-node', lease_token = 'crashed',"
                  + " lease_until = ? WHERE kind = 'FLOW'")) {
        steal.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1));
        assertThat(steal.executeUpdate()).isEqualTo(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static int stepResults(TestDatabase database, String runId) throws SQLException {
    try (Connection outside = DriverManager.getConnection(database.jdbcUrl());
        PreparedStatement count =
            outside.prepareStatement(
                "SELECT COUNT(*) FROM events WHERE run_id = ? AND kind = 'STEP_RESULT'")) {
      count.setString(1, runId);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private void awaitCalls(int calls) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (keys.size() < calls) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the action was not called " + calls + " time(s) in 20 s");
      }
      sleep(20);
    }
  }

  /** The built-in plugins plus plugin {@code test} with the external action {@code test.notify}. */
  static Module plugins(Action notify) {
    ActionFactory factory =
        new ActionFactory() {
          @Override
          public ActionDescriptor descriptor() {
            return new ActionDescriptor(
                "test.notify",
                "Tells someone outside the engine",
                List.of(ActionParameter.required("to", DataType.TEXT)),
                List.of(ActionParameter.required("receipt", DataType.TEXT)),
                true);
          }

          @Override
          public Action create() {
            return notify;
          }
        };
    Plugin plugin =
        new Plugin() {
          @Override
          public String id() {
            return "test";
          }

          @Override
          public List<ActionFactory> getActionFactories() {
            return List.of(factory);
          }
        };
    return binder ->
        binder
            .bind(PluginManager.class)
            .toInstance(
                PluginManager.loadFromClassPath(
                    List.of(new BuiltInConditionsPlugin(), new BuiltInActionsPlugin(), plugin),
                    ExternalActionH2Test.class.getClassLoader()));
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
