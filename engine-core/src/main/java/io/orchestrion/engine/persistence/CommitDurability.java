package io.orchestrion.engine.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What {@link Database} does so that a committed transaction is on the disk before its caller
 * learns of it. The database's driver does it by itself at commit unless the database leaves the
 * writing to the engine: an H2 file whose commits are not written at commit ({@link H2GroupStore}),
 * where one write of the file covers every transaction committed before it began.
 */
interface CommitDurability {
  /** The database wrote every commit before the commit returned: nothing to do. */
  CommitDurability AT_COMMIT =
      new CommitDurability() {
        @Override
        public boolean changedData(Connection connection) {
          return false;
        }

        @Override
        public long committed() {
          return 0;
        }

        @Override
        public void awaitWritten(long ticket) {}
      };

  /**
   * Called on a transaction's thread before its first statement; {@link #transactionEnded} on the
   * same thread once it committed or rolled back. Between the two the transaction must not wait for
   * a write of the file ({@link #awaitWritten}), nor for another transaction to begin.
   */
  default void transactionBegins() {}

  /** The transaction that {@link #transactionBegins} announced has committed or rolled back. */
  default void transactionEnded() {}

  /**
   * Writes of the file whose snapshot was taken while a statement was still running, because it ran
   * longer than a write waits for ({@code H2GroupStore}); 0 where the database writes each commit
   * itself.
   */
  default long writesBesideStatements() {
    return 0;
  }

  /**
   * Writes of the file the engine made, each for every commit before it began ({@code
   * H2GroupStore}); 0 where the database writes each commit itself.
   */
  default long fileWrites() {
    return 0;
  }

  /**
   * Whether the transaction open on {@code connection} changed anything, asked just before its
   * commit: a transaction that only read needs no write of the file.
   */
  boolean changedData(Connection connection) throws SQLException;

  /**
   * Commits the transaction open on {@code connection}; {@code changedData} is what {@link
   * #changedData} answered just before.
   */
  default void commit(Connection connection, boolean changedData) throws SQLException {
    connection.commit();
  }

  /**
   * Called on the committing thread once the driver's commit returned, for a transaction that
   * {@linkplain #changedData changed data}, or by a reader after its read: a ticket for {@link
   * #awaitWritten} (0: nothing to wait for).
   */
  long committed();

  /**
   * Returns once every transaction committed before {@code ticket} was taken is on the disk (a
   * ticket of 0 returns at once). May write the file itself, for every transaction waiting.
   *
   * @throws SQLException when writing the file failed: the transaction is committed in memory but
   *     not known to be on the disk, and nobody may be told it happened
   */
  void awaitWritten(long ticket) throws SQLException;

  /**
   * Writes what the database holds committed but unwritten although no transaction of the engine
   * waits for it (a migration, a commit made beside the engine, the copies of the H2 file's
   * housekeeping), where the engine writes the file and nothing else would: on an H2 file whose
   * commits the engine writes, H2's own background writer is kept from writing ({@link
   * H2GroupStore}). Nothing to do where the database writes each commit itself.
   */
  default void writeUnwritten() throws SQLException {}
}
