package io.orchestrion.engine.work;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.Database;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.engine.records.JdbcRecordStore;
import io.orchestrion.engine.records.RecordStores;
import io.orchestrion.engine.security.EngineSecurity;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.spi.directory.Directory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One engine command's unit of work (docs/architecture.md, "A command's path"): its transaction,
 * its one clock reading, its record store, the directory and its index read through the
 * transaction, and the wake-ups it sends once the transaction commits. Everything a command calls
 * reads through it, so that a command takes one connection and sees one instant. Opened by {@link
 * UnitsOfWork}; valid only inside the work it was given to, on that thread; not thread-safe.
 */
public final class UnitOfWork {
  private final Transaction tx;
  private final Instant now;
  private final RecordStores recordStores;
  private final EngineSecurity security;
  private final WorkSignals signals;
  private JdbcRecordStore records;
  private Directory directory;
  private DirectoryIndex directoryIndex;

  UnitOfWork(
      Transaction tx,
      Instant now,
      RecordStores recordStores,
      EngineSecurity security,
      WorkSignals signals) {
    this.tx = requireNonNull(tx, "tx is null");
    // The databases keep microseconds: the instant a command holds is the instant it stores, so an
    // answer built from what the command wrote equals a fresh read of it.
    this.now = requireNonNull(now, "now is null").truncatedTo(ChronoUnit.MICROS);
    this.recordStores = recordStores;
    this.security = security;
    this.signals = signals;
  }

  /** The transaction; for repositories and stores that take one. */
  public Transaction transaction() {
    return tx;
  }

  /** The transaction's connection. */
  public Connection connection() {
    return tx.connection();
  }

  public Dialect dialect() {
    return tx.dialect();
  }

  /**
   * The command's instant: read once when the unit of work opened, the same for all it does; to the
   * microsecond, as the databases store it.
   */
  public Instant now() {
    return now;
  }

  /**
   * The command's record store, bound to the transaction and stamping changes with {@link #now()};
   * opened on first use, then the same store for the whole command.
   */
  public JdbcRecordStore records() {
    if (records == null) {
      records = recordStores.open(tx, now);
    }
    return records;
  }

  /** The directory as the transaction sees it (its uncommitted changes included). */
  public Directory directory() {
    if (directory == null) {
      directory = security.directory(tx);
    }
    return directory;
  }

  /**
   * The index of the directory (SPEC §7) at the revision the transaction sees; read on first use,
   * then the same index for the whole command unless {@link #directoryChanged()} says otherwise.
   */
  public DirectoryIndex directoryIndex() {
    if (directoryIndex == null) {
      directoryIndex = security.index(tx);
    }
    return directoryIndex;
  }

  /**
   * The command changed the directory: the next {@link #directoryIndex()} reads it again, and the
   * transaction reads the directory's revision again ({@link CacheRevisions}).
   */
  public void directoryChanged() {
    directoryIndex = null;
    CacheRevisions.forget(tx);
  }

  /**
   * Runs {@code action} once the transaction has committed (never on rollback, nor when the
   * command's savepoint is rolled back); a failing action is logged, not thrown.
   */
  public void afterCommit(Runnable action) {
    tx.afterCommit(action);
  }

  /**
   * The command makes jobs due now whose lease is free: every node's poller looks for them once the
   * transaction commits ({@link WorkSignals#jobsDue(Transaction)}).
   */
  public void jobsDue() throws SQLException {
    signals.jobsDue(tx);
  }

  /** Once the transaction commits, this node runs the job it holds the lease of. */
  public void jobReadyAfterCommit(String jobId) {
    requireNonNull(jobId, "jobId is null");
    tx.afterCommit(() -> signals.jobReady(jobId));
  }

  /**
   * Runs {@code command} as a command of its own in this unit of work's transaction, under a
   * savepoint (for group commit: several commands in one transaction). The command gets a unit of
   * work of its own on the same transaction and instant, with its own record store; the directory
   * index read so far is shared. When it throws, its writes are rolled back to the savepoint and
   * its after-commit actions discarded, and the exception is rethrown as it is; what was done
   * before and is done after stays. Savepoints nest.
   */
  public <T> T underSavepoint(Work<T> command) throws SQLException {
    requireNonNull(command, "command is null");
    UnitOfWork inner = new UnitOfWork(tx, now, recordStores, security, signals);
    inner.directory = directory;
    inner.directoryIndex = directoryIndex;
    return tx.underSavepoint(savepointTx -> command.run(inner));
  }

  /**
   * Runs {@code command} as one member of a group sharing this transaction ({@link
   * #underSavepoint}), keeping a failure that is the command's own for its caller instead of
   * throwing it: its writes are rolled back to the savepoint and the group goes on. A failure that
   * ends the whole transaction is thrown: a transient one (a deadlock, a serialization failure: the
   * group is retried) or a lost savepoint; so is an {@link Error}.
   *
   * @param what what the command does, for the message of a database error it causes
   */
  public <T> MemberOutcome<T> underSavepointAsMember(Work<T> command, String what)
      throws SQLException {
    try {
      return new MemberOutcome<>(underSavepoint(command), null);
    } catch (SQLException e) {
      if (Database.isTransient(e)) {
        throw e;
      }
      return new MemberOutcome<>(null, Database.databaseError(what, e));
    } catch (Database.SavepointLost e) {
      throw e;
    } catch (RuntimeException e) {
      if (Database.isTransient(e)) {
        throw e;
      }
      return new MemberOutcome<>(null, e);
    }
  }

  /** A group member's result, or its own failure (then its writes were rolled back). */
  public record MemberOutcome<T>(T result, RuntimeException failure) {}
}
