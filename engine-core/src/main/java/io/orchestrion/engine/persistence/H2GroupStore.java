package io.orchestrion.engine.persistence;

import io.orchestrion.engine.api.EngineConfig;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.engine.SessionLocal;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on an embedded H2 file whose commits H2 does not write itself ({@code WRITE_DELAY}
 * above zero): a transaction that changed data waits, after its commit, until a write of the file
 * ({@link MVStore#commit()}) that began after that commit has ended.
 *
 * <p>One waiting thread at a time writes the file, for every transaction committed before it began;
 * the others wait for it, and those that committed meanwhile are covered by the next write. With H2
 * writing at each commit instead ({@code WRITE_DELAY=0}), each commit writes every page changed
 * since the last write, the open transactions' uncommitted pages included, although another
 * commit's write may already be under way: about one write of the file per commit under load. Here
 * there is one write per round of waiting commits (benchmarks/README.md, "Group commit in the H2
 * file").
 *
 * <p>While other transactions are under way, the writer gives them up to {@link
 * EngineConfig#h2WriteGather()} (2 ms by default) to commit into its write ({@link
 * #waitForTransactionsUnderWay}): under load, more commits share a write, and a page changed by
 * several of them is serialised once. A commit with nothing else under way is written at once.
 *
 * <p>Tickets order the two: a transaction takes its ticket after its commit returned; the writer
 * reads the last ticket given once it holds commits out of H2's snapshot, so every transaction with
 * a ticket up to that one is in the write. Loaded only when the database is an H2 file.
 *
 * <p>Every write of the file must be this class's, because only its writes keep statements and
 * commits out of the moment H2 takes its snapshot ({@link #handOverAtAQuietMoment}). H2 writes on
 * its own in two cases, and the crash test saw both while a restarted server drained its queue:
 *
 * <ul>
 *   <li>its background writer, when nothing was written for {@code WRITE_DELAY} milliseconds: the
 *       engine's URL sets the longest delay H2 accepts ({@code WRITE_DELAY=2147483647}, about 25
 *       days), and what no transaction of the engine waits for (a migration, a commit made beside
 *       the engine) is written by {@link #writeUnwritten}, which the H2 file's housekeeping calls
 *       at each round. A URL with a shorter delay works, with a warning;
 *   <li>at the next change of any map, from whichever thread makes it (one committing included),
 *       once the memory of its unwritten pages passes a buffer H2 sizes from the heap (at most 19
 *       MiB) and offers no setting for. Between two of the engine's writes, while one is slow, a
 *       burst of work passes it. {@link #of} raises the buffer to an eighth of the heap (at most
 *       {@value #MAX_UNWRITTEN_MEMORY} bytes, never below H2's own), by reflection on H2 2.3.232's
 *       field. The engine's transactions need no more: each one that changed data waits for a write
 *       before it returns, so their unwritten work is bounded by the threads that commit. H2's
 *       back-pressure still applies, past that bound, to a single transaction larger than it (a
 *       migration over a large database): H2 then writes its uncommitted pages rather than keep
 *       them on the heap, at a time when no other transaction commits.
 * </ul>
 */
final class H2GroupStore implements CommitDurability {
  // What MVStore.commit() answers when it found nothing to write (MVStore.INITIAL_VERSION).
  private static final long NOTHING_STORED = -1;

  /** The {@code WRITE_DELAY} of the engine's URL: H2's background writer never writes. */
  static final int NO_BACKGROUND_WRITES = Integer.MAX_VALUE;

  /**
   * The largest buffer of unwritten memory this raises H2's to: 512 MiB. H2 multiplies it by 4 in
   * an {@code int}, so it cannot be larger.
   */
  static final int MAX_UNWRITTEN_MEMORY = Integer.MAX_VALUE / 4;

  /** The share of the heap H2's raised buffer may take: an eighth. */
  static final int HEAP_SHARE_DIVISOR = 8;

  /**
   * How long a write of the file waits for the transactions under way to end before H2 takes its
   * snapshot, and then, if one ran longer (a long flow within its limits, a group of jobs on a busy
   * machine), for the statements under way to end ({@link #handOverAtAQuietMoment}).
   */
  static final long QUIET_WAIT_MILLIS = 25;

  private static final Logger log = LoggerFactory.getLogger(H2GroupStore.class);

  private final MVStore store;
  private final org.h2.engine.Database database;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private final AtomicLong lastTicket = new AtomicLong();
  // Transactions hold it shared from before their first statement until they committed or rolled
  // back; a write of the file takes it exclusively for H2's snapshot, when it gets it in time.
  private final ReentrantReadWriteLock transactions = new ReentrantReadWriteLock();
  // Commits of transactions that changed data hold it shared; a write of the file that could wait
  // neither for the transactions nor for the statements under way takes it exclusively instead.
  private final ReentrantReadWriteLock commits = new ReentrantReadWriteLock();
  private final AtomicLong writesBesideStatements = new AtomicLong();
  private final AtomicLong fileWrites = new AtomicLong();
  private final long gatherNanos;
  // Set while a writer waits for the transactions under way; the last one to end wakes it.
  private volatile Thread waitingWriter;
  private long writtenThrough;
  private boolean writing;
  private volatile long schemaAtLastWrite = -1;

  private H2GroupStore(MVStore store, org.h2.engine.Database database, long gatherNanos) {
    this.store = store;
    this.database = database;
    this.gatherNanos = gatherNanos;
  }

  /**
   * Group commit for the H2 database behind {@code connection} when it is a file whose commits H2
   * does not write at commit; {@link CommitDurability#AT_COMMIT} otherwise (an in-memory database,
   * a server, or {@code WRITE_DELAY=0}); its writes wait up to {@code gatherNanos} for the
   * transactions under way ({@link EngineConfig#h2WriteGather()}).
   */
  static CommitDurability of(Connection connection, long gatherNanos) throws SQLException {
    MVStore store = H2Store.storeOf(connection);
    if (store == null || store.getFileStore() == null || store.getAutoCommitDelay() == 0) {
      return AT_COMMIT;
    }
    if (store.getAutoCommitDelay() != NO_BACKGROUND_WRITES) {
      log.warn(
          "The H2 file {} has WRITE_DELAY={}: H2's background writer may write it while"
              + " transactions commit, and a process killed right after can leave a transaction"
              + " half-written; the engine's URL sets WRITE_DELAY={} (docs/persistence.md)",
          store.getFileStore().getFileName(),
          store.getAutoCommitDelay(),
          NO_BACKGROUND_WRITES);
    }
    raiseUnwrittenMemoryBound(store);
    return new H2GroupStore(store, H2Store.sessionOf(connection).getDatabase(), gatherNanos);
  }

  /**
   * The transaction has changes of its own, or the schema changed since the last write: H2 commits
   * a DDL statement (an object type's table) at once, so what it did is no longer the transaction's
   * own by the time the transaction commits.
   */
  @Override
  public boolean changedData(Connection connection) throws SQLException {
    SessionLocal session = H2Store.sessionOf(connection);
    return session != null && (session.hasPendingTransaction() || schemaNow() != schemaAtLastWrite);
  }

  /** Holds off H2's snapshot for a write until the transaction ends ({@link #transactionEnded}). */
  @Override
  public void transactionBegins() {
    transactions.readLock().lock();
  }

  @Override
  public void transactionEnded() {
    transactions.readLock().unlock();
    Thread writer = waitingWriter;
    if (writer != null && transactions.getReadLockCount() == 0) {
      LockSupport.unpark(writer);
    }
  }

  /**
   * Commits, but not while H2 takes the snapshot of its maps for a write: a commit that changed
   * data waits for that moment to end, not for the write ({@link #handOverAtAQuietMoment}).
   */
  @Override
  public void commit(Connection connection, boolean changedData) throws SQLException {
    if (!changedData) {
      connection.commit();
      return;
    }
    Lock shared = commits.readLock();
    shared.lock();
    try {
      connection.commit();
    } finally {
      shared.unlock();
    }
  }

  /**
   * Raises the memory of unwritten pages past which H2 writes on its own (see the class comment).
   * H2 has no setting for it, so the field is set by reflection; an H2 without it, or a JDK that
   * refuses, leaves H2's buffer, with a warning.
   */
  private static void raiseUnwrittenMemoryBound(MVStore store) {
    int bound = unwrittenMemoryBound(Runtime.getRuntime().maxMemory(), store.getAutoCommitMemory());
    if (store.getAutoCommitMemory() >= bound) {
      return;
    }
    try {
      Field buffer = MVStore.class.getDeclaredField("autoCommitMemory");
      buffer.setAccessible(true);
      buffer.setInt(store, bound);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "H2 writes the file {} on its own once {} bytes of pages are unwritten, also while"
              + " transactions commit (a process killed right after can leave a transaction"
              + " half-written): its buffer could not be raised: {}",
          store.getFileStore().getFileName(),
          store.getAutoCommitMemory(),
          e.toString());
    }
  }

  /**
   * H2's buffer of unwritten memory once raised, for a heap of {@code maxHeapBytes} ({@link
   * Runtime#maxMemory}, {@link Long#MAX_VALUE} when unlimited) and H2's own buffer: an eighth of
   * the heap, at most {@value #MAX_UNWRITTEN_MEMORY} bytes, never below H2's.
   */
  static int unwrittenMemoryBound(long maxHeapBytes, int h2sOwn) {
    long share = Math.min(maxHeapBytes / HEAP_SHARE_DIVISOR, MAX_UNWRITTEN_MEMORY);
    return (int) Math.max(share, h2sOwn);
  }

  /**
   * Writes the file if H2 holds changes nobody wrote: committed beside the engine's transactions,
   * or pages the housekeeping copied. Uncommitted changes count too (H2 cannot tell them apart),
   * which costs a write that would have come anyway.
   */
  @Override
  public void writeUnwritten() throws SQLException {
    if (store.hasUnsavedChanges()) {
      awaitWritten(committed());
    }
  }

  @Override
  public long committed() {
    return lastTicket.incrementAndGet();
  }

  @Override
  public void awaitWritten(long ticket) throws SQLException {
    if (ticket == 0) {
      return;
    }
    lock.lock();
    try {
      while (writing && writtenThrough < ticket) {
        written.awaitUninterruptibly();
      }
      if (writtenThrough >= ticket) {
        return;
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    long covers = 0;
    try {
      waitForTransactionsUnderWay();
      covers = write();
    } catch (RuntimeException e) {
      // MVStoreException (a failed store), or H2's wait for its writing threads failing.
      throw new SQLException("Writing the H2 file failed: " + e, "HY000", e);
    } finally {
      lock.lock();
      try {
        writing = false;
        // 0 when the write failed: its waiters find it failed and try one of their own.
        writtenThrough = Math.max(writtenThrough, covers);
        written.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Lets the transactions under way commit into this write rather than the next: waits until none
   * is under way, for its gather time at most ({@link EngineConfig#h2WriteGather()}), less if this
   * thread is interrupted. Under load, writes that followed each other at once rewrote the same
   * pages (the runs' and the events' last leaves, H2's layout) for a few commits each.
   */
  private void waitForTransactionsUnderWay() {
    long until = System.nanoTime() + gatherNanos;
    waitingWriter = Thread.currentThread();
    try {
      long left;
      while (transactions.getReadLockCount() > 0
          && (left = until - System.nanoTime()) > 0
          && !Thread.currentThread().isInterrupted()) {
        LockSupport.parkNanos(this, left);
      }
    } finally {
      waitingWriter = null;
    }
  }

  /** Whether a writer waits for the transactions under way (for tests). */
  boolean writerWaitsForTransactions() {
    return waitingWriter != null;
  }

  /**
   * Writes every change made so far and returns once it is in the file; answers the last ticket the
   * write covers. H2 takes the snapshot of its maps on this thread ({@link
   * #handOverAtAQuietMoment}) and writes it through two threads of its own; this waits for
   * everything they were given, also when the wait was cut short by an interrupt, which is kept for
   * the caller.
   */
  private long write() throws SQLException {
    boolean interrupted = Thread.interrupted();
    long schema = schemaNow();
    long covers;
    try {
      covers = handOverAtAQuietMoment();
      fileWrites.incrementAndGet();
      // H2 gives up a wait for its threads when interrupted: wait again until one was not.
      store.getFileStore().executeFileStoreOperation(() -> {});
      while (Thread.interrupted()) {
        interrupted = true;
        store.getFileStore().executeFileStoreOperation(() -> {});
      }
      // A store that failed closes itself and keeps why.
      MVStoreException failure = store.getPanicException();
      if (failure != null) {
        throw failure;
      }
      schemaAtLastWrite = schema;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return covers;
  }

  /**
   * Has H2 take the snapshot of its maps to write while no statement runs, and hand it to its
   * writing threads. H2 takes the roots of its maps one after the other, not at one instant (H2
   * issue 2080), and a transaction writes each row to H2's undo log first and to its table's map
   * second:
   *
   * <ul>
   *   <li>a transaction that commits meanwhile can have its commit in the file but only some of its
   *       rows, and if the process dies before the next write, H2 finds it committed when it opens
   *       the file and completes it with the rows it has. A crash test saw that (two of a
   *       submission's four event rows gone, the event counter's advance kept);
   *   <li>a statement that runs meanwhile can put rows in the file without their undo entries (the
   *       undo log's map was taken before the rows were written, the table's after): H2 cannot roll
   *       those back when it opens the file, and a transaction that never committed left some of
   *       its rows behind, 2026-12-07, in one or two of 150 copies of a busy file taken between
   *       writes ({@code H2GroupStoreTest}).
   * </ul>
   *
   * <p>So the snapshot waits until no transaction of the engine is between its first statement and
   * the end of its commit or rollback, and new ones wait for the snapshot ({@link
   * #transactionBegins}); transactions wait for the snapshot only, not for the write: {@link
   * MVStore#tryCommit()} returns once the pages are handed over. When a transaction is still under
   * way after {@value #QUIET_WAIT_MILLIS} ms, the snapshot is taken holding every session's lock
   * instead, under which H2 runs each statement, commit and rollback ({@link H2SessionLocks}): the
   * statements under way end first, and a transaction between two statements is not waited for. Not
   * first, because under load a statement often waits inside H2 for a row lock (the event
   * counter's) that a transaction holds until it commits: the sessions' locks are then harder to
   * get than a quiet moment. A statement still running after another {@value #QUIET_WAIT_MILLIS} ms
   * is not waited for either: the snapshot is then taken with commits only kept out, as before
   * 2026-12-07, so that a long statement does not hold up every commit's write; {@link
   * #writesBesideStatements} counts those. When H2's own writer holds the store, the write is made
   * the blocking way, under the same exclusion.
   *
   * <p>Answers the last ticket given before the snapshot: under each of the three exclusions no
   * commit is under way, and a ticket is taken after its commit returned, so each ticket up to it
   * is in the snapshot, also the tickets of the transactions that ended while the write waited.
   */
  private long handOverAtAQuietMoment() {
    Exclusion exclusion = keepWritesOut();
    try {
      long covers = lastTicket.get();
      if (store.tryCommit() == NOTHING_STORED) {
        store.commit();
      }
      return covers;
    } finally {
      exclusion.release();
    }
  }

  /** What keeps writes out of H2's snapshot until it is let go. */
  @FunctionalInterface
  private interface Exclusion {
    void release();
  }

  /**
   * The first of these three that can be had: a moment without transactions, a moment without
   * statements, commits kept out (counted); see {@link #handOverAtAQuietMoment}.
   */
  private Exclusion keepWritesOut() {
    try {
      Lock quiet = transactions.writeLock();
      if (quiet.tryLock(QUIET_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        return quiet::unlock;
      }
      H2SessionLocks.Held sessions =
          H2SessionLocks.tryHoldAll(database, TimeUnit.MILLISECONDS.toNanos(QUIET_WAIT_MILLIS));
      if (sessions != null) {
        log.debug(
            "A transaction ran longer than {} ms: the H2 file's snapshot is taken between"
                + " statements",
            QUIET_WAIT_MILLIS);
        return sessions::close;
      }
    } catch (InterruptedException e) {
      // The write goes on; write() keeps the interrupt for its caller.
      Thread.currentThread().interrupt();
    }
    writesBesideStatements.incrementAndGet();
    log.debug(
        "A transaction and a statement ran longer than {} ms: the H2 file's snapshot is taken"
            + " without commits only",
        QUIET_WAIT_MILLIS);
    Lock commitsOut = commits.writeLock();
    commitsOut.lock();
    return commitsOut::unlock;
  }

  /**
   * Writes whose snapshot was taken beside a statement under way, which ran longer than {@value
   * #QUIET_WAIT_MILLIS} ms ({@link #handOverAtAQuietMoment}).
   */
  @Override
  public long writesBesideStatements() {
    return writesBesideStatements.get();
  }

  @Override
  public long fileWrites() {
    return fileWrites.get();
  }

  private long schemaNow() {
    return database.getModificationMetaId();
  }
}
