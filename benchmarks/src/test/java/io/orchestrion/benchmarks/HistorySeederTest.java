package io.orchestrion.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.DataSources;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunExplanation;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history seeder on H2, small (200 finished, 20 waiting): the seeded rows are what the engine
 * reads, so the seeder cannot drift from the schema unnoticed.
 */
class HistorySeederTest {
  private static final HistorySize SIZE = new HistorySize(200, 20);

  private H2FileDatabase database;
  private HikariDataSource pool;
  private OrchestrionEngine engine;
  private HistorySeeder.Seeded seeded;
  private Map<String, Long> rowsBefore;
  private Map<String, String> indexesBefore;

  private void seed(boolean dropIndexes) throws Exception {
    database = H2FileDatabase.create();
    pool = DataSources.create(database.engineConnection(8));
    engine =
        OrchestrionEngine.create(
            EngineConfig.defaults(database.engineConnection(8)), pool, Clock.systemUTC());
    engine.start();
    Workload.define(engine, Workload.Scenario.APPROVAL);
    try (Connection connection = database.openMonitor()) {
      rowsBefore = HistorySeeder.rowCounts(connection);
      indexesBefore = SecondaryIndexes.all(connection, false);
    }
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    seeded =
        new HistorySeeder(
                engine,
                database,
                Workload.Scenario.APPROVAL,
                new PrintStream(progress, true, StandardCharsets.UTF_8),
                2,
                50,
                dropIndexes)
            .seed(SIZE);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (database != null) {
      database.close();
    }
  }

  /**
   * Two connections copying batches of 50 side by side; with {@code dropIndexes} the plain
   * secondary indexes are dropped for the copy and made again from the database's definitions.
   */
  @ParameterizedTest(name = "secondary indexes dropped during the copy: {0}")
  @ValueSource(booleans = {false, true})
  void theSeededSubmissionsAreFinishedOrWaitingAsTheEngineSeesThem(boolean dropIndexes)
      throws Exception {
    seed(dropIndexes);
    try (Connection connection = database.openMonitor()) {
      // The secondary indexes dropped for the copy are back, exactly as the migrations made them.
      assertThat(SecondaryIndexes.all(connection, false))
          .isEqualTo(indexesBefore)
          .isEqualTo(seeded.indexes())
          .containsKeys("EVENTS_BY_RUN", "WORK_ITEMS_BY_RUN", "SUBMISSIONS_BY_CREATED");
      assertThat(indexesBefore.get("EVENTS_BY_RUN"))
          .isEqualTo("INDEX ON EVENTS (RUN_ID ASC NULLS FIRST, SEQUENCE ASC NULLS FIRST)");
      // The template (decided during seeding) and 200 finished copies; 20 waiting copies.
      assertThat(count(connection, "submissions WHERE status = 'APPROVED'")).isEqualTo(201);
      assertThat(count(connection, "submissions WHERE status = 'IN_PROGRESS'")).isEqualTo(20);
      assertThat(count(connection, "runs WHERE status = 'COMPLETED'")).isEqualTo(201);
      assertThat(count(connection, "work_items WHERE status = 'ASSIGNED'")).isEqualTo(20);
      assertThat(count(connection, "submissions WHERE open_record_key IS NOT NULL")).isEqualTo(20);
      // Every event numbered, after the last number the sequencer gave out, none twice.
      assertThat(count(connection, "events WHERE sequence IS NULL")).isZero();
      assertThat(count(connection, "events WHERE sequence IS NOT NULL"))
          .isEqualTo(scalar(connection, "SELECT last_sequence FROM event_sequencer"))
          .isEqualTo(scalar(connection, "SELECT COUNT(DISTINCT sequence) FROM events"));
      // Each copy has as many rows as the template: per table, rows grew by (1 + copies) x rows
      // of the template's kind; the seeder's row counts are the database's.
      Map<String, Long> after = HistorySeeder.rowCounts(connection);
      for (Map.Entry<String, Long> table : seeded.rows().entrySet()) {
        assertThat(after.get(table.getKey()) - rowsBefore.get(table.getKey()))
            .as(table.getKey())
            .isGreaterThan(table.getValue());
      }
      assertThat(seeded.rows().get("submissions")).isEqualTo(220);
      assertThat(seeded.rows().keySet()).contains("submissions", "runs", "work_items", "events");
    }

    // A finished copy, through the engine's API: APPROVED, with its audit trail and events.
    String finishedId = seeded.finishedExample().orElseThrow();
    // The copy number in the first two groups, version digit 0, the template id's tail.
    assertThat(finishedId)
        .hasSize(36)
        .matches("\\d{8}-\\d{4}-0[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    SubmissionView finished = engine.submissions().get(finishedId);
    assertThat(finished.status()).isEqualTo(SubmissionStatus.APPROVED);
    assertThat(finished.history()).isNotEmpty();
    assertThat(engine.runs().get(finished.runId()).status()).isEqualTo(RunStatus.COMPLETED);
    SubmissionView template =
        engine.submissions().get(engine.runs().get(seeded.templateRun()).submissionId());
    assertThat(finished.history()).hasSameSizeAs(template.history());
    assertThat(finishedId).endsWith(template.id().substring(15));
    assertThat(engine.workItems().ofRun(finished.runId()))
        .singleElement()
        .satisfies(item -> assertThat(item.status()).isEqualTo(WorkItemStatus.APPROVED));

    // A waiting copy: the engine explains it as waiting at stage 2, its item is in the inbox of
    // a history approver, and deciding it there takes the run to APPROVED.
    String waitingRun = seeded.waitingExample().orElseThrow();
    RunExplanation explained = engine.runs().explain(waitingRun);
    assertThat(explained.status()).isEqualTo(RunStatus.IN_PROGRESS);
    assertThat(explained.stage()).contains("Stage_2");
    String approver = HistorySeeder.HISTORY_APPROVER_PREFIX + 1;
    List<WorkItemView> inbox =
        engine.workItems().inbox(approver, WorkItemStatus.ASSIGNED, Optional.empty(), 50).items();
    assertThat(inbox).extracting(WorkItemView::runId).contains(waitingRun);
    WorkItemView item =
        inbox.stream().filter(i -> i.runId().equals(waitingRun)).findFirst().orElseThrow();
    engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), approver);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    SubmissionStatus status = engine.submissions().get(item.submissionId()).status();
    while (status == SubmissionStatus.IN_PROGRESS && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = engine.submissions().get(item.submissionId()).status();
    }
    assertThat(status).isEqualTo(SubmissionStatus.APPROVED);
    // Nothing else was woken: the other waiting copies still wait.
    try (Connection connection = database.openMonitor()) {
      assertThat(count(connection, "submissions WHERE status = 'IN_PROGRESS'")).isEqualTo(19);
    }
  }

  private static long count(Connection connection, String fromWhere) throws SQLException {
    return scalar(connection, "SELECT COUNT(*) FROM " + fromWhere);
  }

  private static long scalar(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
