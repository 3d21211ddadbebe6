package io.orchestrion.engine.events;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.spi.directory.User;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A decision's events are numbered when {@code decide} returns (a caller that reads the feed right
 * after the answer sees them): its transaction numbers them at insert, at once or after waiting for
 * the sequencer's lock, on every dialect ({@code EventSequencer.numberBeforeCommit}).
 */
abstract class DecisionNumberingContract {
  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    database = createDatabase();
    harness = EngineHarness.start(database);
    engine = harness.engine();
    harness.defineExpense();
    engine.directory().saveUser(User.of("bob", "Bob (manager)"));
    engine.directory().saveUser(User.of("alice", "Alice").withManager("bob"));
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Manager_Only", "objectType": "Expense",
                 "stages": [{"name": "Review", "steps": [
                   {"name": "Manager_Approval", "kind": "APPROVAL",
                    "assignee": {"type": "SUBMITTER_MANAGER"}, "onReject": "REJECT_SUBMISSION",
                    "start": {"type": "STAGE_STARTS"}}]}]}
                """),
            true);
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  @Test
  void theDecisionsEventsAreNumberedWhenDecideReturns() {
    SubmissionView submission =
        EngineHarness.submitExpense(engine, "Manager_Only", "alice", "Dinner", "25.00");
    WorkItemView item = awaitItem(submission.runId());
    long before = eventsOf(submission.runId());

    engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "bob");

    assertThat(eventsOf(submission.runId())).isGreaterThan(before);
    assertThat(unnumberedOf(submission.runId())).isZero();
  }

  @Test
  void aDecisionThatFindsTheSequencerTakenWaitsForItAndCommitsItsEventsNumbered() throws Exception {
    SubmissionView submission =
        EngineHarness.submitExpense(engine, "Manager_Only", "alice", "Dinner", "25.00");
    WorkItemView item = awaitItem(submission.runId());
    long numberedBefore = lastSequence();
    long eventsBefore = eventsOf(submission.runId());
    Database db = database.database();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () ->
                db.inTransaction(
                    tx -> {
                      try (PreparedStatement lock =
                          tx.connection()
                              .prepareStatement(
                                  "SELECT last_sequence FROM event_sequencer WHERE id = 1"
                                      + " FOR UPDATE")) {
                        lock.executeQuery().close();
                      }
                      locked.countDown();
                      awaitRelease(release);
                      return null;
                    }),
            threads);
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<WorkItemView> decided =
        CompletableFuture.supplyAsync(
            () -> engine.workItems().decide(item.id(), Decision.APPROVE, Optional.empty(), "bob"),
            threads);
    // On every dialect (PostgreSQL's hand-offs skip a taken lock) the decision waits for the lock
    // before it commits, then numbers its events at insert: nothing committed meanwhile.
    Thread.sleep(300);
    assertThat(engine.workItems().get(item.id(), "bob").status())
        .isEqualTo(WorkItemStatus.ASSIGNED);
    assertThat(eventsOf(submission.runId())).isEqualTo(eventsBefore);
    assertThat(decided).isNotDone();
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
    assertThat(decided.get(10, TimeUnit.SECONDS).status()).isEqualTo(WorkItemStatus.APPROVED);
    assertThat(unnumberedOf(submission.runId())).isZero();
    assertThat(lastSequence()).isGreaterThan(numberedBefore);
  }

  private WorkItemView awaitItem(String runId) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      List<WorkItemView> items = engine.workItems().ofRun(runId);
      if (!items.isEmpty()) {
        return items.getFirst();
      }
      pause();
    }
    throw new AssertionError("no work item in 20 s");
  }

  private long eventsOf(String runId) {
    return count("SELECT COUNT(*) FROM events WHERE run_id = ?", runId);
  }

  private long unnumberedOf(String runId) {
    return count("SELECT COUNT(*) FROM events WHERE run_id = ? AND sequence IS NULL", runId);
  }

  private long lastSequence() {
    return count("SELECT last_sequence FROM event_sequencer WHERE id = ?", 1);
  }

  private long count(String sql, Object parameter) {
    return database
        .database()
        .inTransaction(
            tx -> {
              try (PreparedStatement statement = tx.connection().prepareStatement(sql)) {
                statement.setObject(1, parameter);
                try (ResultSet rs = statement.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              }
            });
  }

  private static void awaitRelease(CountDownLatch release) {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
