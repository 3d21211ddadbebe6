package io.orchestrion.engine.run;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.run.WorkItemStatus;
import io.orchestrion.engine.OrchestrionEngine;
import io.orchestrion.engine.api.Decision;
import io.orchestrion.engine.api.SubmissionFilter;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.api.SubmitRequest;
import io.orchestrion.engine.api.WorkItemView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestDatabases;
import io.orchestrion.spi.directory.User;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Idempotency keys stored in the database (SPEC §12, issue 8 §9), through a real engine: one effect
 * per user and key, the first result for a repeat, a conflict naming the key for another request,
 * one effect for concurrent requests, and expiry. One engine for the class (keys and records are
 * unique per test); keys are kept {@link #RETENTION}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdempotencyKeysContract {
  private static final Duration RETENTION = Duration.ofSeconds(2);
  private static final String ONE_APPROVAL =
      """
      {"apiName": "Keyed", "objectType": "Expense", "stages": [{"name": "Only", "steps": [
        {"name": "Approve", "kind": "APPROVAL", "assignee": {"type": "USER", "userId": "bob"}}]}]}
      """;

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;

  protected abstract TestDatabaseKind kind();

  @BeforeAll
  void setUp() {
    database = TestDatabases.create(kind());
    harness =
        EngineHarness.start(
            database, EngineHarness.config(database, false).withIdempotencyKeyRetention(RETENTION));
    engine = harness.engine();
    harness.defineExpense();
    engine.directory().saveUser(User.of("bob", "Bob"));
    engine.directory().saveUser(User.of("alice", "Alice").withManager("bob"));
    engine.orchestrations().deploy(orchestration(ONE_APPROVAL), true);
  }

  @AfterAll
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  @Test
  void theSameKeyAndRequestReturnTheFirstSubmission() {
    RecordData record = expense();
    SubmissionView first = submit(record, "key-repeat", "please");
    SubmissionView again = submit(record, "key-repeat", "please");

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(submissionsOf(record)).containsExactly(first.id());
    // Without the key the same request is a conflict: the record has a submission in progress.
    OrchestrionException conflict =
        catchThrowableOfType(
            OrchestrionException.class,
            () ->
                engine
                    .submissions()
                    .submit(
                        new SubmitRequest(
                            "Expense", record.id().orElseThrow(), "Keyed", Optional.of("please")),
                        "alice"));
    assertThat(conflict).hasMessageContaining("IN_PROGRESS");
  }

  @Test
  void theSameKeyWithAnotherRequestIsAConflictNamingTheKey() {
    RecordData record = expense();
    submit(record, "key-other", "first");

    OrchestrionException refused =
        catchThrowableOfType(
            OrchestrionException.class, () -> submit(expense(), "key-other", "second"));

    assertThat(refused.getErrorCode().name()).isEqualTo("CONFLICT");
    assertThat(refused)
        .hasMessageContaining(
            "Idempotency-Key 'key-other' was already used for a different request");
    // Keys are per user: bob may use the same key for his own request.
    SubmissionView bobs =
        engine
            .submissions()
            .submit(
                new SubmitRequest(
                    "Expense", expense().id().orElseThrow(), "Keyed", Optional.empty()),
                "bob",
                Optional.of("key-other"));
    assertThat(bobs.submitterId()).isEqualTo("bob");
  }

  @Test
  void concurrentRequestsWithOneKeyHaveOneEffect() throws Exception {
    RecordData record = expense();
    int threads = 6;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            executor.submit(
                () -> {
                  start.await();
                  return submit(record, "key-race", "race").id();
                }));
      }
      start.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<String> result : results) {
        ids.add(result.get(30, TimeUnit.SECONDS));
      }
      assertThat(ids).hasSize(threads).containsOnly(ids.get(0));
      assertThat(submissionsOf(record)).containsExactly(ids.get(0));
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aRepeatedDecisionWithItsKeyReturnsTheDecidedItem() {
    SubmissionView submission = submit(expense(), "key-submit-for-decision", "");
    WorkItemView item = engine.workItems().ofRun(submission.runId()).get(0);

    WorkItemView decided =
        engine
            .workItems()
            .decide(item.id(), Decision.APPROVE, Optional.of("ok"), "bob", Optional.of("key-d"));
    WorkItemView again =
        engine
            .workItems()
            .decide(item.id(), Decision.APPROVE, Optional.of("ok"), "bob", Optional.of("key-d"));

    assertThat(decided.status()).isEqualTo(WorkItemStatus.APPROVED);
    assertThat(again.id()).isEqualTo(decided.id());
    assertThat(again.status()).isEqualTo(WorkItemStatus.APPROVED);
    OrchestrionException second =
        catchThrowableOfType(
            OrchestrionException.class,
            () ->
                engine
                    .workItems()
                    .decide(
                        item.id(), Decision.REJECT, Optional.empty(), "bob", Optional.of("key-d")));
    assertThat(second).hasMessageContaining("Idempotency-Key 'key-d'");
  }

  @Test
  void aKeyExpiresAfterItsRetentionAndIsPurged() throws Exception {
    SubmissionView first = submit(expense(), "key-expiring", "one");
    assertThat(storedKeys("key-expiring")).isEqualTo(1);

    Thread.sleep(RETENTION.toMillis() + 200);

    assertThat(engine.idempotencyKeys().purgeExpired()).isGreaterThanOrEqualTo(1);
    assertThat(storedKeys("key-expiring")).isZero();
    SubmissionView second = submit(expense(), "key-expiring", "another request");
    assertThat(second.id()).isNotEqualTo(first.id());
  }

  @Test
  void aBlankOrOverlongKeyIsRefusedNamingTheHeader() {
    OrchestrionException refused =
        catchThrowableOfType(
            OrchestrionException.class, () -> submit(expense(), "k".repeat(201), ""));
    assertThat(refused.getErrorCode().name()).isEqualTo("INVALID_REQUEST");
    assertThat(refused).hasMessageContaining("Idempotency-Key must have 1 to 200 characters");
  }

  private SubmissionView submit(RecordData record, String key, String comments) {
    return engine
        .submissions()
        .submit(
            new SubmitRequest(
                "Expense",
                record.id().orElseThrow(),
                "Keyed",
                comments.isEmpty() ? Optional.empty() : Optional.of(comments)),
            "alice",
            Optional.of(key));
  }

  private List<String> submissionsOf(RecordData record) {
    return engine
        .submissions()
        .list(
            new SubmissionFilter(
                Optional.of("Expense"), Optional.of(record.id().orElseThrow()), Optional.empty()),
            Optional.empty(),
            50)
        .items()
        .stream()
        .map(SubmissionView::id)
        .toList();
  }

  private int storedKeys(String key) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key = ?")) {
      select.setString(1, key);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private RecordData expense() {
    return engine
        .records()
        .create(
            "Expense",
            Map.of("Title", "Conference", "Amount", new BigDecimal("10"), "Status", "Draft"),
            "alice");
  }
}
