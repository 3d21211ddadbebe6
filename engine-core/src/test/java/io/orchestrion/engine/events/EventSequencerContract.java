package io.orchestrion.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: sequence numbers follow commit order, so that a reader that has seen up to N never
 * misses an event that commits later. The classic failure is numbering at insert time: a
 * transaction that inserts first and commits last publishes a smaller number after a reader already
 * moved past it.
 */
abstract class EventSequencerContract {
  private TestDatabase testDatabase;
  private Database database;
  private EventSequencer sequencer;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() {
    testDatabase = createDatabase();
    database = testDatabase.database();
    sequencer = new EventSequencer(database, new WorkSignals());
  }

  @AfterEach
  void tearDown() {
    testDatabase.close();
  }

  @Test
  void anEventInsertedFirstButCommittedLastGetsTheLargerNumber() throws Exception {
    CountDownLatch inserted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> slow =
        CompletableFuture.runAsync(
            () ->
                database.inTransaction(
                    tx -> {
                      insertEvent(tx.connection(), "slow");
                      inserted.countDown();
                      await(release);
                      return null;
                    }));
    assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
    database.inTransaction(tx -> insertEvent(tx.connection(), "fast"));

    assertThat(sequencer.sequenceOnce()).isEqualTo(1);
    List<String> firstRead = readAfter(0);
    assertThat(firstRead).containsExactly("fast");

    release.countDown();
    slow.get(10, TimeUnit.SECONDS);
    assertThat(sequencer.sequenceOnce()).isEqualTo(1);

    // A reader that saw sequence 1 asks for what comes after it and gets the slow event.
    assertThat(readAfter(1)).containsExactly("slow");
    assertThat(sequencer.sequenceOnce()).isZero();
  }

  @Test
  void oneNumberingTransactionServesManyEventsInOrder() {
    for (int i = 0; i < 25; i++) {
      String id = "e" + i;
      database.inTransaction(tx -> insertEvent(tx.connection(), id));
    }
    assertThat(sequencer.sequenceOnce()).isEqualTo(25);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.add("e" + i);
    }
    assertThat(readAfter(0)).containsExactlyElementsOf(expected);
  }

  @Test
  void numbersHaveNoHolesWhereIdsDoAndBatchesFollowOneAnother() {
    // An insert rolled back leaves a hole in the ids, not in the sequence.
    database.inTransaction(tx -> insertEvent(tx.connection(), "before"));
    try {
      database.inTransaction(
          tx -> {
            insertEvent(tx.connection(), "rolled-back");
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // the event's id is used up, the event is gone
    }
    // More than one batch (1,000), written in one transaction.
    database.inTransaction(
        tx -> {
          for (int i = 0; i < 1_050; i++) {
            insertEvent(tx.connection(), "many-" + i);
          }
          return null;
        });

    assertThat(sequencer.numberCommitted()).isEqualTo(1_051);

    List<String> expected = new ArrayList<>();
    expected.add("before");
    for (int i = 0; i < 1_050; i++) {
      expected.add("many-" + i);
    }
    assertThat(readAfter(0)).containsExactlyElementsOf(expected);
    assertThat(sequenceOf("before")).isEqualTo(1);
    assertThat(sequenceOf("many-1049")).isEqualTo(1_051);
    assertThat(lastSequence()).isEqualTo(1_051);
    assertThat(sequencer.sequenceOnce()).isZero();
    assertThat(lastSequence()).isEqualTo(1_051);
  }

  private long lastSequence() {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement statement =
                  tx.connection()
                      .prepareStatement("SELECT last_sequence FROM event_sequencer WHERE id = 1");
              ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Test
  void numberCommittedReturnsOnlyWhenTheCallersCommittedEventIsNumberedEvenWhenItSharesARun()
      throws Exception {
    int threads = 6;
    int rounds = 15;
    List<CompletableFuture<Void>> callers = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      callers.add(
          CompletableFuture.runAsync(
              () -> {
                await(start);
                for (int round = 0; round < rounds; round++) {
                  String id = "t" + thread + "-" + round;
                  database.inTransaction(tx -> insertEvent(tx.connection(), id));
                  sequencer.numberCommitted();
                  assertThat(sequenceOf(id)).as(id).isPositive();
                }
              }));
    }
    start.countDown();
    for (CompletableFuture<Void> caller : callers) {
      caller.get(60, TimeUnit.SECONDS);
    }
    assertThat(readAfter(0)).hasSize(threads * rounds).doesNotHaveDuplicates();
    assertThat(sequencer.numberCommitted()).isZero();
  }

  private long sequenceOf(String eventId) {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement statement =
              tx.connection()
                  .prepareStatement(
                      "SELECT COALESCE(sequence, 0) FROM events WHERE event_id = ?")) {
            statement.setString(1, eventId);
            try (ResultSet rs = statement.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  private static Void insertEvent(java.sql.Connection connection, String eventId)
      throws java.sql.SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO events (event_id, kind, run_id, payload, published_at)"
                + " VALUES (?, 'MANUAL', 'run-1', '{}', ?)")) {
      statement.setString(1, eventId);
      statement.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
      statement.executeUpdate();
    }
    return null;
  }

  private List<String> readAfter(long sequence) {
    return database.inTransaction(
        tx -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement statement =
              tx.connection()
                  .prepareStatement(
                      "SELECT event_id FROM events WHERE sequence > ? ORDER BY sequence")) {
            statement.setLong(1, sequence);
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          return ids;
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
