package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.SubmissionStatus;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.persistence.ForwardingDataSource;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.directory.User;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements of the submit and of the decision, counted at the JDBC boundary on a real H2
 * database (issue #11): the submit ends with its last write — its answer is built from what it
 * wrote, not read back — and the decision finds the work item's run in the statement that locks it,
 * writes, and deletes the item's jobs only when its step has an escalation ladder (the only jobs a
 * work item has). Only the test thread's transactions are counted (no workers run).
 *
 * <p>Counts are executions (a batch of n counts n), one approval step, caches warm: the submit 8 (9
 * while its open-submission check and the cache revisions' read were two statements), the decision
 * 7 without an escalation ladder and 8 with one. Before V20 the stage and step instances were rows
 * of their own, one insert each (submit 11) and one update each (decision 9 and 10); before that
 * the submit read its answer back (12) and the decision read its item and the cache revisions apart
 * (13). A change of these paths updates the counts below.
 */
class CommandStatementsH2Test {
  private static final String SINGLE =
      """
      {"apiName": "%s", "objectType": "Expense", "stages": [{"name": "Review", "steps": [
        {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}%s}
      ]}]}
      """;

  /** An approval, then a stage whose step takes the record's id as its input. */
  private static final String THEN_LOG =
      """
      {"apiName": "Then_Log", "objectType": "Expense", "stages": [
        {"name": "Review", "steps": [
          {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}}]},
        {"name": "Log", "steps": [
          {"name": "Log", "kind": "BACKGROUND", "flow": "Log_Only",
           "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": {"type": "STAGE_STARTS"}}]}]}
      """;

  private TestDatabase database;
  private CountingDataSource counting;
  private OrchestrionEngine engine;

  @BeforeEach
  void setUp() {
    database = TestDatabases.h2();
    counting = new CountingDataSource(database.dataSource());
    engine =
        OrchestrionEngine.create(
            EngineHarness.config(database, false), counting, Clock.systemUTC());
    engine.start();
    engine
        .objectTypes()
        .define(
            EngineHarness.read(
                EngineHarness.fixture("expense.object.json"),
                io.orchestrion.api.object.ObjectTypeDefinition.class));
    engine.directory().saveUser(User.of("alice", "Alice"));
    engine.directory().saveUser(User.of("bob", "Bob"));
    engine.orchestrations().deploy(orchestration(SINGLE.formatted("Single", "")), true);
    engine
        .orchestrations()
        .deploy(
            orchestration(
                SINGLE.formatted(
                    "Laddered",
                    ", \"escalation\": [{\"after\": \"PT1H\", \"action\": \"REMIND\"}]")),
            true);
    engine.flows().deploy(EngineHarness.flow("flow-log-only.json"), true);
    engine.orchestrations().deploy(orchestration(THEN_LOG), true);
  }

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
    database.close();
  }

  @Test
  void theSubmitEndsWithItsWritesAndTheDecisionFindsTheItemsRunWithItsLock() {
    // Once first, so that caches (definitions, the directory index) are warm.
    approveOne("Single");

    List<String> submitStatements = submitting("Single");
    assertThat(submitStatements)
        .as(String.join("\n", submitStatements))
        .noneMatch(sql -> sql.startsWith("SELECT") && sql.contains("FROM submissions WHERE id"))
        .noneMatch(sql -> sql.contains("FROM audit_entries"))
        .noneMatch(sql -> sql.contains("SELECT *"))
        // The stage and step instances are a document in the run's row, not rows of their own.
        .noneMatch(sql -> sql.contains("_instances"))
        // The cache revisions come with the open-submission check, not in a statement of their own.
        .noneMatch(sql -> sql.contains("CROSS JOIN definition_revision"))
        .hasSize(7);
    assertThat(submitStatements.getFirst())
        .contains("FROM submissions WHERE open_record_key = ?")
        .contains("FROM definition_revision");
    // The events last, numbered by their own INSERT: its first row advances the sequencer's
    // counter past all of them once (H2 waits for its lock), the others follow on from it; no
    // reserve statement before it.
    String events = submitStatements.getLast();
    assertThat(events)
        .startsWith("SELECT sequence FROM FINAL TABLE (INSERT INTO events")
        .containsOnlyOnce("UPDATE event_sequencer")
        .doesNotContain("last_sequence + 1 ")
        .contains("@orchestrion_first_event + 1,");
    assertThat(submitStatements).filteredOn(sql -> sql.contains("event_sequencer")).hasSize(1);

    SubmissionView submission = lastSubmitted;
    WorkItemView item = engine.workItems().ofRun(submission.runId()).getFirst();
    List<String> decision = decisionOf(item);
    assertThat(decision)
        .as(String.join("\n", decision))
        .noneMatch(sql -> sql.contains("FROM work_items w"))
        .noneMatch(sql -> sql.contains("DELETE FROM jobs WHERE work_item_id"))
        // The run's parts come from the node's run cache (its revision matched): no child reads.
        .noneMatch(sql -> sql.contains("FROM work_items WHERE run_id"))
        // The cache revisions come with the run's lock, not in a statement of their own.
        .noneMatch(sql -> sql.contains("CROSS JOIN definition_revision"))
        .noneMatch(sql -> sql.contains("_instances"))
        .hasSize(6);
    // The first statement finds the item's run, locks it and reads the cache revisions; the item
    // is not read on its own.
    // On H2 the lock is an UPDATE's final table, which H2 keeps parsed (a FOR UPDATE it parses at
    // every execution).
    assertThat(decision.getFirst())
        .startsWith("SELECT id, submission_id")
        .contains("FROM definition_revision")
        .contains("FROM FINAL TABLE (UPDATE runs SET revision = revision")
        .contains("WHERE id = (SELECT run_id FROM work_items WHERE id = ?)")
        .doesNotContain("FOR UPDATE");
    assertThat(decision).filteredOn(sql -> sql.contains("FROM work_items")).hasSize(1);
    assertThat(engine.submissions().get(submission.id()).status())
        .isEqualTo(SubmissionStatus.APPROVED);
  }

  @Test
  void anItemWhoseStepHasAnEscalationLadderHasItsJobsDeletedWhenDecided() throws Exception {
    approveOne("Laddered");
    submit("Laddered");
    WorkItemView item = engine.workItems().ofRun(lastSubmitted.runId()).getFirst();
    assertThat(rungJobs(item.id())).isEqualTo(1);

    List<String> decision = decisionOf(item);

    assertThat(decision)
        .as(String.join("\n", decision))
        .contains("DELETE FROM jobs WHERE work_item_id = ?")
        .hasSize(7);
    assertThat(rungJobs(item.id())).isZero();
  }

  @Test
  void aStepTakingTheRecordsIdStartsWithoutReadingTheRecord() {
    approveOne("Then_Log");
    submit("Then_Log");
    WorkItemView item = engine.workItems().ofRun(lastSubmitted.runId()).getFirst();

    List<String> decision = decisionOf(item);

    // The decision starts the Log stage, whose step's input is $Record.Id: the submission's
    // record id, not a read of the record.
    assertThat(decision)
        .as(String.join("\n", decision))
        .anyMatch(sql -> sql.startsWith("INSERT INTO jobs"))
        .noneMatch(sql -> sql.contains("FROM rec_expense"));
  }

  private SubmissionView lastSubmitted;

  private void submit(String orchestration) {
    lastSubmitted = EngineHarness.submitExpense(engine, orchestration, "alice", "Taxi", "30");
  }

  private void approveOne(String orchestration) {
    submit(orchestration);
    WorkItemView item = engine.workItems().ofRun(lastSubmitted.runId()).getFirst();
    engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "bob");
  }

  /** The statements of the transaction that submitted (the record is created before, apart). */
  private List<String> submitting(String orchestration) {
    List<List<String>> transactions = counting.transactionsOf(() -> submit(orchestration));
    List<List<String>> submitting =
        transactions.stream()
            .filter(
                statements -> statements.stream().anyMatch(s -> s.startsWith("INSERT INTO sub")))
            .toList();
    assertThat(submitting).as(transactions.toString()).hasSize(1);
    return submitting.getFirst();
  }

  /** The statements of the transaction that decided {@code item} (bob approves). */
  private List<String> decisionOf(WorkItemView item) {
    List<List<String>> transactions =
        counting.transactionsOf(
            () -> {
              WorkItemView decided =
                  engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "bob");
              assertThat(decided.status()).isEqualTo(WorkItemStatus.APPROVED);
            });
    List<List<String>> deciding =
        transactions.stream()
            .filter(statements -> statements.stream().anyMatch(s -> s.startsWith("UPDATE work_")))
            .toList();
    assertThat(deciding).as(transactions.toString()).hasSize(1);
    return deciding.getFirst();
  }

  private int rungJobs(String workItemId) throws Exception {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM jobs WHERE work_item_id = ? AND kind = 'ESCALATION'")) {
      statement.setString(1, workItemId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Records, on the counted thread only, the statements executed on its connections (a batch of n
   * as n entries), grouped by the transaction they committed in.
   */
  private static final class CountingDataSource extends ForwardingDataSource {
    private volatile Thread counted;
    private final List<List<String>> committed = new ArrayList<>();

    CountingDataSource(DataSource delegate) {
      super(delegate);
    }

    /** The transactions {@code work} committed on this thread, each as its statements. */
    synchronized List<List<String>> transactionsOf(Runnable work) {
      committed.clear();
      counted = Thread.currentThread();
      try {
        work.run();
      } finally {
        counted = null;
      }
      return List.copyOf(committed);
    }

    @Override
    protected Connection wrap(Connection connection) {
      if (Thread.currentThread() != counted) {
        return connection;
      }
      List<String> open = new ArrayList<>();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("commit")) {
                  Object result = invoke(connection, method, args);
                  committed.add(List.copyOf(open));
                  open.clear();
                  return result;
                }
                if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                  open.clear();
                }
                Object result = invoke(connection, method, args);
                if (result instanceof PreparedStatement statement
                    && method.getName().equals("prepareStatement")) {
                  return recording(statement, PreparedStatement.class, (String) args[0], open);
                }
                if (result instanceof Statement statement
                    && method.getName().equals("createStatement")) {
                  return recording(statement, Statement.class, null, open);
                }
                return result;
              });
    }

    private static <T extends Statement> T recording(
        T statement, Class<T> type, String prepared, List<String> open) {
      return type.cast(
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {type},
              (proxy, method, args) -> {
                Object result = invoke(statement, method, args);
                String name = method.getName();
                if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                  int size = result instanceof int[] counts ? counts.length : 1;
                  for (int i = 0; i < size; i++) {
                    open.add(normalized(prepared));
                  }
                } else if (name.startsWith("execute")) {
                  open.add(
                      normalized(args != null && args.length > 0 ? (String) args[0] : prepared));
                }
                return result;
              }));
    }

    private static String normalized(String sql) {
      return sql == null ? "" : sql.replaceAll("\\s+", " ").trim();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
