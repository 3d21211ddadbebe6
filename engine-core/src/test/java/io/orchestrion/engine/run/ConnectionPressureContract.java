package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import io.orchestrion.api.ErrorType;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.spi.directory.GroupMember;
import io.orchestrion.spi.directory.PublicGroup;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One connection per transaction under pressure (issue 8, section 1): an engine whose pool is
 * smaller than its worker count drains hundreds of queued asynchronous jobs after a restart, with
 * cold caches, and serves many simultaneous decisions, without a single pool timeout. A thread that
 * asked for a second connection inside a transaction would fail fast (Database's guard) and show up
 * here as a step ERROR or a failed decision. Runs on H2 and on PostgreSQL.
 */
abstract class ConnectionPressureContract {
  private static final int POOL_SIZE = 4;
  private static final int WORKERS = 8;
  private static final int SUBMISSIONS = 50;
  private static final int QUEUED_PER_SUBMISSION = 4;
  private static final int DECIDERS = 16;
  private static final int ITEMS = 3;

  private TestDatabase database;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicInteger poolTimeouts = new AtomicInteger();

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables.reversed()) {
      closeable.close();
    }
    database.close();
  }

  @Test
  void hundredsOfQueuedJobsDrainAfterARestartOnAPoolSmallerThanTheWorkers() throws Exception {
    // The first node accepts every submission but runs no worker: its jobs wait in the table.
    EngineHarness first = EngineHarness.start(database, EngineHarness.config(database, false));
    first.defineExpense();
    first.activateFlows("flow-log-only.json");
    first
        .engine()
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Pressure", "objectType": "Expense",
                 "stages": [{"name": "Intake", "steps": [%s, %s, %s, %s, %s]}]}
                """
                    .formatted(
                        logStep("A", "{\"type\": \"STAGE_STARTS\"}"),
                        logStep("B", "{\"type\": \"STAGE_STARTS\"}"),
                        logStep("C", "{\"type\": \"STAGE_STARTS\"}"),
                        logStep("D", "{\"type\": \"STAGE_STARTS\"}"),
                        logStep("E", "{\"type\": \"STEP_COMPLETED\", \"step\": \"A\"}"))),
            true);
    // Submitted from a few threads at once, only to make the set-up quicker.
    try (ExecutorService submitters = Executors.newFixedThreadPool(4)) {
      List<Future<SubmissionView>> submitted = new ArrayList<>();
      for (int i = 0; i < SUBMISSIONS; i++) {
        submitted.add(submitters.submit(() -> submit(first.engine(), "Pressure")));
      }
      for (Future<SubmissionView> submission : submitted) {
        submission.get(60, TimeUnit.SECONDS);
      }
    }
    first.close();
    assertThat(count("SELECT COUNT(*) FROM jobs WHERE kind = 'FLOW'"))
        .isEqualTo((long) QUEUED_PER_SUBMISSION * SUBMISSIONS);

    // A new node with cold caches, more workers than connections.
    long started = System.nanoTime();
    startEngineOnSmallPool();
    awaitZero("SELECT COUNT(*) FROM runs WHERE status = 'IN_PROGRESS'", 45);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf(
        "%s: %d runs (%d jobs) drained on %d connections and %d workers in %d ms%n",
        database.kind(), SUBMISSIONS, 5 * SUBMISSIONS, POOL_SIZE, WORKERS, millis);

    assertThat(count("SELECT COUNT(*) FROM runs WHERE status = 'COMPLETED'"))
        .isEqualTo(SUBMISSIONS);
    List<String> stepStatuses = stepStatuses();
    assertThat(stepStatuses).hasSize(5 * SUBMISSIONS).containsOnly("COMPLETED");
    awaitZero("SELECT COUNT(*) FROM jobs WHERE kind = 'FLOW'", 10);
    assertThat(poolTimeouts).hasValue(0);
  }

  @Test
  void manySimultaneousDecisionsOnAPoolSmallerThanTheDecidersEachItemDecidedOnce()
      throws Exception {
    OrchestrionEngine engine = startEngineOnSmallPool();
    engine
        .objectTypes()
        .define(
            EngineHarness.read(
                EngineHarness.fixture("expense.object.json"),
                io.orchestrion.api.object.ObjectTypeDefinition.class));
    List<GroupMember> members = new ArrayList<>();
    for (int d = 1; d <= DECIDERS; d++) {
      engine.directory().saveUser(User.of(decider(d), "Decider " + d));
      members.add(GroupMember.user(decider(d)));
    }
    engine.directory().saveGroup(new PublicGroup("Deciders", "Deciders", members));
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Decide", "objectType": "Expense",
                 "stages": [{"name": "Review", "steps": [
                   {"name": "Approve", "kind": "APPROVAL",
                    "assignee": {"type": "GROUP", "group": "Deciders"},
                    "onReject": "REJECT_SUBMISSION", "start": {"type": "STAGE_STARTS"}}]}]}
                """),
            true);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      SubmissionView submission = submit(engine, "Decide");
      items.add(engine.workItems().ofRun(submission.runId()).getFirst().id());
    }

    Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
    AtomicInteger conflicts = new AtomicInteger();
    List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService deciders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> decisions = new ArrayList<>();
      for (String item : items) {
        for (int d = 1; d <= DECIDERS; d++) {
          String user = decider(d);
          decisions.add(
              deciders.submit(
                  () -> {
                    go.await();
                    try {
                      engine.workItems().decide(item, Decision.APPROVE, Optional.empty(), user);
                      wins.computeIfAbsent(item, key -> new AtomicInteger()).incrementAndGet();
                    } catch (OrchestrionException e) {
                      if (e.getErrorCode().type() == ErrorType.CONFLICT) {
                        conflicts.incrementAndGet();
                      } else {
                        unexpected.add(e);
                      }
                    } catch (RuntimeException e) {
                      unexpected.add(e);
                    }
                    return null;
                  }));
        }
      }
      go.countDown();
      for (Future<?> decision : decisions) {
        decision.get(60, TimeUnit.SECONDS);
      }
    }

    assertThat(unexpected).isEmpty();
    assertThat(wins).hasSize(ITEMS);
    assertThat(wins.values()).allSatisfy(won -> assertThat(won).hasValue(1));
    assertThat(conflicts).hasValue(ITEMS * (DECIDERS - 1));
    assertThat(count("SELECT COUNT(*) FROM submissions WHERE status = 'APPROVED'"))
        .isEqualTo(ITEMS);
    assertThat(poolTimeouts).hasValue(0);
  }

  private static String decider(int number) {
    return "decider%02d".formatted(number);
  }

  private static String logStep(String name, String start) {
    return """
        {"name": "%s", "kind": "BACKGROUND", "flow": "Log_Only",
         "inputs": {"recordId": {"ref": "$Record.Id"}}, "start": %s}
        """
        .formatted(name, start);
  }

  private static SubmissionView submit(OrchestrionEngine engine, String orchestration) {
    RecordData record =
        engine
            .records()
            .create(
                "Expense",
                Map.of("Title", "Pressure", "Amount", new BigDecimal("10.00"), "Status", "Draft"),
                "alice");
    return engine
        .submissions()
        .submit(
            new SubmitRequest(
                "Expense", record.id().orElseThrow(), orchestration, Optional.empty()),
            "alice");
  }

  /**
   * An engine with {@value #WORKERS} workers on a pool of its own with {@value #POOL_SIZE}
   * connections that counts the requests for a connection that timed out (after 10 s).
   */
  private OrchestrionEngine startEngineOnSmallPool() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("pressure");
    config.setJdbcUrl(database.jdbcUrl());
    if (database.kind() == TestDatabaseKind.POSTGRESQL) {
      config.setUsername("postgres");
    }
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setMetricsTrackerFactory(
        (poolName, stats) ->
            new IMetricsTracker() {
              @Override
              public void recordConnectionTimeout() {
                poolTimeouts.incrementAndGet();
              }
            });
    HikariDataSource pool = new HikariDataSource(config);
    closeables.add(pool);
    OrchestrionEngine engine =
        OrchestrionEngine.create(
            EngineHarness.config(database, true).withWorkerConcurrency(WORKERS),
            pool,
            Clock.systemUTC());
    closeables.add(engine);
    engine.start();
    return engine;
  }

  private void awaitZero(String sql, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long left = count(sql);
    while (left > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      left = count(sql);
    }
    assertThat(left).as("%s after %d s", sql, seconds).isZero();
  }

  /** The status of every step instance of every run (from the runs' documents of instances). */
  private List<String> stepStatuses() {
    ObjectMapper mapper = new ObjectMapper();
    return database
        .database()
        .inTransaction(
            tx -> {
              List<String> statuses = new ArrayList<>();
              try (PreparedStatement statement =
                      tx.connection().prepareStatement("SELECT instances FROM runs");
                  ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                  for (JsonNode step : mapper.readTree(rows.getString(1)).path("steps")) {
                    statuses.add(step.path("status").asText());
                  }
                }
              } catch (JsonProcessingException e) {
                throw new AssertionError(e);
              }
              return statuses;
            });
  }

  private long count(String sql) {
    return database
        .database()
        .inTransaction(
            tx -> {
              try (PreparedStatement statement = tx.connection().prepareStatement(sql);
                  ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
              }
            });
  }
}
