package io.orchestrion.engine.persistence;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.EngineConfig;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in database transactions. Thread-safe; every call gets its own connection from the
 * pool, so concurrent transactions are independent.
 *
 * <p>One connection per thread: while a thread runs a transaction, it may neither open another one
 * nor take a connection from the pool through {@link #dataSource()}; both fail fast with an {@link
 * IllegalStateException}. Code inside a transaction passes its {@link Transaction} down instead. A
 * thread that waits for a second connection while holding one can exhaust the pool together with
 * its peers, and then none of them ever gets one (ARCHITECTURE "Threads").
 */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** How often a transaction that failed transiently is tried again (after the first attempt). */
  public static final int TRANSIENT_RETRIES = 3;

  private static final long BACK_OFF_MILLIS = 10;

  // org.h2.api.ErrorCode.LOCK_TIMEOUT_1; the engine does not compile against H2.
  private static final int H2_LOCK_TIMEOUT = 50200;

  /** The pool of the transaction open on this thread, if any (identity of the unguarded pool). */
  private static final ThreadLocal<DataSource> OPEN_TRANSACTION = new ThreadLocal<>();

  private final DataSource pool;
  private final GuardedDataSource guarded;
  // Found on first use rather than in the constructor: constructing the object graph does no I/O.
  private volatile ConnectionFacts facts;
  private final long h2WriteGatherNanos;

  /** A database whose H2 file writes wait {@link EngineConfig#DEFAULT_H2_WRITE_GATHER} at most. */
  public Database(DataSource dataSource) {
    this(dataSource, EngineConfig.DEFAULT_H2_WRITE_GATHER);
  }

  @Inject
  Database(DataSource dataSource, EngineConfig config) {
    this(dataSource, config.h2WriteGather());
  }

  /**
   * A database whose writes of an H2 file wait up to {@code h2WriteGather} for the transactions
   * under way ({@link EngineConfig#h2WriteGather()}).
   */
  public Database(DataSource dataSource, Duration h2WriteGather) {
    requireNonNull(dataSource, "dataSource is null");
    EngineConfig.checkH2WriteGather(h2WriteGather);
    this.pool = GuardedDataSource.unguarded(dataSource);
    this.guarded = GuardedDataSource.of(pool);
    this.h2WriteGatherNanos = h2WriteGather.toNanos();
  }

  /**
   * The pool, guarded: asking it for a connection on a thread that has a transaction open on it
   * fails with an {@link IllegalStateException}. For migrations and start-up work only; engine code
   * uses {@link #inTransaction}.
   */
  public DataSource dataSource() {
    return guarded;
  }

  /** Whether this thread has a transaction of this database open. */
  public boolean transactionOpenOnThisThread() {
    return transactionOpenOnThisThread(pool);
  }

  /** Whether this thread has a transaction open on {@code dataSource}'s pool. */
  static boolean transactionOpenOnThisThread(DataSource dataSource) {
    DataSource open = OPEN_TRANSACTION.get();
    return open != null && open == GuardedDataSource.unguarded(dataSource);
  }

  /** The dialect of the database, asked once and remembered. */
  public Dialect dialect() {
    return facts().dialect();
  }

  private ConnectionFacts facts() {
    ConnectionFacts known = facts;
    if (known == null) {
      try (Connection connection = guarded.getConnection()) {
        Dialect dialect = Dialect.of(connection.getMetaData());
        known =
            new ConnectionFacts(
                dialect,
                connection.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED,
                dialect == Dialect.H2
                    ? H2GroupStore.of(connection, h2WriteGatherNanos)
                    : CommitDurability.AT_COMMIT);
        // A pooled connection with auto-commit off must not go back with an open transaction.
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw databaseError("finding the database type", e);
      }
      facts = known;
    }
    return known;
  }

  /**
   * What the first connection told: its dialect, and whether the pool hands connections out READ
   * COMMITTED already. Asking a PostgreSQL connection for its isolation level is a round trip, so
   * it is asked once rather than per transaction.
   */
  private record ConnectionFacts(
      Dialect dialect, boolean readCommittedByDefault, CommitDurability durability) {}

  /**
   * Runs {@code callback} in a new READ COMMITTED transaction and commits it. Any exception rolls
   * the transaction back and is rethrown: {@link OrchestrionException}s and other unchecked
   * exceptions as they are, {@link SQLException}s as INTERNAL_ERROR. After a successful commit the
   * transaction's {@link Transaction#afterCommit} actions run on this thread. On an embedded H2
   * file whose commits H2 does not write itself, a transaction that changed data then waits until
   * its commit is in the file (group commit, {@link H2GroupStore}) before it returns.
   *
   * <p>A transient failure ({@link #isTransient}: serialization failure, deadlock, lock timeout)
   * rolls back and runs the whole callback again, up to {@link #TRANSIENT_RETRIES} more times after
   * a short random pause; the failed attempts' after-commit actions are discarded. The callback
   * must therefore do nothing outside the transaction that cannot be repeated.
   *
   * @throws IllegalStateException when this thread has a transaction open on this pool already
   */
  public <T> T inTransaction(TransactionCallback<T> callback) {
    requireNonNull(callback, "callback is null");
    if (transactionOpenOnThisThread(pool)) {
      throw new IllegalStateException(
          "A transaction is already open on this thread: pass its Transaction down to the code"
              + " that needs the database instead of opening another transaction (a thread that"
              + " holds a pooled connection and waits for a second one can exhaust the pool)");
    }
    ConnectionFacts connectionFacts = facts();
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(callback, connectionFacts);
      } catch (RuntimeException e) {
        if (attempt > TRANSIENT_RETRIES || !isTransient(e)) {
          throw e;
        }
        log.info(
            "Retrying a transaction after a transient database failure (attempt {} of {}): {}",
            attempt,
            TRANSIENT_RETRIES + 1,
            e.getMessage());
        backOff(attempt, e);
      }
    }
  }

  /**
   * Writes of an H2 file whose snapshot was taken while a statement ran longer than a write waits
   * for, so that rows it wrote could reach the file without their undo entries
   * (docs/persistence.md); 0 on other databases. For the engine's metrics.
   */
  public long writesBesideStatements() {
    return facts().durability().writesBesideStatements();
  }

  /**
   * Writes of an H2 file the engine made for its commits, one for every commit made before it began
   * (group commit); 0 on other databases. For the engine's metrics.
   */
  public long fileWrites() {
    return facts().durability().fileWrites();
  }

  /**
   * Returns once every transaction committed so far is on the disk, for a read whose answer tells
   * others what happened (the event feed: a client moves its cursor past what it was shown). Only
   * an H2 file whose commits the engine writes in groups ever waits here (at most one write of the
   * file); other databases write a commit before it returns.
   *
   * @throws IllegalStateException when this thread has a transaction open: the write would first
   *     wait for that transaction to end (H2 takes its snapshot between transactions, or after 25
   *     ms between statements), and the transaction would keep its connection and row locks through
   *     the write
   */
  public void awaitWrittenSoFar() {
    if (transactionOpenOnThisThread(pool)) {
      throw new IllegalStateException(
          "awaitWrittenSoFar was called with a transaction open on this thread: call it once the"
              + " transaction has ended");
    }
    CommitDurability durability = facts().durability();
    try {
      durability.awaitWritten(durability.committed());
    } catch (SQLException e) {
      throw databaseError("writing committed work to the disk", e);
    }
  }

  /**
   * Writes what is committed but in no one's write yet ({@link CommitDurability#writeUnwritten}):
   * called by the H2 file's housekeeping at each round.
   */
  void writeUnwritten() {
    try {
      facts().durability().writeUnwritten();
    } catch (SQLException e) {
      throw databaseError("writing committed work to the disk", e);
    }
  }

  private <T> T attempt(TransactionCallback<T> callback, ConnectionFacts connectionFacts) {
    JdbcTransaction transaction;
    T result;
    long ticket = 0;
    CommitDurability durability = connectionFacts.durability();
    OPEN_TRANSACTION.set(pool);
    try (Connection connection = pool.getConnection()) {
      prepare(connection, connectionFacts);
      transaction = new JdbcTransaction(connection, connectionFacts.dialect());
      durability.transactionBegins();
      try {
        result = callback.run(transaction);
        transaction.writeBeforeCommit();
        boolean changedData = durability.changedData(connection);
        durability.commit(connection, changedData);
        if (changedData) {
          ticket = durability.committed();
        }
      } catch (SQLException e) {
        rollback(connection, e);
        throw databaseError("running a transaction", e);
      } catch (RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      } finally {
        durability.transactionEnded();
        transaction.end();
      }
    } catch (SQLException e) {
      // Getting, preparing or closing the connection failed.
      throw databaseError("opening or closing a transaction", e);
    } finally {
      OPEN_TRANSACTION.remove();
    }
    // The after-commit actions are this process's own signals (a worker woken for a job, a cache
    // kept, a counter): they may run before the commit is on the disk, since whatever leaves the
    // process does so only after a write that covers it (docs/persistence.md, "Group commit in the
    // H2 file"). The caller learns of the commit only once it is written; the wait holds no
    // connection.
    transaction.runAfterCommitActions();
    try {
      durability.awaitWritten(ticket);
    } catch (SQLException e) {
      throw databaseError("writing committed work to the disk", e);
    }
    return result;
  }

  private static void backOff(int attempt, RuntimeException failure) {
    long bound = BACK_OFF_MILLIS << (attempt - 1);
    try {
      Thread.sleep(bound + ThreadLocalRandom.current().nextLong(bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
      throw failure;
    }
  }

  /**
   * Whether {@code failure} or one of its causes is an {@link SQLException} that a new attempt of
   * the whole transaction may not meet again: a serialization failure (SQL state 40001, also H2's
   * deadlock), a PostgreSQL deadlock (40P01), an H2 lock timeout (error 50200), an H2 concurrent
   * update (90131), or PostgreSQL refusing a server-prepared statement whose result columns another
   * session's migration changed ("cached plan must not change result type", 0A000: the driver
   * prepares it again on the next attempt; during a rolling upgrade a node of the previous release
   * meets it once per cached statement).
   */
  public static boolean isTransient(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
      if (cause instanceof SQLException sql && isTransientState(sql)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTransientState(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state)
        || "40P01".equals(state)
        || "90131".equals(state)
        || ("HYT00".equals(state) && e.getErrorCode() == H2_LOCK_TIMEOUT)
        || ("0A000".equals(state)
            && e.getMessage() != null
            && e.getMessage().contains("cached plan must not change result type"));
  }

  private static void prepare(Connection connection, ConnectionFacts facts) throws SQLException {
    // Pools built by DataSources hand connections out this way already, and getAutoCommit is
    // answered by the driver without a round trip: a well-configured pool costs nothing here.
    if (connection.getAutoCommit()) {
      connection.setAutoCommit(false);
    }
    if (!facts.readCommittedByDefault()) {
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** An INTERNAL_ERROR for a failed database operation, keeping the SQL state in the message. */
  public static OrchestrionException databaseError(String doing, SQLException e) {
    return new OrchestrionException(
        StandardErrorCode.INTERNAL_ERROR,
        "Database error while "
            + doing
            + ": "
            + e.getMessage()
            + " (SQL state "
            + e.getSQLState()
            + ")",
        e);
  }

  /**
   * Rolling back to a savepoint failed: the transaction cannot be trusted any more and must end
   * (its cause is the failure that asked for the rollback, the rollback's own failure suppressed).
   */
  public static final class SavepointLost extends RuntimeException {
    SavepointLost(Throwable cause) {
      super("Rolling back to a savepoint failed: " + cause, cause);
    }
  }

  private static final class JdbcTransaction implements Transaction {
    private final Connection connection;
    private final Dialect dialect;
    private final List<Runnable> afterCommitActions = new ArrayList<>();
    private final Map<Key<?>, Object> remembered = new IdentityHashMap<>();
    // The beforeCommit items in the order added, and how many there were at each savepoint set.
    // Items written early (writeGathered) stay in the list, marked with the tick they were written
    // at; a savepoint remembers the tick it was set at, and rolling back to it unmarks what was
    // written after it, since the database rolled those rows back.
    private final List<Pending<?>> pending = new ArrayList<>();
    private final Map<Savepoint, Mark> pendingAtSavepoint = new IdentityHashMap<>();
    private long ticks;
    private boolean ended;

    JdbcTransaction(Connection connection, Dialect dialect) {
      this.connection = connection;
      this.dialect = dialect;
    }

    @Override
    public Connection connection() {
      checkOpen();
      return connection;
    }

    @Override
    public Dialect dialect() {
      return dialect;
    }

    @Override
    public void afterCommit(Runnable action) {
      requireNonNull(action, "action is null");
      checkOpen();
      afterCommitActions.add(action);
    }

    @Override
    public <T> T underSavepoint(TransactionCallback<T> work) throws SQLException {
      requireNonNull(work, "work is null");
      checkOpen();
      int actionsBefore = afterCommitActions.size();
      Savepoint savepoint = setSavepoint();
      T result;
      try {
        result = work.run(this);
      } catch (SQLException | RuntimeException | Error e) {
        try {
          rollbackTo(savepoint);
        } catch (SQLException | RuntimeException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
          throw new SavepointLost(e);
        }
        afterCommitActions.subList(actionsBefore, afterCommitActions.size()).clear();
        release(savepoint, e);
        throw e;
      }
      releaseSavepoint(savepoint);
      return result;
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
      requireNonNull(savepoint, "savepoint is null");
      checkOpen();
      if (dialect().releasesSavepoints()) {
        connection.releaseSavepoint(savepoint);
      }
      pendingAtSavepoint.remove(savepoint);
    }

    @Override
    public <T> void beforeCommit(BeforeCommit<T> writer, T item) {
      requireNonNull(writer, "writer is null");
      requireNonNull(item, "item is null");
      checkOpen();
      pending.add(new Pending<>(writer, item));
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
      checkOpen();
      Savepoint savepoint = connection.setSavepoint();
      pendingAtSavepoint.put(savepoint, new Mark(pending.size(), ++ticks));
      return savepoint;
    }

    /**
     * Gives every writer its items, writers in the order of their first item, those that write last
     * after the others.
     */
    void writeBeforeCommit() throws SQLException {
      Map<BeforeCommit<?>, List<Object>> byWriter = new LinkedHashMap<>();
      for (Pending<?> item : pending) {
        if (!item.written()) {
          byWriter.computeIfAbsent(item.writer, writer -> new ArrayList<>()).add(item.item);
        }
      }
      pending.clear();
      for (boolean last : new boolean[] {false, true}) {
        for (Map.Entry<BeforeCommit<?>, List<Object>> entry : byWriter.entrySet()) {
          if (entry.getKey().writesLast() == last) {
            write(entry.getKey(), entry.getValue());
          }
        }
      }
    }

    @Override
    public void writeGathered(BeforeCommit<?> writer) throws SQLException {
      requireNonNull(writer, "writer is null");
      checkOpen();
      List<Object> items = new ArrayList<>();
      long tick = ++ticks;
      for (Pending<?> item : pending) {
        if (item.writer == writer && !item.written()) {
          items.add(item.item);
          item.writtenAt = tick;
        }
      }
      if (!items.isEmpty()) {
        write(writer, items);
      }
    }

    private void write(BeforeCommit<?> writer, List<Object> items) throws SQLException {
      @SuppressWarnings("unchecked") // added only with its own writer, by beforeCommit
      BeforeCommit<Object> typed = (BeforeCommit<Object>) writer;
      typed.write(this, items);
    }

    /** Releases a savepoint rolled back to; a failure to do so only joins {@code cause}. */
    private void release(Savepoint savepoint, Throwable cause) {
      try {
        releaseSavepoint(savepoint);
      } catch (SQLException | RuntimeException e) {
        cause.addSuppressed(e);
      }
    }

    @Override
    public <T> T remembered(Key<T> key, Function<Transaction, T> compute) {
      requireNonNull(key, "key is null");
      requireNonNull(compute, "compute is null");
      checkOpen();
      @SuppressWarnings("unchecked") // put only below, under its own key
      T known = (T) remembered.get(key);
      if (known == null) {
        known = requireNonNull(compute.apply(this), "a remembered value is null");
        remembered.put(key, known);
      }
      return known;
    }

    @Override
    public void forget(Key<?> key) {
      requireNonNull(key, "key is null");
      remembered.remove(key);
    }

    @Override
    public void rollbackTo(Savepoint savepoint) throws SQLException {
      requireNonNull(savepoint, "savepoint is null");
      checkOpen();
      remembered.clear();
      connection.rollback(savepoint);
      Mark mark = pendingAtSavepoint.get(savepoint);
      if (mark != null) {
        if (mark.pending() < pending.size()) {
          pending.subList(mark.pending(), pending.size()).clear();
        }
        for (Pending<?> item : pending) {
          if (item.writtenAt > mark.tick()) {
            item.writtenAt = 0;
          }
        }
      }
    }

    void end() {
      ended = true;
    }

    void runAfterCommitActions() {
      for (Runnable action : afterCommitActions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.error("An after-commit action failed; the transaction is committed", e);
        }
      }
    }

    /** An item for a writer, as {@link #beforeCommit} was given them. */
    private static final class Pending<T> {
      final BeforeCommit<T> writer;
      final T item;
      // The tick of the writeGathered that wrote it; 0 while it waits for the commit.
      long writtenAt;

      Pending(BeforeCommit<T> writer, T item) {
        this.writer = writer;
        this.item = item;
      }

      boolean written() {
        return writtenAt != 0;
      }
    }

    /** How many items were gathered when a savepoint was set, and the tick it was set at. */
    private record Mark(int pending, long tick) {}

    private void checkOpen() {
      if (ended) {
        throw new IllegalStateException("The transaction has ended");
      }
    }
  }
}
