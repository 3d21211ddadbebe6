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
 */
public final class CacheRevisions {
  private static final Transaction.Key<Revisions> KEY = new Transaction.Key<>("cache revisions");

  private CacheRevisions() {}

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
