package io.orchestrion.engine.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The revisions that tell whether this node's caches are current: the directory's ({@code
 * directory_revision}, V3) and that of which definition versions are active ({@code
 * definition_revision}, V16). Both are read together, once per transaction, in the caller's
 * transaction (one primary-key read of two one-row tables): a change committed on any node is seen
 * by the next transaction everywhere, and a transaction that consults several caches pays one read.
 * A transaction that bumps a revision calls {@link #forget} so that its own later reads see it.
 *
 * <p>A statement that a transaction sends anyway may carry the read: {@link #SELECTED} adds both
 * revisions to its select list (scalar subqueries, which a {@code FOR UPDATE} does not lock) and
 * {@link #remember} keeps them, so that the transaction's caches need no statement of their own —
 * the run's lock does this at every hand-off.
 */
public final class CacheRevisions {
  private static final Transaction.Key<Revisions> KEY = new Transaction.Key<>("cache revisions");

  /**
   * Both revisions as two more columns of a select list, the directory's then the definitions':
   * read them with {@link #read(ResultSet, int)} and hand them to {@link #remember}.
   */
  public static final String SELECTED =
      "(SELECT revision FROM directory_revision WHERE id = 1),"
          + " (SELECT revision FROM definition_revision WHERE id = 1)";

  private CacheRevisions() {}

  /** The revisions selected with {@link #SELECTED}, whose first column is {@code column}. */
  public static Revisions read(ResultSet row, int column) throws SQLException {
    return new Revisions(row.getLong(column), row.getLong(column + 1));
  }

  /**
   * Keeps {@code revisions}, read by another statement of {@code tx}, as what {@link #of} answers
   * in {@code tx} — unless {@code tx} has read them already: a transaction keeps the revisions it
   * read first, so that its caches answer from one point in time.
   */
  public static void remember(Transaction tx, Revisions revisions) {
    tx.remembered(KEY, t -> revisions);
  }

  /** The revisions as {@code tx} sees them, read on first use in {@code tx}. */
  public static Revisions of(Transaction tx) {
    return tx.remembered(KEY, CacheRevisions::read);
  }

  /** After {@code tx} changed a revision: its next {@link #of} reads them again. */
  public static void forget(Transaction tx) {
    tx.forget(KEY);
  }

  private static Revisions read(Transaction tx) {
    try (PreparedStatement statement =
            tx.connection()
                .prepareStatement(
                    "SELECT d.revision, f.revision FROM directory_revision d"
                        + " CROSS JOIN definition_revision f WHERE d.id = 1 AND f.id = 1");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? new Revisions(rows.getLong(1), rows.getLong(2)) : new Revisions(0, 0);
    } catch (SQLException e) {
      throw Database.databaseError("reading the cache revisions", e);
    }
  }

  /** The directory's revision and the active definitions' revision. */
  public record Revisions(long directory, long definitions) {}
}
