package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Injector;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.EngineModule;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.orchestration.OrchestrationCatalog;
import io.orchestrion.engine.run.model.RunState;
import io.orchestrion.engine.run.model.StepInstance;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.work.UnitsOfWork;
import io.orchestrion.flow.FlowRuntimeModule;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's cache of run aggregates (issue #11) on a real engine and database: a hand-off on a run
 * the node wrote reads only the run's row; a run another node changed is read again, never served
 * stale; a rolled-back transaction or savepoint leaves nothing of its own in the cache; and what
 * the cache gives is what a load from the tables gives.
 */
abstract class RunCacheContract {
  /** An action first: the step runs asynchronously, as a job. */
  private static final String RAISE =
      """
      {"apiName": "Raise_Amount", "type": "AUTOLAUNCHED",
       "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                     {"name": "expense", "type": "RECORD", "objectType": "Expense"},
                     {"name": "done", "type": "TEXT", "output": true}],
       "start": "Say",
       "elements": [
         {"type": "Action", "name": "Say", "action": "log",
          "inputs": {"message": {"ref": "recordId"}}, "next": "Get_Expense"},
         {"type": "GetRecords", "name": "Get_Expense", "objectType": "Expense",
          "filters": [{"field": "Id", "operator": "EQUALS", "value": {"ref": "recordId"}}],
          "firstOnly": true, "into": "expense", "next": "Raise"},
         {"type": "Assignment", "name": "Raise",
          "assignments": [{"target": "expense.Amount", "operator": "ADD", "value": {"value": 1}},
                          {"target": "done", "operator": "SET", "value": {"value": "yes"}}],
          "next": "Save"},
         {"type": "UpdateRecords", "name": "Save", "record": "expense"}]}
      """;

  /**
   * The child reads of a load from the tables (RunLoader; the stage and step instances come with
   * the run's own row, as its document).
   */
  private static final List<String> CHILD_READS =
      List.of("from submissions where id = ?", "from work_items where run_id = ?");

  protected abstract TestDatabase createDatabase();

  private TestDatabase database;
  private StatementLog statements;
  private Node node;
  private Node other;

  /** One engine (a node) with what the tests reach into. */
  private record Node(
      OrchestrionEngine engine,
      UnitsOfWork units,
      RunEngine runEngine,
      WorkItemCommands workItems,
      RunRepository repository,
      RunLoader loader,
      RunCache cache,
      LocalHandOffs handOffs,
      OrchestrationCatalog orchestrations) {
    void close() {
      engine.close();
    }
  }

  @BeforeEach
  void setUp() {
    database = createDatabase();
    statements = new StatementLog(database.dataSource());
    node = start("node-a");
    node.engine()
        .objectTypes()
        .define(
            EngineHarness.read(
                EngineHarness.fixture("expense.object.json"), ObjectTypeDefinition.class));
    node.engine().directory().saveUser(User.of("carol", "Carol"));
    node.engine().flows().deploy(EngineHarness.read(RAISE, FlowDefinition.class), true);
    node.engine()
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Raise_Pair", "objectType": "Expense", "stages": [{"name": "Only",
                 "steps": [
                   {"name": "First", "kind": "BACKGROUND", "flow": "Raise_Amount",
                    "inputs": {"recordId": {"ref": "$Record.Id"}}},
                   {"name": "Second", "kind": "BACKGROUND", "flow": "Raise_Amount",
                    "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                """),
            true);
    node.engine()
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Waiting", "objectType": "Expense", "allowSubmitterApproval": true,
                 "stages": [{"name": "Only", "steps": [
                   {"name": "Approve", "kind": "APPROVAL",
                    "assignee": {"type": "USER", "userId": "admin"}}]},
                  {"name": "Then", "steps": [
                   {"name": "Approve_Again", "kind": "APPROVAL",
                    "assignee": {"type": "USER", "userId": "admin"}}]}]}
                """),
            true);
  }

  private Node start(String nodeId) {
    return start(nodeId, EngineConfig.DEFAULT_RUN_CACHE_SIZE);
  }

  private Node start(String nodeId, int runCacheSize) {
    EngineConfig config =
        EngineHarness.config(database, false).withNodeId(nodeId).withRunCacheSize(runCacheSize);
    // Whole milliseconds: the database keeps microseconds, so instants compare exactly.
    Clock clock = Clock.tickMillis(ZoneOffset.UTC);
    Injector injector =
        OrchestrionEngine.injector(
            List.of(
                new FlowRuntimeModule(config.flowLimits()),
                new EngineModule(config, statements, clock)));
    OrchestrionEngine engine = injector.getInstance(OrchestrionEngine.class).start();
    return new Node(
        engine,
        injector.getInstance(UnitsOfWork.class),
        injector.getInstance(RunEngine.class),
        injector.getInstance(WorkItemCommands.class),
        injector.getInstance(RunRepository.class),
        injector.getInstance(RunLoader.class),
        injector.getInstance(RunCache.class),
        injector.getInstance(LocalHandOffs.class),
        injector.getInstance(OrchestrationCatalog.class));
  }

  @AfterEach
  void tearDown() {
    if (other != null) {
      other.close();
    }
    node.close();
    database.close();
  }

  // ---- Hits ----

  @Test
  void aHandOffOnARunThisNodeWroteReadsOnlyTheRunRow() throws SQLException {
    String runId = submit("Waiting");
    assertThat(node.cache().revisionOf(runId)).contains(0L);
    String item = openItem(runId);

    statements.start();
    node.units()
        .run(
            uow -> node.workItems().decide(uow, item, Decision.APPROVE, Optional.empty(), "admin"));
    List<String> decide = statements.stop();

    // The one read of the run: its row, found through the item and locked in one statement (on
    // H2 the final table of an UPDATE, Dialect.selectLocked).
    assertThat(decide)
        .filteredOn(
            sql ->
                sql.contains("runs")
                    && sql.contains("where id = (select run_id from work_items where id = ?)"))
        .hasSize(1);
    assertThat(decide).filteredOn(RunCacheContract::isChildRead).isEmpty();
    assertThat(decide)
        .filteredOn(sql -> sql.startsWith("update runs set"))
        .singleElement()
        .asString()
        .contains("revision = ?");
    assertThat(revision(runId)).isEqualTo(1);
    assertThat(node.cache().revisionOf(runId)).contains(1L);
    assertSameAsTables(node, runId);

    // And the next hand-off too: the run entered its second stage, its item is the new one.
    String next = openItem(runId);
    assertThat(next).isNotEqualTo(item);
    statements.start();
    node.units().run(uow -> node.runEngine().evaluate(uow, runId));
    assertThat(statements.stop()).filteredOn(RunCacheContract::isChildRead).isEmpty();
  }

  @Test
  void aFlushThatChangesOnlyPartsStillMovesTheRevision() throws SQLException {
    String runId = submit("Waiting");
    String item = openItem(runId);

    statements.start();
    node.units()
        .run(
            uow -> {
              // A reassignment changes the work item only, not the run's own row.
              node.workItems().reassign(uow, item, "USER", "admin", "admin");
            });
    List<String> reassign = statements.stop();

    assertThat(reassign).contains("update runs set revision = ? where id = ?");
    assertThat(revision(runId)).isEqualTo(1);
    assertThat(node.cache().revisionOf(runId)).contains(1L);
    assertSameAsTables(node, runId);
  }

  // ---- Another node, another path ----

  @Test
  void aRunAnotherNodeChangedIsReadAgainNotServedStale() throws SQLException {
    String runId = submit("Waiting");
    String item = openItem(runId);
    assertThat(node.cache().revisionOf(runId)).contains(0L);
    other = start("node-b");

    // Node B reassigns the item: the run's revision moves on; node A's entry is now stale.
    other.engine().workItems().reassign(item, "USER", "carol", "admin");
    assertThat(revision(runId)).isEqualTo(1);
    assertThat(node.cache().revisionOf(runId)).contains(0L);

    statements.start();
    RunState seen =
        node.units()
            .call(uow -> node.repository().lockAndLoad(uow.transaction(), runId))
            .orElseThrow();
    List<String> reads = statements.stop();

    assertThat(seen.revision()).isEqualTo(1);
    assertThat(seen.workItem(item).orElseThrow().assignee().id()).isEqualTo("carol");
    assertThat(reads).filteredOn(RunCacheContract::isChildRead).hasSize(CHILD_READS.size());
    // What node A read is kept: its next hand-off is a hit again.
    assertThat(node.cache().revisionOf(runId)).contains(1L);

    // Carol decides on node A (the item as node B left it is hers), and node B, whose entry is
    // now stale, reads node A's change again.
    node.units()
        .run(
            uow -> node.workItems().decide(uow, item, Decision.APPROVE, Optional.empty(), "carol"));
    assertThat(revision(runId)).isEqualTo(2);
    statements.start();
    RunState onB =
        other
            .units()
            .call(uow -> other.repository().lockAndLoad(uow.transaction(), runId))
            .orElseThrow();
    assertThat(statements.stop())
        .filteredOn(RunCacheContract::isChildRead)
        .hasSize(CHILD_READS.size());
    assertThat(onB.workItem(item).orElseThrow().decidedBy()).contains("carol");
    assertSameAsTables(node, runId);
    assertSameAsTables(other, runId);
  }

  @Test
  void aNodeWithTheCacheOffReadsTheRunsPartsAtEveryLock() throws SQLException {
    String runId = submit("Waiting");
    String item = openItem(runId);
    // As during a rolling upgrade from a release that does not move runs.revision.
    other = start("node-b", 0);

    statements.start();
    other.engine().workItems().reassign(item, "USER", "carol", "admin");
    other.units().run(uow -> other.runEngine().evaluate(uow, runId));
    List<String> reads = statements.stop();

    assertThat(reads)
        .filteredOn(sql -> sql.contains("from work_items where run_id = ?"))
        .hasSize(2);
    assertThat(other.cache().size()).isZero();
    assertThat(revision(runId)).isEqualTo(2);
  }

  // ---- Rollbacks ----

  @Test
  void aRolledBackSubmissionLeavesNoEntry() {
    int before = node.cache().size();
    String recordId = newExpense();
    List<String> started = Collections.synchronizedList(new ArrayList<>());

    assertThatThrownBy(
            () ->
                node.units()
                    .run(
                        uow -> {
                          started.add(
                              node.runEngine()
                                  .startRun(
                                      uow,
                                      node.orchestrations()
                                          .version(uow.transaction(), "Waiting", 1),
                                      "Expense",
                                      recordId,
                                      "admin",
                                      Optional.empty())
                                  .runId());
                          throw new IllegalStateException("rolled back on purpose");
                        }))
        .hasMessageContaining("on purpose");

    assertThat(started).hasSize(1);
    assertThat(node.cache().revisionOf(started.getFirst())).isEmpty();
    assertThat(node.cache().size()).isEqualTo(before);
  }

  @Test
  void aRolledBackHandOffLeavesTheCommittedEntryAndItsStateOnly() throws SQLException {
    String runId = submit("Waiting");
    String item = openItem(runId);

    assertThatThrownBy(
            () ->
                node.units()
                    .run(
                        uow -> {
                          node.workItems()
                              .decide(uow, item, Decision.APPROVE, Optional.empty(), "admin");
                          throw new IllegalStateException("rolled back on purpose");
                        }))
        .hasMessageContaining("on purpose");

    assertThat(revision(runId)).isZero();
    assertThat(node.cache().revisionOf(runId)).contains(0L);
    statements.start();
    RunState run =
        node.units()
            .call(uow -> node.repository().lockAndLoad(uow.transaction(), runId))
            .orElseThrow();
    assertThat(statements.stop()).filteredOn(RunCacheContract::isChildRead).isEmpty();
    assertThat(run.workItem(item).orElseThrow().isOpen()).isTrue();
    assertSameAsTables(node, runId);
  }

  @Test
  void aCommandRolledBackToItsSavepointPutsNothingAndTheOthersPutTheirs() throws SQLException {
    String kept = submit("Waiting");
    String undone = submit("Waiting");
    String keptItem = openItem(kept);
    String undoneItem = openItem(undone);

    node.units()
        .run(
            uow -> {
              uow.underSavepoint(
                  command -> {
                    node.workItems()
                        .decide(command, keptItem, Decision.APPROVE, Optional.empty(), "admin");
                    return null;
                  });
              assertThatThrownBy(
                      () ->
                          uow.underSavepoint(
                              command -> {
                                node.workItems()
                                    .decide(
                                        command,
                                        undoneItem,
                                        Decision.APPROVE,
                                        Optional.empty(),
                                        "admin");
                                throw new IllegalStateException("this command only");
                              }))
                  .hasMessageContaining("this command only");
            });

    assertThat(revision(kept)).isEqualTo(1);
    assertThat(node.cache().revisionOf(kept)).contains(1L);
    assertThat(revision(undone)).isZero();
    assertThat(node.cache().revisionOf(undone)).contains(0L);
    assertSameAsTables(node, kept);
    assertSameAsTables(node, undone);
  }

  // ---- Group commit ----

  @Test
  void aGroupWithAFailingJobLeavesEveryRunsEntryRight() throws SQLException {
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runIds.add(submit("Raise_Pair"));
    }
    // The first job of the second run cannot read its stored interview: it fails (not its flow)
    // under its savepoint; the other five jobs of the group commit.
    String failing = firstJobOf(runIds.get(1));
    execute("UPDATE jobs SET interview = 'not json' WHERE id = ?", failing);
    // The row is what fails it: the job is read from its row, not carried in memory.
    assertThat(node.handOffs().take(failing)).isPresent();

    node.engine().runDueJobs();

    for (String runId : runIds) {
      long stored = revision(runId);
      assertThat(node.cache().revisionOf(runId)).as(runId).contains(stored);
      assertSameAsTables(node, runId);
    }
    RunState failed = cachedOrLoaded(node, runIds.get(1));
    assertThat(failed.steps())
        .extracting(StepInstance::status)
        .containsExactlyInAnyOrder(StepStatus.IN_PROGRESS, StepStatus.COMPLETED);
    assertThat(cachedOrLoaded(node, runIds.get(0)).steps())
        .extracting(StepInstance::status)
        .containsOnly(StepStatus.COMPLETED);
  }

  // ---- Jobs handed over in memory ----

  @Test
  void aJobThisNodeCreatedRunsWithoutReadingItsRowOrItsStep() throws SQLException {
    String runId = submit("Raise_Pair");
    assertThat(node.handOffs().size()).isEqualTo(2);

    statements.start();
    node.engine().runDueJobs();
    List<String> ran = statements.stop();

    assertThat(node.handOffs().size()).isZero();
    assertThat(ran)
        .noneMatch(sql -> sql.startsWith("select") && sql.contains(" from jobs where id"));
    assertThat(ran).noneMatch(sql -> sql.contains("select instances from runs where id = ?"));
    assertThat(ran).filteredOn(RunCacheContract::isChildRead).isEmpty();
    // Each job still fenced its own removal by its lease token (on PostgreSQL inside its run's
    // UPDATE, Dialect.deletesInUpdate), and both steps completed.
    assertThat(ran)
        .filteredOn(sql -> sql.contains("delete from jobs where id = ? and lease_token = ?"))
        .hasSize(2);
    assertThat(cachedOrLoaded(node, runId).steps())
        .extracting(StepInstance::status)
        .containsOnly(StepStatus.COMPLETED);
    assertThat(query("SELECT COUNT(*) FROM jobs WHERE run_id = ?", runId)).isEqualTo("0");
    assertThat(amountOf(runId)).isEqualByComparingTo("44");
  }

  @Test
  void aCarriedJobWhoseRowIsGoneOrTakenCommitsNothing() throws SQLException {
    String runId = submit("Raise_Pair");
    String first = firstJobOf(runId);
    String second = query("SELECT id FROM jobs WHERE run_id = ? AND id <> ?", runId, first);
    // Another node took the first job over (its lease expired); the second is gone (say, its
    // step was discontinued on another node, which deletes it).
    execute("UPDATE jobs SET lease_owner = 'node-b', lease_token = 'taken' WHERE id = ?", first);
    execute("DELETE FROM jobs WHERE id = ?", second);
    long revision = revision(runId);

    node.engine().runDueJobs();

    // Both flows ran from their carried rows and were fenced out: nothing of them committed.
    assertThat(node.handOffs().size()).isZero();
    assertThat(revision(runId)).isEqualTo(revision);
    assertThat(amountOf(runId)).isEqualByComparingTo("42");
    assertThat(query("SELECT lease_token FROM jobs WHERE id = ?", first)).isEqualTo("taken");
    assertThat(cachedOrLoaded(node, runId).steps())
        .extracting(StepInstance::status)
        .containsOnly(StepStatus.IN_PROGRESS);
  }

  // ---- Helpers ----

  private static boolean isChildRead(String sql) {
    return CHILD_READS.stream().anyMatch(sql::contains);
  }

  /** The aggregate as this node's cache gives it equals a load from the tables. */
  private void assertSameAsTables(Node on, String runId) {
    RunState fromTables =
        on.units()
            .call(
                uow -> on.loader().load(uow.transaction(), RunLoader.RunKey.id(runId), false, null))
            .orElseThrow()
            .run();
    RunState cached = cachedOrLoaded(on, runId);
    assertThat(AggregateText.of(cached)).isEqualTo(AggregateText.of(fromTables));
  }

  private static RunState cachedOrLoaded(Node on, String runId) {
    return on.units()
        .call(
            uow ->
                on.loader()
                    .load(uow.transaction(), RunLoader.RunKey.id(runId), true, on.cache()::get))
        .orElseThrow()
        .run();
  }

  private String newExpense() {
    return node.engine()
        .records()
        .create(
            "Expense",
            Map.of("Title", "Trip " + UUID.randomUUID(), "Amount", new BigDecimal("42")),
            "admin")
        .id()
        .orElseThrow();
  }

  private String submit(String orchestration) {
    return node.engine()
        .submissions()
        .submit(
            new SubmitRequest("Expense", newExpense(), orchestration, Optional.empty()), "admin")
        .runId();
  }

  private String openItem(String runId) throws SQLException {
    return query("SELECT id FROM work_items WHERE run_id = ? AND status = 'ASSIGNED'", runId);
  }

  private String firstJobOf(String runId) throws SQLException {
    RunState run =
        node.units()
            .call(
                uow ->
                    node.loader().load(uow.transaction(), RunLoader.RunKey.id(runId), false, null))
            .orElseThrow()
            .run();
    String step =
        run.steps().stream()
            .filter(candidate -> candidate.name().endsWith("First"))
            .findFirst()
            .orElseThrow()
            .id();
    return query("SELECT id FROM jobs WHERE run_id = ? AND step_instance_id = ?", runId, step);
  }

  private long revision(String runId) throws SQLException {
    return Long.parseLong(query("SELECT revision FROM runs WHERE id = ?", runId));
  }

  private BigDecimal amountOf(String runId) throws SQLException {
    String recordId = query("SELECT record_id FROM submissions WHERE run_id = ?", runId);
    return (BigDecimal) node.engine().records().get("Expense", recordId).fields().get("Amount");
  }

  private String query(String sql, String... parameters) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        String value = rs.next() ? rs.getString(1) : null;
        connection.rollback();
        return value;
      }
    }
  }

  private void execute(String sql, String parameter) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      statement.executeUpdate();
      connection.commit();
    }
  }
}
