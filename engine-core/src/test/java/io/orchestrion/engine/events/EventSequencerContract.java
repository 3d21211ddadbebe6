package io.orchestrion.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4: sequence numbers follow commit order, so that a reader that has seen up to N never
 * misses an event that commits later. The classic failure is numbering at insert time: a
 * transaction that inserts first and commits last publishes a smaller number after a reader already
 * moved past it. Numbering at insert is safe only for a transaction that holds the sequencer's lock
 * until it commits ({@link EventSequencer#reserve}); one that finds it taken waits for it (H2) or
 * falls back to numbering after commit (PostgreSQL). Most tests here force the fallback on both
 * databases, since its numbering (by the next holder, by a numbering transaction) must be right
 * wherever it happens; {@link
 * #underTheDialectsChoiceATransactionFindingTheLockTakenWaitsOrFallsBack} checks each dialect's own
 * choice.
 */
abstract class EventSequencerContract {
  private TestDatabase testDatabase;
  private Database database;
  private EventSequencer sequencer;
  // How many transactions numbered at insert and fell back, through the writer below.
  private final AtomicInteger numberedAtInsert = new AtomicInteger();
  private final AtomicInteger fellBack = new AtomicInteger();
  // How many transactions reserved their numbers in the events' INSERT.
  private final AtomicInteger reservedInInsert = new AtomicInteger();
  // Threads of their own: the common pool may have one thread on a small machine.
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** Writes events as the engine's writer does: last, numbered at insert when the lock is free. */
  private final Transaction.BeforeCommit<String> writer = this::writeNumbered;

  protected abstract TestDatabase createDatabase();

  /** Whether, on this database, a hand-off that finds the lock taken waits for it. */
  protected abstract boolean waitsForTheLock();

  /**
   * Whether, on this database, a hand-off that does not wait (forced by most tests) reserves in its
   * events' INSERT.
   */
  protected abstract boolean reservesInTheInsert();

  @BeforeEach
  void setUp() {
    testDatabase = createDatabase();
    database = testDatabase.database();
    sequencer = new EventSequencer(database, new WorkSignals(), dialect -> false);
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
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

  @Test
  void aTransactionThatTakesTheFreeLockNumbersItsEventsAtInsertAndNeedsNoNumberingTransaction() {
    database.inTransaction(
        tx -> {
          tx.beforeCommit(writer, "a");
          tx.beforeCommit(writer, "b");
          return null;
        });
    assertThat(sequenceOf("a")).isEqualTo(1);
    assertThat(sequenceOf("b")).isEqualTo(2);
    assertThat(lastSequence()).isEqualTo(2);
    assertThat(numberedAtInsert).hasValue(1);
    assertThat(reservedInInsert).hasValue(reservesInTheInsert() ? 1 : 0);
    assertThat(sequencer.numberFallbacks()).isZero();
    assertThat(sequencer.sequenceOnce()).isZero();
    database.inTransaction(
        tx -> {
          tx.beforeCommit(writer, "c");
          return null;
        });
    assertThat(readAfter(2)).containsExactly("c");
    assertThat(lastSequence()).isEqualTo(3);
  }

  @Test
  void theRowsOfOneInsertAreNumberedConsecutivelyInTheOrderWrittenAndTheNextInsertFollowsOn() {
    // Five rows, then three: on H2 the first row advances the counter past all of a statement's
    // rows and each later row adds its index to the first number (Dialect.reservedEventSequence).
    database.inTransaction(
        tx -> {
          for (String id : List.of("e1", "e2", "e3", "e4", "e5")) {
            tx.beforeCommit(writer, id);
          }
          return null;
        });
    database.inTransaction(
        tx -> {
          for (String id : List.of("f1", "f2", "f3")) {
            tx.beforeCommit(writer, id);
          }
          return null;
        });
    assertThat(readAfter(0)).containsExactly("e1", "e2", "e3", "e4", "e5", "f1", "f2", "f3");
    assertThat(List.of("e1", "e2", "e3", "e4", "e5", "f1", "f2", "f3"))
        .extracting(this::sequenceOf)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(lastSequence()).isEqualTo(8);
    assertThat(numberedAtInsert).hasValue(2);
    assertThat(sequencer.numberFallbacks()).isZero();
  }

  @Test
  void whileOneTransactionHoldsTheLockAnotherFallsBackWithoutWaitingAndIsNumberedAfterIt()
      throws Exception {
    LockHolder holder = holdTheLock("held-1", "held-2");

    // Committed while the holder still holds the lock: it did not wait for it.
    write("fallback").get(10, TimeUnit.SECONDS);
    assertThat(fellBack).hasValue(1);
    // Either way the same outcome, whether the reserve was a statement or rode in the INSERT.
    assertThat(reservedInInsert).hasValue(reservesInTheInsert() ? 2 : 0);
    assertThat(sequenceOf("fallback")).isZero();
    assertThat(readAfter(0)).isEmpty();

    holder.commit();
    assertThat(readAfter(0)).containsExactly("held-1", "held-2");

    assertThat(sequencer.numberFallbacks()).isEqualTo(1);
    // A reader that saw 2 gets the fallback's event next: numbers stay in the order they appear.
    assertThat(readAfter(2)).containsExactly("fallback");
    assertThat(readAfter(0)).containsExactly("held-1", "held-2", "fallback");
    assertThat(lastSequence()).isEqualTo(3);
    assertThat(sequencer.numberFallbacks()).isZero();
  }

  @Test
  void underTheDialectsChoiceATransactionFindingTheLockTakenWaitsOrFallsBack() throws Exception {
    sequencer = new EventSequencer(database, new WorkSignals());
    boolean waits = waitsForTheLock();
    assertThat(database.dialect().waitsForEventSequencer()).isEqualTo(waits);
    LockHolder holder = holdTheLock("held");
    CompletableFuture<Void> second = write("second");
    if (waits) {
      // Queued behind the holder: not committed while the lock is held.
      Thread.sleep(300);
      assertThat(second).isNotDone();
      holder.commit();
      second.get(10, TimeUnit.SECONDS);
      assertThat(fellBack).hasValue(0);
      assertThat(numberedAtInsert).hasValue(2);
    } else {
      second.get(10, TimeUnit.SECONDS);
      assertThat(fellBack).hasValue(1);
      holder.commit();
      sequencer.numberFallbacks();
    }
    // Either way the second is numbered after the holder, which took the lock first.
    assertThat(readAfter(0)).containsExactly("held", "second");
    assertThat(lastSequence()).isEqualTo(2);
  }

  @Test
  void underTheDialectsChoiceConcurrentTransactionsNumberInTheirInsertsInOrderAndWithoutHoles()
      throws Exception {
    sequencer = new EventSequencer(database, new WorkSignals());
    int writers = 4;
    int transactions = 15;
    Transaction.BeforeCommit<String> failing =
        (tx, ids) -> {
          throw new IllegalStateException("rolls back after its events were numbered");
        };
    List<List<String>> committed = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      tasks.add(
          CompletableFuture.runAsync(
              () -> {
                for (int t = 0; t < transactions; t++) {
                  List<String> ids = List.of(writer + "-" + t + "-a", writer + "-" + t + "-b");
                  boolean rollsBack = t % 5 == 4;
                  try {
                    database.inTransaction(
                        tx -> {
                          ids.forEach(id -> tx.beforeCommit(this.writer, id));
                          if (rollsBack) {
                            tx.beforeCommit(failing, "boom");
                          }
                          return null;
                        });
                    committed.add(ids);
                  } catch (IllegalStateException expected) {
                    assertThat(rollsBack).isTrue();
                  }
                }
              },
              threads));
    }
    CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    sequencer.numberFallbacks();

    // Every write went through the events' own INSERT, whatever the dialect.
    assertThat(reservedInInsert).hasValue(numberedAtInsert.get() + fellBack.get());
    assertThat(reservedInInsert).hasValue(writers * transactions);
    if (waitsForTheLock()) {
      assertThat(fellBack).hasValue(0);
    }
    // Numbers 1..N with no hole (rolled-back transactions gave theirs back), and each
    // transaction's events in the order written: consecutive when numbered at insert (always
    // where the dialect waits); fallbacks numbered together may interleave by identity.
    int events = committed.size() * 2;
    assertThat(committed).hasSize(writers * (transactions - transactions / 5));
    assertThat(readNumberedAfter(0))
        .extracting(row -> (Long) row[1])
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, events).boxed().toList());
    for (List<String> ids : committed) {
      if (waitsForTheLock()) {
        assertThat(sequenceOf(ids.get(1))).isEqualTo(sequenceOf(ids.get(0)) + 1);
      } else {
        assertThat(sequenceOf(ids.get(1))).isGreaterThan(sequenceOf(ids.get(0)));
      }
    }
    assertThat(lastSequence()).isEqualTo(events);
  }

  @Test
  void theNextTransactionToTakeTheLockNumbersTheFallbacksAfterItsOwnEvents() throws Exception {
    LockHolder holder = holdTheLock("held");
    write("fallback-1", "fallback-2").get(10, TimeUnit.SECONDS);
    holder.commit();
    assertThat(readAfter(0)).containsExactly("held");

    write("next").get(10, TimeUnit.SECONDS);
    assertThat(readAfter(1)).containsExactly("next", "fallback-1", "fallback-2");
    assertThat(lastSequence()).isEqualTo(4);
    // Nothing left for a numbering transaction of its own.
    assertThat(sequencer.numberFallbacks()).isZero();
    assertThat(sequencer.sequenceOnce()).isZero();
  }

  @Test
  void readersNeverMissAnEventWhileTransactionsNumberAtInsertOrFallBackConcurrently()
      throws Exception {
    int writers = 4;
    int transactions = 30;
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> written = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writerIndex = w;
      tasks.add(
          CompletableFuture.runAsync(
              () -> {
                for (int t = 0; t < transactions; t++) {
                  int events = 1 + ThreadLocalRandom.current().nextInt(3);
                  List<String> ids = new ArrayList<>();
                  for (int e = 0; e < events; e++) {
                    ids.add("w" + writerIndex + "-t" + t + "-e" + e);
                  }
                  database.inTransaction(
                      tx -> {
                        ids.forEach(id -> tx.beforeCommit(writer, id));
                        return null;
                      });
                  written.addAll(ids);
                  sequencer.numberFallbacks();
                }
              },
              threads));
    }
    // A reader that asks for what comes after the highest number it has seen, as feeds do.
    List<String> seen = new ArrayList<>();
    List<Long> seenSequences = new ArrayList<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              long last = 0;
              boolean more = true;
              while (more) {
                more = writing.get();
                for (Object[] event : readNumberedAfter(last)) {
                  seen.add((String) event[0]);
                  last = (Long) event[1];
                  seenSequences.add(last);
                }
              }
            },
            threads);
    for (CompletableFuture<Void> task : tasks) {
      task.get(60, TimeUnit.SECONDS);
    }
    sequencer.numberCommitted();
    writing.set(false);
    reader.get(60, TimeUnit.SECONDS);

    assertThat(numberedAtInsert.get()).isPositive();
    assertThat(numberedAtInsert.get() + fellBack.get()).isEqualTo(writers * transactions);
    assertThat(seen).hasSameSizeAs(written).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(written));
    List<Long> gapFree = new ArrayList<>();
    for (long n = 1; n <= written.size(); n++) {
      gapFree.add(n);
    }
    assertThat(seenSequences).isEqualTo(gapFree);
    assertThat(lastSequence()).isEqualTo(written.size());
  }

  @Test
  void eventsLeftUnnumberedByAnotherNodeAreNumberedByTheSafetyPollNotAsThisNodesFallbacks()
      throws Exception {
    // Another node's fallback that stopped before numbering it: this node does not keep its ids.
    database.inTransaction(
        tx -> {
          try (PreparedStatement statement =
              tx.connection()
                  .prepareStatement(
                      "INSERT INTO events (event_id, sequence, kind, run_id, payload, published_at)"
                          + " VALUES ('elsewhere', NULL, 'MANUAL', 'run-1', '{}', ?)")) {
            statement.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            statement.executeUpdate();
          }
          return null;
        });
    // This node's own fallback, committed while a holder has the lock.
    LockHolder holder = holdTheLock("held");
    write("mine-1", "mine-2").get(10, TimeUnit.SECONDS);
    holder.commit();

    // This node numbers what it kept, by the events' ids, and nothing else.
    assertThat(sequencer.numberFallbacks()).isEqualTo(2);
    assertThat(readAfter(0)).containsExactly("held", "mine-1", "mine-2");
    assertThat(sequenceOf("elsewhere")).isZero();
    assertThat(sequencer.numberFallbacks()).isZero();
    // The safety poll's numbering finds every committed unnumbered event.
    assertThat(sequencer.numberCommitted()).isEqualTo(1);
    assertThat(readAfter(3)).containsExactly("elsewhere");
    assertThat(lastSequence()).isEqualTo(4);
  }

  @Test
  void aRolledBackTransactionGivesItsNumbersBack() {
    Transaction.BeforeCommit<String> failing =
        (tx, ids) -> {
          throw new IllegalStateException("fails after the events were numbered");
        };
    try {
      database.inTransaction(
          tx -> {
            tx.beforeCommit(writer, "gone-1");
            tx.beforeCommit(writer, "gone-2");
            tx.beforeCommit(failing, "boom");
            return null;
          });
    } catch (IllegalStateException expected) {
      // rolled back after the events were written with numbers 1 and 2
    }
    assertThat(numberedAtInsert).hasValue(1);
    assertThat(lastSequence()).isZero();
    assertThat(countOf("gone-1") + countOf("gone-2")).isZero();
    database.inTransaction(
        tx -> {
          tx.beforeCommit(writer, "kept");
          return null;
        });
    assertThat(sequenceOf("kept")).isEqualTo(1);
    assertThat(lastSequence()).isEqualTo(1);
  }

  @Test
  void eventsOfASavepointRolledBackAreNeverWrittenAndLeaveNoGap() {
    database.inTransaction(
        tx -> {
          tx.beforeCommit(writer, "kept-1");
          try {
            // A job of a group commit that fails: its savepoint is rolled back.
            tx.underSavepoint(
                inner -> {
                  inner.beforeCommit(writer, "dropped-1");
                  throw new IllegalStateException("the job fails");
                });
          } catch (IllegalStateException expected) {
            // the other jobs of the group go on
          }
          tx.underSavepoint(
              inner -> {
                inner.beforeCommit(writer, "kept-2");
                return null;
              });
          Savepoint segment = tx.setSavepoint();
          tx.beforeCommit(writer, "dropped-2");
          tx.rollbackTo(segment);
          tx.beforeCommit(writer, "kept-3");
          return null;
        });
    assertThat(readAfter(0)).containsExactly("kept-1", "kept-2", "kept-3");
    assertThat(sequenceOf("kept-3")).isEqualTo(3);
    assertThat(lastSequence()).isEqualTo(3);
    assertThat(countOf("dropped-1") + countOf("dropped-2")).isZero();
  }

  @Test
  void aTransactionAskedToNumberBeforeCommitWaitsForTheLockWhateverTheDialect() throws Exception {
    // The sequencer is built not to wait (setUp), as PostgreSQL's does not.
    LockHolder holder = holdTheLock("held");
    CompletableFuture<Void> mine = writeNumberedBeforeCommit("mine-1", "mine-2");
    // Queued behind the holder: not committed while the lock is held.
    Thread.sleep(300);
    assertThat(mine).isNotDone();
    assertThat(countOf("mine-1")).isZero();

    holder.commit();
    mine.get(10, TimeUnit.SECONDS);
    // Committed numbered, in the order written, after the holder's event: nothing left to number.
    assertThat(fellBack).hasValue(0);
    assertThat(readAfter(1)).containsExactly("mine-1", "mine-2");
    assertThat(lastSequence()).isEqualTo(3);
    assertThat(sequencer.numberFallbacks()).isZero();
  }

  @Test
  void aTransactionThatWaitedNumbersThisNodesFallbacksAfterItsOwnEvents() throws Exception {
    LockHolder holder = holdTheLock("held");
    write("fallback").get(10, TimeUnit.SECONDS);
    assertThat(fellBack).hasValue(1);
    CompletableFuture<Void> mine = writeNumberedBeforeCommit("mine");
    holder.commit();
    mine.get(10, TimeUnit.SECONDS);

    // The fallback rode in the waiting transaction's commit: no numbering transaction of its own.
    assertThat(readAfter(1)).containsExactly("mine", "fallback");
    assertThat(lastSequence()).isEqualTo(3);
    assertThat(sequencer.numberFallbacks()).isZero();
  }

  @Test
  void aRequestMadeInASavepointRolledBackIsDroppedWithIt() throws Exception {
    LockHolder holder = holdTheLock("held");
    CompletableFuture.runAsync(
            () ->
                database.inTransaction(
                    tx -> {
                      try {
                        // A group member whose work fails; it runs again, alone, later.
                        tx.underSavepoint(
                            inner -> {
                              sequencer.numberBeforeCommit(inner);
                              inner.beforeCommit(writer, "dropped");
                              throw new IllegalStateException("the member fails");
                            });
                      } catch (IllegalStateException expected) {
                        // the other members go on
                      }
                      tx.beforeCommit(writer, "kept");
                      return null;
                    }),
            threads)
        // Did not wait for the lock, which is still held: it fell back.
        .get(10, TimeUnit.SECONDS);
    assertThat(fellBack).hasValue(1);
    assertThat(sequenceOf("kept")).isZero();
    holder.commit();

    assertThat(sequencer.numberFallbacks()).isEqualTo(1);
    assertThat(readAfter(1)).containsExactly("kept");
    assertThat(countOf("dropped")).isZero();
  }

  /**
   * A transaction, on a thread of its own, that writes {@code ids} and asks to number them before
   * it commits, as a decision does.
   */
  private CompletableFuture<Void> writeNumberedBeforeCommit(String... ids) {
    return CompletableFuture.runAsync(
        () ->
            database.inTransaction(
                tx -> {
                  sequencer.numberBeforeCommit(tx);
                  for (String id : ids) {
                    tx.beforeCommit(writer, id);
                  }
                  return null;
                }),
        threads);
  }

  /** A transaction that took the sequencer's lock for its events and keeps it until committed. */
  private record LockHolder(CountDownLatch release, CompletableFuture<Void> transaction) {
    void commit() throws Exception {
      release.countDown();
      transaction.get(10, TimeUnit.SECONDS);
    }
  }

  /** Starts a transaction that writes {@code ids} numbered and holds the lock until committed. */
  private LockHolder holdTheLock(String... ids) throws InterruptedException {
    CountDownLatch reserved = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Transaction.BeforeCommit<String> holding =
        (tx, events) -> {
          writeNumbered(tx, events);
          reserved.countDown();
          await(release);
        };
    CompletableFuture<Void> transaction = write(holding, ids);
    assertThat(reserved.await(10, TimeUnit.SECONDS)).isTrue();
    return new LockHolder(release, transaction);
  }

  /** A transaction, on a thread of its own, that writes {@code ids} as the engine's writer does. */
  private CompletableFuture<Void> write(String... ids) {
    return write(writer, ids);
  }

  private CompletableFuture<Void> write(
      Transaction.BeforeCommit<String> eventWriter, String... ids) {
    return CompletableFuture.runAsync(
        () ->
            database.inTransaction(
                tx -> {
                  for (String id : ids) {
                    tx.beforeCommit(eventWriter, id);
                  }
                  return null;
                }),
        threads);
  }

  private void writeNumbered(Transaction tx, List<String> ids) throws java.sql.SQLException {
    Optional<EventSequencer.InsertNumbering> inInsert = sequencer.numberingInInsert(tx, ids.size());
    if (inInsert.isPresent()) {
      OptionalLong last = insertReserving(tx, ids, inInsert.get());
      (last.isPresent() ? numberedAtInsert : fellBack).incrementAndGet();
      reservedInInsert.incrementAndGet();
      sequencer.reservedInInsert(tx, ids, last);
      return;
    }
    OptionalLong first = sequencer.reserve(tx, ids);
    (first.isPresent() ? numberedAtInsert : fellBack).incrementAndGet();
    for (int i = 0; i < ids.size(); i++) {
      try (PreparedStatement statement =
          tx.connection()
              .prepareStatement(
                  "INSERT INTO events (event_id, sequence, kind, run_id, payload, published_at)"
                      + " VALUES (?, ?, 'MANUAL', 'run-1', '{}', ?)")) {
        statement.setString(1, ids.get(i));
        if (first.isPresent()) {
          statement.setLong(2, first.getAsLong() + i);
        } else {
          statement.setNull(2, Types.BIGINT);
        }
        statement.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
        statement.executeUpdate();
      }
    }
  }

  /**
   * One INSERT that reserves the numbers of its events itself, as the engine's writer does where
   * the sequencer offers it; returns the largest number given, empty when they went in unnumbered.
   */
  private static OptionalLong insertReserving(
      Transaction tx, List<String> ids, EventSequencer.InsertNumbering numbering)
      throws java.sql.SQLException {
    StringBuilder sql =
        new StringBuilder(numbering.opening())
            .append("INSERT INTO events (event_id, sequence, kind, run_id, payload, published_at)")
            .append(" VALUES ");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("(?, ")
          .append(numbering.sequenceOfRow(i))
          .append(", 'MANUAL', 'run-1', '{}', ?)");
    }
    sql.append(numbering.closing());
    try (PreparedStatement statement = tx.connection().prepareStatement(sql.toString())) {
      int index = 1;
      for (String id : ids) {
        statement.setString(index++, id);
        statement.setObject(index++, OffsetDateTime.now(ZoneOffset.UTC));
      }
      OptionalLong last = OptionalLong.empty();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          long sequence = rs.getLong(1);
          if (!rs.wasNull()) {
            last = OptionalLong.of(Math.max(sequence, last.orElse(0)));
          }
        }
      }
      return last;
    }
  }

  private long countOf(String eventId) {
    return database.inTransaction(
        tx -> {
          try (PreparedStatement statement =
              tx.connection().prepareStatement("SELECT COUNT(*) FROM events WHERE event_id = ?")) {
            statement.setString(1, eventId);
            try (ResultSet rs = statement.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  private List<Object[]> readNumberedAfter(long sequence) {
    return database.inTransaction(
        tx -> {
          List<Object[]> events = new ArrayList<>();
          try (PreparedStatement statement =
              tx.connection()
                  .prepareStatement(
                      "SELECT event_id, sequence FROM events WHERE sequence > ? ORDER BY sequence")) {
            statement.setLong(1, sequence);
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                events.add(new Object[] {rs.getString(1), rs.getLong(2)});
              }
            }
          }
          return events;
        });
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
