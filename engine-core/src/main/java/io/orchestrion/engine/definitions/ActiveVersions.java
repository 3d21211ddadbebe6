package io.orchestrion.engine.definitions;

import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.Transaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which version of each definition is active, remembered on this node for as long as the
 * definitions' revision ({@code definition_revision}, V16) stays the same. The revision is read in
 * the caller's transaction ({@link CacheRevisions}, once per transaction, never in a transaction of
 * its own), so a version activated on any node is the one every node uses in its next transaction.
 * Issue 11: the active-version lookup had cost about five statements per submission.
 *
 * <p>Only values a transaction read at a committed revision are remembered: a transaction that
 * changes which version is active ({@link #changed}) bumps the revision and reads past this cache
 * until it ends, so that nothing it did before committing (or rolling back) is seen by others.
 * Revisions only grow; a transaction that still sees an older revision than the one remembered
 * reads the database. Thread-safe.
 */
final class ActiveVersions {
  private static final Transaction.Key<Boolean> CHANGED =
      new Transaction.Key<>("which definition versions are active changed");

  /** The active versions known at one revision, by "KIND:api name"; empty when none is active. */
  private record Snapshot(long revision, Map<String, Optional<StoredDefinition>> active) {}

  private volatile Snapshot current = new Snapshot(Long.MIN_VALUE, new ConcurrentHashMap<>());

  /** The active version of {@code apiName}, from this node's cache or else {@code read}. */
  Optional<StoredDefinition> active(
      Transaction tx,
      DefinitionKind kind,
      String apiName,
      Function<Transaction, Optional<StoredDefinition>> read) {
    if (tx.remembered(CHANGED, ignored -> Boolean.FALSE)) {
      return read.apply(tx);
    }
    long revision = CacheRevisions.of(tx).definitions();
    Snapshot snapshot = current;
    if (revision < snapshot.revision()) {
      return read.apply(tx);
    }
    if (revision > snapshot.revision()) {
      snapshot = advance(revision);
      if (snapshot.revision() != revision) {
        return read.apply(tx);
      }
    }
    String key = kind.name() + ":" + apiName;
    Optional<StoredDefinition> known = snapshot.active().get(key);
    if (known != null) {
      return known;
    }
    // Read at or after the revision (READ COMMITTED): never older than what the revision says.
    Optional<StoredDefinition> found = read.apply(tx);
    snapshot.active().putIfAbsent(key, found);
    return found;
  }

  private synchronized Snapshot advance(long revision) {
    Snapshot snapshot = current;
    if (revision > snapshot.revision()) {
      snapshot = new Snapshot(revision, new ConcurrentHashMap<>());
      current = snapshot;
    }
    return snapshot;
  }

  /**
   * In the transaction that changed which version of a definition is active, after the change:
   * bumps the revision (so every node's next transaction reads again) and makes this transaction
   * read past the cache from now on.
   */
  void changed(Transaction tx) throws SQLException {
    try (PreparedStatement bump =
        tx.connection()
            .prepareStatement(
                "UPDATE definition_revision SET revision = revision + 1 WHERE id = 1")) {
      bump.executeUpdate();
    }
    tx.forget(CHANGED);
    tx.remembered(CHANGED, ignored -> Boolean.TRUE);
    CacheRevisions.forget(tx);
  }
}
