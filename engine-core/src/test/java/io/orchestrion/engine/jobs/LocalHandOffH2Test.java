package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.RunView;
import io.orchestrion.engine.SubmissionView;
import io.orchestrion.engine.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A segment that ends at a Wait already over (PT0S) keeps its job's lease and hands the job back to
 * this node at once (SPEC §4): the interview goes on without waiting for the poller or for its
 * lease to expire. With a one-minute lease and a poller that looks every 30 s, only the local
 * hand-off can finish the run within the 20 s the harness waits.
 */
class LocalHandOffH2Test {
  private TestDatabase database;
  private EngineHarness harness;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    harness =
        EngineHarness.start(
            database,
            EngineHarness.config(database, true)
                .withLeaseDuration(Duration.ofMinutes(1))
                .withPollInterval(Duration.ofSeconds(30)),
            List.of());
    harness.defineExpense();
    harness.activateFlows("flow-score-risk.json");
  }

  @AfterEach
  void tearDown() {
    harness.close();
    database.close();
  }

  @Test
  void aSegmentEndingAtAWaitThatIsOverContinuesAtOnceOnThisNode() {
    OrchestrionEngine engine = harness.engine();
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Score_Only", "objectType": "Expense", "stages": [{"name": "S", "steps": [
                  {"name": "Score", "kind": "BACKGROUND", "flow": "Score_Risk",
                   "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                """),
            true);
    String recordId =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", "Taxi", "Amount", new BigDecimal("42.00"), "Status", "Draft"),
                "admin")
            .id()
            .orElseThrow();
    Instant submitted = Instant.now();
    SubmissionView submission =
        engine
            .submissions()
            .submit(
                new SubmitRequest("Expense", recordId, "Score_Only", Optional.empty()), "admin");

    RunView run = harness.awaitEnd(submission.runId());

    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
    assertThat(Duration.between(submitted, Instant.now())).isLessThan(Duration.ofSeconds(30));
  }
}
