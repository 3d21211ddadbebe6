package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A segment that pauses on a wait already over (PT0S) signals its job ready before its own run has
 * returned; the workers must run it again then, not leave it to the poll after the lease expires.
 * The lease here is long (60 s), so waiting for it would fail the 20 s await.
 */
class ZeroWaitH2Test {
  @Test
  void aZeroWaitContinuesAtOnceOnTheSameNode() {
    try (TestDatabase database = TestDatabases.create(TestDatabaseKind.H2);
        EngineHarness harness =
            EngineHarness.start(
                database,
                EngineHarness.config(database, true).withLeaseDuration(Duration.ofSeconds(60)))) {
      OrchestrionEngine engine = harness.engine();
      harness.defineExpense();
      harness.activateFlows("flow-score-risk.json");
      engine
          .orchestrations()
          .deploy(
              orchestration(
                  """
                  {"apiName": "Score_Only", "objectType": "Expense", "stages": [{"name": "Only",
                   "steps": [{"name": "Score", "kind": "BACKGROUND", "flow": "Score_Risk",
                              "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                  """),
              true);
      String recordId =
          engine
              .records()
              .create("Expense", Map.of("Title", "Taxi", "Amount", new BigDecimal("42")), "admin")
              .id()
              .orElseThrow();
      SubmissionView submission =
          engine
              .submissions()
              .submit(
                  new SubmitRequest("Expense", recordId, "Score_Only", Optional.empty()), "admin");
      long started = System.nanoTime();
      RunView run = harness.awaitEnd(submission.runId());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    }
  }
}
