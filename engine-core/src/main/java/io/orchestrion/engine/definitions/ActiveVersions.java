package io.orchestrion.engine.definitions;

import io.orchestrion.engine.persistence.CacheRevisions;
import io.orchestrion.engine.persistence.Transaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Which version of each definition is active, remembered on this node for as long as the
 * definitions' revision ({@code definition_revision}, V16) stays the same. The revision is read in
 * the caller's transaction ({@link CacheRevisions}, once per transaction, never in a transaction of
 * its own), so a version activated on any node is the one every node uses in its next transaction.
 * Issue 11: the active-version lookup had cost about five statements per submission.
 *
 * <p>A change of which version is active sets the revision to a new random value ({@link #changed})
 * rather than counting up: the transaction that made the change may fill this cache under its new
 * revision before it commits, and should it roll back, no other transaction can ever read that
 * revision, so nothing it left here is used. A value read under a revision is never older than that
 * revision (it is read after it, READ COMMITTED). Thread-safe.
 */
final class ActiveVersions {
  /** The active versions known at one revision, by "KIND:api name"; empty when none is active. */
  private record Snapshot(long revision, Map<String, Optional<StoredDefinition>> active) {}

  private volatile Snapshot current = new Snapshot(0, new ConcurrentHashMap<>());

  /** The active version of {@code apiName}, from this node's cache or else {@code read}. */
  Optional<StoredDefinition> active(
      Transaction tx,
      DefinitionKind kind,
      String apiName,
      Function<Transaction, Optional<StoredDefinition>> read) {
    long revision = CacheRevisions.of(tx).definitions();
    Snapshot snapshot = current;
    if (snapshot.revision() != revision) {
      // Transactions on both sides of a change may take turns here for a moment: each replaces
      // the other's snapshot and reads again, which costs reads, never a wrong answer.
      snapshot = new Snapshot(revision, new ConcurrentHashMap<>());
      current = snapshot;
    }
    String key = kind.name() + ":" + apiName;
    Optional<StoredDefinition> known = snapshot.active().get(key);
    if (known != null) {
      return known;
    }
    Optional<StoredDefinition> found = read.apply(tx);
    snapshot.active().putIfAbsent(key, found);
    return found;
  }

  /**
   * In the transaction that changed which version of a definition is active, after the change:
   * gives the definitions a new revision, so that every node's next transaction reads again, and
   * makes this transaction read it too.
   */
  void changed(Transaction tx) throws SQLException {
    long revision = CacheRevisions.of(tx).definitions();
    long next;
    do {
      next = ThreadLocalRandom.current().nextLong();
    } while (next == revision || next == 0);
    try (PreparedStatement bump =
        tx.connection()
            .prepareStatement("UPDATE definition_revision SET revision = ? WHERE id = 1")) {
      bump.setLong(1, next);
      bump.executeUpdate();
    }
    CacheRevisions.forget(tx);
  }
}
