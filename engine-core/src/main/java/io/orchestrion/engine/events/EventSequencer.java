package io.orchestrion.engine.events;

import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.signals.WorkSignals;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers orchestration events so that numbers appear in increasing order (SPEC §4: a global
 * increasing sequence in commit order; a subscriber that has read up to N never misses an event).
 *
 * <p><b>The rule.</b> A number is only ever given by a transaction that holds the single sequencer
 * row lock and keeps it until it commits, and it is taken from the counter on that row, which the
 * same transaction advances past it. The next holder can give a number only after the previous one
 * has committed, so every number becomes visible after every smaller one; a reader of {@code
 * sequence > N} (the event feed, SSE, notification listeners) or of the counter (the webhook
 * outbox, notification cursors) that has seen N never later meets a number at or below N. A
 * transaction that rolls back gives its numbers back: its advance of the counter is rolled back
 * with its events, so the sequence has no holes.
 *
 * <p><b>Numbering at insert ({@link #reserve}).</b> A transaction writes its events as its last
 * writes, just before it commits, and first takes the lock (one statement that also advances the
 * counter). When it gets it, its events go in numbered and it holds the lock through its commit: no
 * numbering transaction, no second write of the events. Whether it waits for a transaction that
 * holds the lock is the dialect's choice ({@link Dialect#waitsForEventSequencer}): on H2 it waits,
 * on PostgreSQL it does not ({@code SKIP LOCKED}) — its events go in unnumbered (a <i>fallback</i>)
 * and this node's sequencer is told once the transaction has committed. A transaction whose caller
 * answers only once its events are numbered ({@link #numberBeforeCommit}: a decision, a run
 * operation, a manual event) waits on every dialect: falling back, it would commit and then take
 * the lock anyway, in a numbering transaction of its own. The reserve rides in the events' own
 * INSERT ({@link #numberingInInsert}), so a hand-off sends one statement for its events instead of
 * two: on PostgreSQL a data-modifying {@code WITH} that runs once, on H2 each row's sequence a
 * subquery that advances the counter by one.
 *
 * <p><b>Fallbacks.</b> Once a fallback has committed, this node keeps its event ids until they are
 * numbered. They are numbered by the next transaction of this node that takes the lock (after its
 * own events, in its commit), or by a numbering transaction of the background loop, {@link #GATHER}
 * after the wake-up ({@link #numberFallbacks}). Either numbers the kept ids in one statement that
 * finds the events by their ids ({@link Dialect#numberListedEvents}) and advances the counter.
 * Events another node left unnumbered (it stopped between a fallback's commit and numbering it) are
 * found by {@link #numberCommitted}, at start and once per {@link #SAFETY_POLL}, which numbers
 * every committed unnumbered event it can see through the index on {@code sequence} — the costly
 * form on PostgreSQL, whose index keeps an entry for every event numbered since the last vacuum. A
 * fallback's events therefore get numbers larger than those of a transaction that took the lock
 * after it committed: the sequence follows the order in which events were numbered, which is the
 * order readers can see them in, and never gives a reader a number below one it has seen. Within
 * one transaction the events keep the order they were written in either way. Callers of {@link
 * #numberCommitted()} that arrive while a numbering transaction runs share the next one.
 */
public final class EventSequencer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventSequencer.class);
  private static final int BATCH = 1000;

  /**
   * How often the loop numbers whatever is left unnumbered without being woken: only the fallbacks
   * of a node that stopped between its commit and numbering them, since every node numbers its own
   * (an idle numbering transaction per poll and node, so not more often).
   */
  private static final Duration SAFETY_POLL = Duration.ofSeconds(10);

  /**
   * How long the background loop lets events gather after a wake-up before it numbers them: at most
   * one numbering transaction per {@code GATHER} from the loop, whatever the rate of hand-offs.
   */
  static final Duration GATHER = Duration.ofMillis(5);

  /**
   * Whether a caller asked that the transaction number its events before it commits, once its other
   * writers have written (see {@link #NUMBERED_BEFORE_COMMIT}).
   */
  private static final Transaction.Key<Boolean> WAITS =
      new Transaction.Key<>("event sequencer: numbered before commit");

  /**
   * Hands the requests of {@link #numberBeforeCommit} over to the events' writer: before it (the
   * events write last) and after the transaction's last savepoint, so that a request made in a
   * savepoint rolled back is gone.
   */
  private static final Transaction.BeforeCommit<Boolean> NUMBERED_BEFORE_COMMIT =
      (tx, requests) -> {
        if (!requests.isEmpty()) {
          tx.remembered(WAITS, t -> Boolean.TRUE);
        }
      };

  private final Database database;
  private final WorkSignals signals;
  private ExecutorService executor;
  private volatile boolean stopping;
  // Numbering runs one at a time on this node; requests counts the calls that asked for one, and
  // servedUpTo is the highest request a finished run covered (guarded by numbering).
  private final ReentrantLock numbering = new ReentrantLock();
  private final AtomicLong requests = new AtomicLong();
  private long servedUpTo;
  // The event ids of this node's fallbacks, one list per transaction in the order they committed:
  // added after the commit, removed after the commit of a numbering that covered them. An event
  // numbered meanwhile by another is skipped by the numbering statement ("AND sequence IS NULL").
  // A transaction's ids are numbered together, so its events keep the order they were written in.
  private final Queue<List<String>> unnumbered = new ConcurrentLinkedQueue<>();

  // Whether reserve waits for the lock on a dialect; the dialect's choice except in tests.
  private final Predicate<Dialect> waitsForLock;

  @Inject
  public EventSequencer(Database database, WorkSignals signals) {
    this(database, signals, Dialect::waitsForEventSequencer);
  }

  /** With {@code waitsForLock} instead of the dialect's choice: tests of either path. */
  EventSequencer(Database database, WorkSignals signals, Predicate<Dialect> waitsForLock) {
    this.database = database;
    this.signals = signals;
    this.waitsForLock = waitsForLock;
  }

  public synchronized void start() {
    if (executor != null) {
      return;
    }
    stopping = false;
    executor =
        Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("orchestrion-sequencer").factory());
    executor.execute(this::loop);
  }

  private void loop() {
    // First whatever is left unnumbered: this node may have stopped before numbering its fallbacks.
    boolean first = true;
    while (!stopping) {
      try {
        // Woken by a transaction that committed unnumbered events; otherwise, once per safety
        // poll, for what other nodes left (a node that stopped before numbering its fallbacks).
        boolean woken =
            !first && signals.awaitEvents(SAFETY_POLL.toMillis(), TimeUnit.MILLISECONDS);
        first = false;
        if (woken) {
          Thread.sleep(GATHER.toMillis());
        }
        if (!stopping) {
          if (woken) {
            numberFallbacks();
          } else {
            numberCommitted();
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Numbering events failed, will retry: {}", e.toString());
      }
    }
  }

  /**
   * The first of consecutive numbers for the events {@code tx} inserts as its last writes before it
   * commits, once {@code tx} has taken the sequencer row lock — waiting for it where {@code tx}
   * waits ({@link #waits}): the counter is advanced past them in {@code tx}, which holds the lock
   * until it commits (numbering at insert, see the class comment). Empty when {@code tx} does not
   * wait and another transaction holds the lock: the events go in unnumbered, and once {@code tx}
   * has committed this node's sequencer is told to number them ({@link #numberFallbacks}). Called
   * once per transaction, after its last savepoint.
   */
  public OptionalLong reserve(Transaction tx, List<String> eventIds) throws SQLException {
    int count = eventIds.size();
    if (count < 1) {
      throw new IllegalArgumentException("no events to number");
    }
    try (PreparedStatement reserve =
        tx.connection().prepareStatement(tx.dialect().reserveEventSequences(waits(tx)))) {
      reserve.setLong(1, count);
      try (ResultSet rs = reserve.executeQuery()) {
        if (rs.next()) {
          long last = rs.getLong(1);
          numberFallbacksAfter(tx, last);
          return OptionalLong.of(last - count + 1);
        }
      }
    }
    fallBack(tx, eventIds);
    return OptionalLong.empty();
  }

  /**
   * How an INSERT of {@code count} events reserves their numbers itself, where {@code tx}'s dialect
   * can ({@link Dialect#reservesEventSequencesInInsert}): on PostgreSQL the reserve of {@link
   * #reserve} as the INSERT's {@code WITH} clause, skipping a lock that is taken unless {@code tx}
   * {@link #waits}; on H2, which waits, each row advancing the counter for itself. One statement
   * instead of two. Empty where the transaction calls {@link #reserve} instead. The INSERT tells
   * {@link #reservedInInsert} how it went.
   */
  public Optional<InsertNumbering> numberingInInsert(Transaction tx, int count) {
    Dialect dialect = tx.dialect();
    boolean wait = waits(tx);
    if (!dialect.reservesEventSequencesInInsert(wait)) {
      return Optional.empty();
    }
    return Optional.of(new InsertNumbering(count, dialect, wait));
  }

  /**
   * Whether {@code tx}, taking the lock to number its events, waits for a transaction that holds
   * it: where the dialect waits ({@link Dialect#waitsForEventSequencer}), and on every dialect when
   * a caller asked for it ({@link #numberBeforeCommit}; called once the requests were handed over,
   * {@link #NUMBERED_BEFORE_COMMIT}).
   */
  private boolean waits(Transaction tx) {
    return waitsForLock.test(tx.dialect()) || tx.remembered(WAITS, t -> Boolean.FALSE);
  }

  /**
   * The SQL of an INSERT of {@link #count} events that numbers them as it writes them: {@link
   * #opening}, then {@code INSERT INTO events ... VALUES} with row {@code index} (in the order
   * written) taking {@link #sequenceOfRow} as its {@code sequence}, then {@link #closing}. The
   * statement is a query whose rows are the sequences given, null where the reserve found the lock
   * taken.
   */
  public record InsertNumbering(int count, Dialect dialect, boolean waits) {
    public String opening() {
      return dialect.openInsertReservingEventSequences(count, waits);
    }

    public String sequenceOfRow(int index) {
      return dialect.reservedEventSequence(index, count);
    }

    public String closing() {
      return dialect.closeInsertReservingEventSequences();
    }
  }

  /**
   * Tells the sequencer how an INSERT opened by {@link #numberingInInsert} went: {@code last} is
   * the largest number it gave (the counter after its reserve), empty when it found the lock taken
   * and wrote its events unnumbered — then, as with {@link #reserve}, this node numbers them once
   * {@code tx} has committed. Called once per transaction, right after that INSERT.
   */
  public void reservedInInsert(Transaction tx, List<String> eventIds, OptionalLong last)
      throws SQLException {
    if (last.isPresent()) {
      numberFallbacksAfter(tx, last.getAsLong());
    } else {
      fallBack(tx, eventIds);
    }
  }

  /** Keeps {@code eventIds}, written unnumbered, for numbering once {@code tx} has committed. */
  private void fallBack(Transaction tx, List<String> eventIds) {
    List<String> ids = List.copyOf(eventIds);
    tx.afterCommit(
        () -> {
          unnumbered.add(ids);
          signals.eventsWritten();
        });
  }

  /**
   * Has {@code tx} number its events before it commits, waiting for the sequencer's lock where
   * another transaction holds it, on every dialect: for a caller that answers only once its events
   * are numbered (a decision, a run operation, a manual event), so that a reader of the feed who
   * has its answer finds them. Without it such a caller, on PostgreSQL, would commit its events
   * unnumbered and then take the lock anyway, in a numbering transaction of its own. The request
   * lives and dies with the work that made it: a savepoint rolled back drops it.
   */
  public void numberBeforeCommit(Transaction tx) {
    tx.beforeCommit(NUMBERED_BEFORE_COMMIT, Boolean.TRUE);
  }

  /**
   * A transaction holding the lock numbers, after its own events ({@code last} is the counter), the
   * events that this node's transactions committed unnumbered ({@link #reserve} found the lock
   * taken) when there are any: a statement and the counter's advance instead of a numbering
   * transaction of their own. They are numbered after the holder's events, as they would be by the
   * sequencer, and become visible with the holder's commit.
   */
  private void numberFallbacksAfter(Transaction tx, long last) throws SQLException {
    if (!unnumbered.isEmpty()) {
      numberKept(tx, last, kept());
    }
  }

  /**
   * The oldest kept fallbacks, whole, up to about a batch of events (at least one fallback); added
   * after their commits, so all are committed.
   */
  private List<List<String>> kept() {
    List<List<String>> kept = new ArrayList<>();
    int events = 0;
    for (List<String> ids : unnumbered) {
      if (events > 0 && events + ids.size() > BATCH) {
        break;
      }
      kept.add(ids);
      events += ids.size();
    }
    return kept;
  }

  /**
   * Numbers the events of this node's fallbacks that committed before this call ({@link #reserve}
   * found the lock taken) and are still unnumbered; returns at once, without a transaction, when
   * there are none. A caller that must see its own events numbered when it returns calls this after
   * its commit: they are numbered when it returns, by this call or by a transaction that committed
   * before it. Returns how many events this call numbered.
   */
  public int numberFallbacks() {
    if (unnumbered.isEmpty()) {
      return 0;
    }
    numbering.lock();
    try {
      // What a numbering that finished while this call waited has covered is no longer kept.
      // Bounded by what was kept on entry: fallbacks that commit meanwhile are not this caller's.
      int numbered = 0;
      int rounds = unnumbered.size();
      for (int round = 0; round < rounds && !unnumbered.isEmpty() && !stopping; round++) {
        List<List<String>> fallbacks = kept();
        numbered += database.inTransaction(tx -> numberKept(tx, lock(tx), fallbacks));
      }
      return numbered;
    } finally {
      numbering.unlock();
    }
  }

  /**
   * Numbers the still unnumbered events of {@code fallbacks} after {@code last}; once {@code tx}
   * commits, they are no longer kept.
   */
  private int numberKept(Transaction tx, long last, List<List<String>> fallbacks)
      throws SQLException {
    Object[] ids = fallbacks.stream().flatMap(List::stream).toArray();
    int numbered =
        numberAndAdvance(
            tx,
            last,
            tx.dialect().numberListedEvents(),
            number -> number.setArray(2, tx.connection().createArrayOf("VARCHAR", ids)));
    tx.afterCommit(() -> unnumbered.removeAll(fallbacks));
    return numbered;
  }

  /**
   * Numbers every event committed before this call (all batches), sharing the numbering transaction
   * with concurrent callers: a call that arrives while another numbering runs waits for it and then
   * returns at once if a run that started after its arrival has finished, or runs the next one for
   * every caller waiting by then. Returns how many events this call numbered itself.
   */
  public int numberCommitted() {
    long request = requests.incrementAndGet();
    numbering.lock();
    try {
      if (servedUpTo >= request) {
        return 0;
      }
      // Every request counted so far was made after its events committed, so the run below (whose
      // reads start after this point) sees them all.
      long covers = requests.get();
      List<List<String>> keptBefore = List.copyOf(unnumbered);
      int numbered = 0;
      int batch;
      do {
        batch = sequenceOnce();
        numbered += batch;
      } while (batch == BATCH && !stopping);
      servedUpTo = covers;
      if (!stopping) {
        // Committed before the runs above read, so numbered by them.
        unnumbered.removeAll(keptBefore);
      }
      return numbered;
    } finally {
      numbering.unlock();
    }
  }

  /** Numbers up to one batch of unnumbered events; returns how many it numbered. */
  public int sequenceOnce() {
    return database.inTransaction(tx -> numberUnsequenced(tx, lock(tx)));
  }

  /** Waits for the sequencer's row lock in {@code tx}; returns the counter. */
  private static long lock(Transaction tx) throws SQLException {
    try (PreparedStatement lock =
            tx.connection()
                .prepareStatement(
                    "SELECT last_sequence FROM event_sequencer WHERE id = 1 FOR UPDATE");
        ResultSet rs = lock.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Numbers up to one batch of committed unnumbered events after {@code last}, the counter, and
   * advances it; the caller holds the sequencer's lock. Returns how many it numbered.
   */
  private static int numberUnsequenced(Transaction tx, long last) throws SQLException {
    return numberAndAdvance(tx, last, tx.dialect().numberUnsequencedEvents(BATCH), number -> {});
  }

  /** Binds the parameters of a numbering statement after its first ({@code after}). */
  private interface MoreParameters {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Runs {@code numbering} after {@code last}, the counter, and moves the counter past what it
   * numbered: one statement where the dialect can ({@link Dialect#numberEventsAndAdvance}), else
   * the numbering and, when it numbered any, the advance. The caller holds the lock. Returns how
   * many events it numbered.
   */
  private static int numberAndAdvance(
      Transaction tx, long last, String numbering, MoreParameters more) throws SQLException {
    Optional<String> together = tx.dialect().numberEventsAndAdvance(numbering);
    try (PreparedStatement number = tx.connection().prepareStatement(together.orElse(numbering))) {
      number.setLong(1, last);
      more.bind(number);
      if (together.isPresent()) {
        try (ResultSet rs = number.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
      int numbered = number.executeUpdate();
      advance(tx, last, numbered);
      return numbered;
    }
  }

  /**
   * Moves the counter from {@code last} past {@code numbered} events; the caller holds the lock.
   */
  private static void advance(Transaction tx, long last, int numbered) throws SQLException {
    if (numbered > 0) {
      try (PreparedStatement advance =
          tx.connection()
              .prepareStatement("UPDATE event_sequencer SET last_sequence = ? WHERE id = 1")) {
        advance.setLong(1, last + numbered);
        advance.executeUpdate();
      }
    }
  }

  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    // Not interrupted while it numbers: an interrupt during a write closes H2's file channel and
    // with it the whole embedded database. The loop sees the flag once woken, or after its batch.
    stopping = true;
    signals.eventsWritten();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor = null;
  }
}
