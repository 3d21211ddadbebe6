package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunView;
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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 §3: a database failure inside a step is not the flow's failure. It never takes a fault
 * connector and never becomes a step ERROR: an asynchronous step's job is retried (its transaction
 * rolled back as a whole), a synchronous step's caller gets the error with nothing committed.
 */
class DatabaseFailuresH2Test {
  private static final String RAISE =
      """
      {"apiName": "%s", "type": "AUTOLAUNCHED",
       "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                     {"name": "expense", "type": "RECORD", "objectType": "Expense"},
                     {"name": "problem", "type": "TEXT", "output": true}],
       "start": "%s",
       "elements": [
         %s
         {"type": "GetRecords", "name": "Get_Expense", "objectType": "Expense",
          "filters": [{"field": "Id", "operator": "EQUALS", "value": {"ref": "recordId"}}],
          "firstOnly": true, "into": "expense", "next": "Raise"},
         {"type": "Assignment", "name": "Raise",
          "assignments": [{"target": "expense.Amount", "operator": "ADD", "value": {"value": 1}}],
          "next": "Save"},
         {"type": "UpdateRecords", "name": "Save", "record": "expense", "faultNext": "Note"},
         {"type": "Assignment", "name": "Note",
          "assignments": [{"target": "problem", "value": {"ref": "$Flow.FaultMessage"}}]}]}
      """;

  private static final String SAY =
      """
      {"type": "Action", "name": "Say", "action": "log",
       "inputs": {"message": {"ref": "recordId"}}, "next": "Get_Expense"},""";

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  @BeforeEach
  void setUp() throws SQLException {
    database = TestDatabases.h2();
    harness = EngineHarness.start(database);
    engine = harness.engine();
    harness.defineExpense();
    // Async: the log action first. Sync: the same elements from Get_Expense on.
    engine
        .flows()
        .deploy(
            EngineHarness.read(RAISE.formatted("Raise_Async", "Say", SAY), FlowDefinition.class),
            true);
    engine
        .flows()
        .deploy(
            EngineHarness.read(
                RAISE.formatted("Raise_Sync", "Get_Expense", ""), FlowDefinition.class),
            true);
    for (String mode : new String[] {"Async", "Sync"}) {
      engine
          .orchestrations()
          .deploy(
              orchestration(
                  """
                  {"apiName": "Raise_%s", "objectType": "Expense", "stages": [{"name": "Only",
                   "steps": [{"name": "Raise", "kind": "BACKGROUND", "flow": "Raise_%s",
                              "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                  """
                      .formatted(mode, mode)),
              true);
    }
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TRIGGER fail_expense_updates BEFORE UPDATE ON rec_expense FOR EACH ROW CALL '"
              + FailingUpdateTrigger.class.getName()
              + "'");
      connection.commit();
    }
  }

  @AfterEach
  void tearDown() {
    FailingUpdateTrigger.arm(0, "40001");
    harness.close();
    database.close();
  }

  private String expense() {
    return engine
        .records()
        .create("Expense", Map.of("Title", "Taxi", "Amount", new BigDecimal("42")), "admin")
        .id()
        .orElseThrow();
  }

  private String submit(String recordId, String orchestration) {
    return engine
        .submissions()
        .submit(new SubmitRequest("Expense", recordId, orchestration, Optional.empty()), "admin")
        .runId();
  }

  @Test
  void aSerializationFailureInAnAsynchronousStepRetriesTheJobInsteadOfTakingTheFaultPath()
      throws SQLException {
    String recordId = expense();
    FailingUpdateTrigger.arm(1, "40001");

    RunView run = harness.awaitEnd(submit(recordId, "Raise_Async"));

    assertThat(FailingUpdateTrigger.failuresLeft()).isZero();
    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    RunView.Step step = run.stages().getFirst().steps().getFirst();
    assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(step.outputs()).doesNotContainKey("problem");
    assertThat(engine.records().get("Expense", recordId).fields().get("Amount"))
        .isEqualTo(new BigDecimal("43.00"));
    assertThat(stepResults(run.id())).isEqualTo(1);
  }

  @Test
  void aBrokenDatabaseInASynchronousStepFailsTheCallWithNothingCommitted() throws SQLException {
    String recordId = expense();
    // Not transient: however often the transaction were retried, it would fail.
    FailingUpdateTrigger.arm(Integer.MAX_VALUE, "XX000");

    assertThatThrownBy(() -> submit(recordId, "Raise_Sync"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().type()).isEqualTo(ErrorType.INTERNAL_ERROR))
        .hasMessageContaining("XX000");

    FailingUpdateTrigger.arm(0, "40001");
    assertThat(count("SELECT COUNT(*) FROM runs")).isZero();
    assertThat(engine.records().get("Expense", recordId).fields().get("Amount"))
        .isEqualTo(new BigDecimal("42.00"));
    // Once the database works again, the same submission goes through.
    RunView run = harness.awaitEnd(submit(recordId, "Raise_Sync"));
    assertThat(run.stages().getFirst().steps().getFirst().outputs()).doesNotContainKey("problem");
    assertThat(engine.records().get("Expense", recordId).fields().get("Amount"))
        .isEqualTo(new BigDecimal("43.00"));
  }

  private int stepResults(String runId) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement count =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM events WHERE run_id = ? AND kind = 'STEP_RESULT'")) {
      count.setString(1, runId);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        int result = rs.getInt(1);
        connection.rollback();
        return result;
      }
    }
  }

  private int count(String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      int result = rs.getInt(1);
      connection.rollback();
      return result;
    }
  }
}
