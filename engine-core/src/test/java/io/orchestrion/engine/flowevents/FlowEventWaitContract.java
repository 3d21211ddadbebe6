package io.orchestrion.engine.flowevents;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.FlowEvent;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waits on named events end to end: an interview pauses with its event waits stored, an event
 * published through the engine resumes it on the event's path (also after a restart), the first
 * trigger wins, and the timeout path is taken when no event comes. Runs on H2 and PostgreSQL.
 */
abstract class FlowEventWaitContract {
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
    harness = EngineHarness.start(database);
    engine = harness.engine();
    harness.defineExpense();
    harness.activateFlows("flow-await-audit.json");
    engine
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

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  private String submitExpense() {
    RecordData expense =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", "Audit me", "Amount", new BigDecimal("10.00"), "Status", "Draft"),
                "alice");
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest("Expense", expense.id().orElseThrow(), "Audit", Optional.empty()),
                "alice");
    return submission.runId() + " " + expense.id().orElseThrow();
  }

  private int waits(String correlationKey) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM flow_event_waits WHERE correlation_key = ?")) {
      statement.setString(1, correlationKey);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private void awaitWaits(String correlationKey) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (waits(correlationKey) != 2) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the interview did not pause on its events");
      }
      Thread.onSpinWait();
    }
  }

  private static Map<String, Object> outputs(RunView run) {
    return run.stages().getFirst().steps().getFirst().outputs();
  }

  @Test
  void anEventResumesTheInterviewOnItsPathAfterARestartAndOnlyOnce() {
    String[] ids = submitExpense().split(" ");
    String runId = ids[0];
    String recordId = ids[1];
    awaitWaits(recordId);
    harness.close();
    harness = EngineHarness.start(database);
    engine = harness.engine();

    int resumed =
        engine
            .flowEvents()
            .publish(new FlowEvent("expense.audited", recordId, Map.of("verdict", "fine")));
    RunView run = harness.awaitEnd(runId);

    assertThat(resumed).isEqualTo(1);
    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.stages().getFirst().steps().getFirst().status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(outputs(run)).containsEntry("verdict", "fine!");
    assertThat(waits(recordId)).isZero();
    // The first trigger won: a second event finds nobody waiting.
    assertThat(engine.flowEvents().publish(new FlowEvent("expense.withdrawn", recordId, null)))
        .isZero();
  }

  @Test
  void anotherEventTakesItsOwnPathAndOtherKeysResumeNothing() {
    String[] ids = submitExpense().split(" ");
    awaitWaits(ids[1]);

    assertThat(engine.flowEvents().publish(new FlowEvent("expense.withdrawn", "other", null)))
        .isZero();
    assertThat(engine.flowEvents().publish(new FlowEvent("expense.withdrawn", ids[1], null)))
        .isEqualTo(1);

    assertThat(outputs(harness.awaitEnd(ids[0]))).containsEntry("verdict", "withdrawn");
  }

  @Test
  void withoutAnEventTheTimeoutPathIsTaken() {
    String[] ids = submitExpense().split(" ");
    awaitWaits(ids[1]);

    RunView run = harness.awaitEnd(ids[0]);

    assertThat(outputs(run)).containsEntry("verdict", "timed out");
    assertThat(waits(ids[1])).isZero();
    assertThat(engine.flowEvents().publish(new FlowEvent("expense.audited", ids[1], null)))
        .isZero();
  }

  @Test
  void aBlankEventNameIsRejected() {
    assertThatThrownBy(() -> engine.flowEvents().publish(new FlowEvent(" ", "k", null)))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("name must be 1 to 200 characters");
  }
}
