package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.RunLogContext;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The job workers' log lines carry the run they work on (issue 10, structured logs): {@code runId},
 * {@code submissionId} and {@code step} in the MDC while a job runs, none of them once it has run
 * (the worker thread's next line is clean).
 */
class JobLogContextH2Test {
  @Test
  void aJobsLogLinesCarryItsRunAndTheKeysAreClearedAfterIt() {
    Logger runnerLog = (Logger) LoggerFactory.getLogger(JobRunner.class);
    Logger workersLog = (Logger) LoggerFactory.getLogger(Workers.class);
    Level runnerLevel = runnerLog.getLevel();
    Level workersLevel = workersLog.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    runnerLog.setLevel(Level.DEBUG);
    workersLog.setLevel(Level.DEBUG);
    runnerLog.addAppender(appender);
    workersLog.addAppender(appender);
    try (TestDatabase database = TestDatabases.create(TestDatabaseKind.H2);
        EngineHarness harness =
            EngineHarness.start(database, EngineHarness.config(database, true))) {
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
      assertThat(harness.awaitEnd(submission.runId()).status()).isEqualTo(RunStatus.COMPLETED);

      List<ILoggingEvent> events = List.copyOf(appender.list);
      List<ILoggingEvent> segments =
          events.stream()
              .filter(event -> event.getLoggerName().equals(JobRunner.class.getName()))
              .filter(event -> event.getFormattedMessage().contains("runs a segment"))
              .toList();
      assertThat(segments).isNotEmpty();
      for (ILoggingEvent segment : segments) {
        assertThat(segment.getMDCPropertyMap())
            .containsEntry(RunLogContext.RUN_ID, submission.runId())
            .containsEntry(RunLogContext.SUBMISSION_ID, submission.id())
            .containsEntry(RunLogContext.STEP, "Score");
      }
      // Workers log each job's outcome after it has run, on the same thread: no key is left.
      List<ILoggingEvent> outcomes =
          events.stream()
              .filter(event -> event.getLoggerName().equals(Workers.class.getName()))
              .filter(event -> event.getFormattedMessage().startsWith("Job "))
              .toList();
      assertThat(outcomes).isNotEmpty();
      for (ILoggingEvent outcome : outcomes) {
        assertThat(outcome.getMDCPropertyMap())
            .doesNotContainKeys(
                RunLogContext.RUN_ID, RunLogContext.SUBMISSION_ID, RunLogContext.STEP);
      }
    } finally {
      runnerLog.detachAppender(appender);
      workersLog.detachAppender(appender);
      runnerLog.setLevel(runnerLevel);
      workersLog.setLevel(workersLevel);
    }
  }
}
