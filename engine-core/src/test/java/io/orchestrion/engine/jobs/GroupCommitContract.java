package io.orchestrion.engine.jobs;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.inject.util.Modules;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.run.RunStatus;
import io.orchestrion.api.run.StepStatus;
import io.orchestrion.engine.EngineModule;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.EngineConfig;
import io.orchestrion.engine.api.RunView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.jobs.JobRunner.Outcome;
import io.orchestrion.engine.run.LocalHandOffs;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.flow.FlowRuntimeModule;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit (issue #11) on a real engine: the jobs ready together share one transaction, each
 * under its own savepoint; a failing or fenced job affects only itself; runs are locked in run-id
 * order (two groups over the same runs cannot deadlock) and a run's jobs apply in hand-off order.
 */
abstract class GroupCommitContract {
  /** An action first: the step runs asynchronously, as a job. */
  private static final String RAISE =
      """
      {"apiName": "Raise_Amount", "type": "AUTOLAUNCHED",
       "variables": [{"name": "recordId", "type": "TEXT", "input": true},
                     {"name": "expense", "type": "RECORD", "objectType": "Expense"}],
       "start": "Say",
       "elements": [
         {"type": "Action", "name": "Say", "action": "log",
          "inputs": {"message": {"ref": "recordId"}}, "next": "Get_Expense"},
         {"type": "GetRecords", "name": "Get_Expense", "objectType": "Expense",
          "filters": [{"field": "Id", "operator": "EQUALS", "value": {"ref": "recordId"}}],
          "firstOnly": true, "into": "expense", "next": "Raise"},
         {"type": "Assignment", "name": "Raise",
          "assignments": [{"target": "expense.Amount", "operator": "ADD", "value": {"value": 1}}],
          "next": "Save"},
         {"type": "UpdateRecords", "name": "Save", "record": "expense"}]}
      """;

  protected abstract TestDatabase createDatabase();

  private TestDatabase database;
  private CommitCounter counter;
  private OrchestrionEngine engine;
  private JobGroups groups;
  private JobRunner runner;
  private Workers workers;
  private LocalHandOffs handOffs;
  private EngineConfig config;

  @BeforeEach
  void setUp() {
    database = createDatabase();
    counter = new CommitCounter(database.dataSource());
    start(EngineHarness.config(database, false));
    engine
        .objectTypes()
        .define(
            EngineHarness.read(
                EngineHarness.fixture("expense.object.json"), ObjectTypeDefinition.class));
    engine.flows().deploy(EngineHarness.read(RAISE, FlowDefinition.class), true);
    engine
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
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Waiting", "objectType": "Expense", "allowSubmitterApproval": true,
                 "stages": [{"name": "Only", "steps": [
                   {"name": "Approve", "kind": "APPROVAL",
                    "assignee": {"type": "USER", "userId": "admin"}}]}]}
                """),
            true);
  }

  private void start(EngineConfig engineConfig) {
    config = engineConfig;
    Injector injector =
        OrchestrionEngine.injector(
            List.of(
                Modules.override(
                        new FlowRuntimeModule(config.flowLimits()),
                        new EngineModule(config, counter, Clock.systemUTC()))
                    .with(List.of())));
    engine = injector.getInstance(OrchestrionEngine.class).start();
    groups = injector.getInstance(JobGroups.class);
    runner = injector.getInstance(JobRunner.class);
    workers = injector.getInstance(Workers.class);
    handOffs = injector.getInstance(LocalHandOffs.class);
  }

  @AfterEach
  void tearDown() {
    engine.close();
    database.close();
  }

  // ---- One commit for the jobs ready together ----

  @Test
  void theJobsReadyTogetherCommitOnceWhereAloneEachCommits() throws SQLException {
    List<String> grouped = submitAll("Raise_Pair", 4);
    counter.reset();
    assertThat(workers.runDueJobs()).isEqualTo(8);
    // One group of 8 jobs, then one claim that finds nothing more.
    long groupedCommits = counter.commits(Thread.currentThread());
    assertThat(groupedCommits).isLessThan(8).isEqualTo(2);
    for (String runId : grouped) {
      assertThat(engine.runs().get(runId).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(amountOf(runId)).isEqualByComparingTo("44");
    }

    engine.close();
    start(config.withJobGroupSize(1));
    List<String> alone = submitAll("Raise_Pair", 4);
    counter.reset();
    assertThat(workers.runDueJobs()).isEqualTo(8);
    assertThat(counter.commits(Thread.currentThread())).isEqualTo(9);
    for (String runId : alone) {
      assertThat(engine.runs().get(runId).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(amountOf(runId)).isEqualByComparingTo("44");
    }
  }

  // ---- A failing job affects only itself ----

  @Test
  void aJobThatFailsInAGroupRollsBackAloneAndIsRetriedLater() throws SQLException {
    List<String> runIds = submitAll("Raise_Pair", 3);
    String failing = jobOf(runIds.get(1), "First");
    // Its stored interview cannot be read: the job fails (not its flow), as a host failure would.
    // The row is what fails it, so the job is read from its row, not carried in memory.
    execute("UPDATE jobs SET interview = 'not json' WHERE id = ?", failing);
    assertThat(handOffs.take(failing)).isPresent();
    List<String> jobs = jobsOf(runIds);
    counter.reset();

    Map<String, Outcome> outcomes = groups.run(jobs, (job, token) -> {});

    assertThat(outcomes).containsEntry(failing, Outcome.FAILED);
    assertThat(outcomes.values().stream().filter(o -> o == Outcome.DONE)).hasSize(5);
    // The group's commit, then the failure recorded as a job alone records it.
    assertThat(counter.commits(Thread.currentThread())).isEqualTo(2);
    assertThat(amountOf(runIds.get(0))).isEqualByComparingTo("44");
    assertThat(amountOf(runIds.get(1))).isEqualByComparingTo("43");
    assertThat(amountOf(runIds.get(2))).isEqualByComparingTo("44");
    assertThat(stepStatus(runIds.get(1), "First")).isEqualTo(StepStatus.IN_PROGRESS);
    assertThat(stepStatus(runIds.get(1), "Second")).isEqualTo(StepStatus.COMPLETED);
    assertThat(query("SELECT failures FROM jobs WHERE id = ?", failing)).isEqualTo("1");
    assertThat(query("SELECT lease_owner FROM jobs WHERE id = ?", failing)).isNull();

    // Retried as today once its back-off is over (and its cause gone).
    execute(
        "UPDATE jobs SET interview = NULL, due_at = CURRENT_TIMESTAMP - INTERVAL '1' SECOND"
            + " WHERE id = ?",
        failing);
    workers.runDueJobs();
    assertThat(query("SELECT COUNT(*) FROM jobs WHERE id = ?", failing)).isEqualTo("0");
    assertThat(engine.runs().get(runIds.get(1)).status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(amountOf(runIds.get(1))).isEqualByComparingTo("44");
  }

  @Test
  void aJobWhoseLeaseIsStolenRollsBackToItsSavepointOnly() throws SQLException {
    List<String> runIds = submitAll("Raise_Pair", 3);
    String stolen = jobOf(runIds.get(1), "First");
    List<String> jobs = jobsOf(runIds);
    counter.reset();

    // Read by the group with this node's lease, then taken over by another node (its lease
    // expired) before the group applies it: its flow still runs, its writes are fenced out.
    Map<String, Outcome> outcomes =
        groups.run(
            jobs,
            (job, token) -> {
              if (job.equals(stolen)) {
                execute(
                    "UPDATE jobs SET lease_owner = 'node-thief', lease_token = 'stolen' WHERE id = ?",
                    stolen);
              }
            });

    assertThat(outcomes).containsEntry(stolen, Outcome.NOT_OURS);
    assertThat(outcomes.values().stream().filter(o -> o == Outcome.DONE)).hasSize(5);
    assertThat(counter.commits(Thread.currentThread())).isEqualTo(1);
    // The stolen job's record update is rolled back with it; its run's other job committed.
    assertThat(amountOf(runIds.get(0))).isEqualByComparingTo("44");
    assertThat(amountOf(runIds.get(1))).isEqualByComparingTo("43");
    assertThat(amountOf(runIds.get(2))).isEqualByComparingTo("44");
    assertThat(stepStatus(runIds.get(1), "First")).isEqualTo(StepStatus.IN_PROGRESS);
    assertThat(stepResults(runIds.get(1))).containsExactly("Second");
    assertThat(query("SELECT lease_token FROM jobs WHERE id = ?", stolen)).isEqualTo("stolen");
  }

  @Test
  void aJobRunAloneWhoseLeaseIsStolenEndsAsNotOursAndWritesNothing() throws SQLException {
    String runId = submitAll("Raise_Pair", 1).getFirst();
    String stolen = jobOf(runId, "First");
    counter.reset();

    // Read with this node's lease, then taken over by another node before its transaction ends:
    // the finish finds another token on the job (LeaseLost), which is not the job's failure.
    Outcome outcome =
        runner.run(
            stolen,
            token ->
                execute(
                    "UPDATE jobs SET lease_owner = 'node-thief', lease_token = 'stolen' WHERE id = ?",
                    stolen));

    assertThat(outcome).isEqualTo(Outcome.NOT_OURS);
    assertThat(amountOf(runId)).isEqualByComparingTo("42");
    assertThat(stepStatus(runId, "First")).isEqualTo(StepStatus.IN_PROGRESS);
    assertThat(stepResults(runId)).isEmpty();
    // Left as the thief holds it: no failure counted, no lease given back.
    assertThat(query("SELECT lease_token FROM jobs WHERE id = ?", stolen)).isEqualTo("stolen");
    assertThat(query("SELECT failures FROM jobs WHERE id = ?", stolen)).isEqualTo("0");
    assertThat(query("SELECT lease_owner FROM jobs WHERE id = ?", stolen)).isEqualTo("node-thief");
  }

  // ---- Order ----

  @Test
  void runsApplyInRunIdOrderAndARunsJobsInHandOffOrder() throws SQLException {
    List<String> runIds = submitAll("Raise_Pair", 3);
    List<String> descending = runIds.stream().sorted(Comparator.reverseOrder()).toList();
    List<String> given = new ArrayList<>();
    for (String runId : descending) {
      given.add(jobOf(runId, "Second"));
      given.add(jobOf(runId, "First"));
    }

    Map<String, Outcome> outcomes = groups.run(given, (job, token) -> {});

    assertThat(outcomes.values()).containsOnly(Outcome.DONE);
    // Step results are written in the order the group applied the jobs.
    List<String> applied = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT run_id, step_name FROM events WHERE kind = 'STEP_RESULT' ORDER BY id");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        applied.add(rs.getString(1) + " " + stepName(rs.getString(2)));
      }
      connection.rollback();
    }
    List<String> expected = new ArrayList<>();
    for (String runId : runIds.stream().sorted().toList()) {
      expected.add(runId + " Second");
      expected.add(runId + " First");
    }
    assertThat(applied).containsExactlyElementsOf(expected);
  }

  @Test
  void twoGroupsOverTheSameRunsInOppositeOrderDoNotDeadlock() throws Exception {
    List<String> runIds = submitAll("Waiting", 12);
    List<String> ascending = new ArrayList<>();
    List<String> descending = new ArrayList<>();
    for (String runId : runIds.stream().sorted().toList()) {
      ascending.add(insertLeasedRecheck(runId, "a"));
    }
    for (String runId : runIds.stream().sorted(Comparator.reverseOrder()).toList()) {
      descending.add(insertLeasedRecheck(runId, "b"));
    }
    counter.reset();
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<Map<String, Outcome>>> results = new ArrayList<>();
      List<Thread> ran = java.util.Collections.synchronizedList(new ArrayList<>());
      for (List<String> group : List.of(ascending, descending)) {
        results.add(
            threads.submit(
                () -> {
                  ran.add(Thread.currentThread());
                  together.await();
                  return groups.run(group, (job, token) -> {});
                }));
      }
      for (Future<Map<String, Outcome>> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS).values()).containsOnly(Outcome.DONE);
      }
      // Each group committed once and nothing was rolled back: no deadlock, no retry, no
      // fall-back to running the jobs one by one.
      for (Thread thread : ran) {
        assertThat(counter.commits(thread)).isEqualTo(1);
        assertThat(counter.rollbacks(thread)).isZero();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(query("SELECT COUNT(*) FROM jobs WHERE kind = 'RECHECK'", null)).isEqualTo("0");
  }

  // ---- Submissions and decisions of many callers at once (work.CommandGroups) ----

  @Test
  void manyCallersSubmittingAndDecidingAtOnceEachGetTheirOwnAnswer() throws Exception {
    List<String> recordIds = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      recordIds.add(
          engine
              .records()
              .create("Expense", Map.of("Title", "At once " + i, "Amount", BigDecimal.TEN), "admin")
              .id()
              .orElseThrow());
    }
    List<String> unknown = List.of("missing-1", "missing-2", "missing-3", "missing-4");
    List<String> submitted = new ArrayList<>(recordIds);
    submitted.addAll(unknown);

    ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    try {
      // All at once: groups form from the submissions that wait while others run.
      CyclicBarrier start = new CyclicBarrier(submitted.size());
      List<Future<String>> runs = new ArrayList<>();
      for (String recordId : submitted) {
        runs.add(
            callers.submit(
                () -> {
                  start.await();
                  try {
                    return engine
                        .submissions()
                        .submit(
                            new SubmitRequest("Expense", recordId, "Waiting", Optional.empty()),
                            "admin")
                        .runId();
                  } catch (OrchestrionException e) {
                    return e.getErrorCode().name() + ": " + e.getMessage();
                  }
                }));
      }
      List<String> runIds = new ArrayList<>();
      for (int i = 0; i < submitted.size(); i++) {
        String answer = runs.get(i).get(30, TimeUnit.SECONDS);
        if (i < recordIds.size()) {
          runIds.add(answer);
        } else {
          // A failing submission fails alone, naming its own record.
          assertThat(answer).startsWith("NOT_FOUND").contains(submitted.get(i));
        }
      }
      assertThat(runIds).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).hasSize(36));
      assertThat(query("SELECT COUNT(*) FROM submissions", null)).isEqualTo("12");

      // Every item decided twice at once: one decision wins, the other is a conflict.
      List<String> items =
          runIds.stream().map(runId -> engine.workItems().ofRun(runId).getFirst().id()).toList();
      CyclicBarrier decide = new CyclicBarrier(items.size() * 2);
      List<Future<String>> decisions = new ArrayList<>();
      for (String item : items) {
        for (int twice = 0; twice < 2; twice++) {
          decisions.add(
              callers.submit(
                  () -> {
                    decide.await();
                    try {
                      return engine
                          .workItems()
                          .decide(item, Decision.APPROVE, Optional.empty(), "admin")
                          .status()
                          .name();
                    } catch (OrchestrionException e) {
                      return e.getErrorCode().name();
                    }
                  }));
        }
      }
      List<String> answers = new ArrayList<>();
      for (Future<String> decision : decisions) {
        answers.add(decision.get(30, TimeUnit.SECONDS));
      }
      assertThat(answers).filteredOn("APPROVED"::equals).hasSize(items.size());
      assertThat(answers).filteredOn("CONFLICT"::equals).hasSize(items.size());
      for (String runId : runIds) {
        assertThat(engine.runs().get(runId).status()).isEqualTo(RunStatus.COMPLETED);
      }
      // A group's audit entries go in together before its commit: each submission's history is
      // its own submit and its one winning decision, in that order; the failed and refused calls
      // left none.
      for (String runId : runIds) {
        assertThat(engine.submissions().get(engine.runs().get(runId).submissionId()).history())
            .extracting(entry -> entry.action() + " " + entry.comments().orElse(""))
            .containsExactly("SUBMIT ", "REVIEW APPROVE");
      }
      assertThat(query("SELECT COUNT(*) FROM audit_entries", null)).isEqualTo("24");
    } finally {
      callers.shutdownNow();
    }
  }

  // ---- Helpers ----

  private List<String> submitAll(String orchestration, int count) {
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String recordId =
          engine
              .records()
              .create(
                  "Expense", Map.of("Title", "Trip " + i, "Amount", new BigDecimal("42")), "admin")
              .id()
              .orElseThrow();
      runIds.add(
          engine
              .submissions()
              .submit(
                  new SubmitRequest("Expense", recordId, orchestration, Optional.empty()), "admin")
              .runId());
    }
    return runIds;
  }

  private BigDecimal amountOf(String runId) {
    RunView run = engine.runs().get(runId);
    String recordId = engine.submissions().get(run.submissionId()).recordId();
    return (BigDecimal) engine.records().get("Expense", recordId).fields().get("Amount");
  }

  private StepStatus stepStatus(String runId, String step) {
    return engine.runs().get(runId).stages().getFirst().steps().stream()
        .filter(s -> s.name().equals(step))
        .findFirst()
        .orElseThrow()
        .status();
  }

  private List<String> stepResults(String runId) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT step_name FROM events WHERE kind = 'STEP_RESULT' AND run_id = ?"
                    + " ORDER BY id")) {
      statement.setString(1, runId);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          names.add(stepName(rs.getString(1)));
        }
      }
      connection.rollback();
    }
    return names;
  }

  /** A step instance's name may carry its stage ("Only / First"): the step's own name. */
  private static String stepName(String stored) {
    return stored.endsWith("First") ? "First" : stored.endsWith("Second") ? "Second" : stored;
  }

  private String jobOf(String runId, String step) throws SQLException {
    String stepId =
        engine.runs().get(runId).stages().getFirst().steps().stream()
            .filter(candidate -> stepName(candidate.name()).equals(step))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no step " + step + " in run " + runId))
            .id();
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT id FROM jobs WHERE run_id = ? AND step_instance_id = ?")) {
      statement.setString(1, runId);
      statement.setString(2, stepId);
      try (ResultSet rs = statement.executeQuery()) {
        String id = rs.next() ? rs.getString(1) : null;
        connection.rollback();
        if (id == null) {
          throw new AssertionError("no job of step " + step + " in run " + runId);
        }
        return id;
      }
    }
  }

  private List<String> jobsOf(List<String> runIds) throws SQLException {
    List<String> jobs = new ArrayList<>();
    for (String runId : runIds) {
      jobs.add(jobOf(runId, "First"));
      jobs.add(jobOf(runId, "Second"));
    }
    return jobs;
  }

  private String insertLeasedRecheck(String runId, String suffix) throws SQLException {
    // One job per run and suffix; replacing the id's first character keeps it unique whatever
    // part of the run id is random (time-ordered ids share their leading characters).
    String id = suffix + runId.substring(1);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO jobs (id, kind, run_id, step_instance_id, attempt, due_at,"
                    + " lease_owner, lease_token, lease_until, failures, created_at)"
                    + " VALUES (?, 'RECHECK', ?, NULL, 0, ?, ?, ?, ?, 0, ?)")) {
      insert.setString(1, id);
      insert.setString(2, runId);
      insert.setObject(3, now.minusSeconds(1));
      insert.setString(4, config.nodeId());
      insert.setString(5, UUID.randomUUID().toString());
      insert.setObject(6, now.plusMinutes(5));
      insert.setObject(7, now);
      insert.executeUpdate();
      connection.commit();
    }
    return id;
  }

  private void execute(String sql, String parameter) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      statement.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String query(String sql, String parameter) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      try (ResultSet rs = statement.executeQuery()) {
        String value = rs.next() ? rs.getString(1) : null;
        connection.rollback();
        return value;
      }
    }
  }
}
