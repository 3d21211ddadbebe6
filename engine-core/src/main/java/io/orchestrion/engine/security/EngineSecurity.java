package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.persistence.Dialect;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.flow.security.SecuredRecordStore;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.security.DirectoryIndexCache;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.UserAccess;
import io.orchestrion.spi.RecordStore;
import io.orchestrion.spi.directory.Directory;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's entry to access decisions: the index of the current directory revision (rebuilt only
 * when the revision changes, SPEC §7 "fast for large directories") and record stores that enforce a
 * {@link SecurityContext}. Thread-safe.
 */
public final class EngineSecurity {
  /** The PostgreSQL channel on which a directory change is announced to every node. */
  public static final String DIRECTORY_CHANNEL = "orchestrion_directory";

  private final Directory directory;
  private final DirectoryIndexCache cache = new DirectoryIndexCache();
  // Bumped by every invalidation: an index built before the latest one is not trusted.
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean changesAnnounced;
  private volatile Trusted trusted;

  /** An index read outside any transaction, and the invalidation generation it was read in. */
  private record Trusted(DirectoryIndex index, long generation) {}

  @Inject
  public EngineSecurity(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  /**
   * The directory's index for a caller without a transaction (the server's authentication and
   * permission checks). While every directory change is announced to this node ({@link
   * #changesAnnounced}: on PostgreSQL, while its listening connection is open) the index is served
   * from memory until a change drops it; otherwise the revision is read in a transaction of its
   * own. Engine decisions use {@link #index(Transaction)}, which always reads the revision in the
   * caller's transaction.
   */
  public DirectoryIndex index() {
    long current = generation.get();
    Trusted known = trusted;
    if (changesAnnounced && known != null && known.generation() == current) {
      return known.index();
    }
    DirectoryIndex index = cache.current(directory);
    // Read after the generation: a change committed since then has bumped it, or is in the index.
    trusted = new Trusted(index, current);
    return index;
  }

  /** The directory's index, reading the revision (and the directory, if changed) on {@code tx}. */
  public DirectoryIndex index(Transaction tx) {
    requireNonNull(tx, "tx is null");
    return cache.current(directory instanceof JdbcDirectory ? JdbcDirectory.within(tx) : directory);
  }

  /**
   * The access facts of a user.
   *
   * @throws io.orchestrion.api.OrchestrionException NOT_FOUND when the user does not exist
   */
  public UserAccess access(Transaction tx, String userId) {
    return index(tx).access(userId);
  }

  /** {@code records} enforcing {@code context} (SPEC §7); bound to {@code tx} like records. */
  public SecuredRecordStore secured(Transaction tx, RecordStore records, SecurityContext context) {
    requireNonNull(records, "records is null");
    requireNonNull(context, "context is null");
    // Read on first need: the automated process user's default mode needs no decision at all.
    return new SecuredRecordStore(records, context, () -> access(tx, context.userId()));
  }

  /**
   * Announces to the other nodes, from inside {@code tx} (which bumps the directory revision), that
   * the directory changes: on PostgreSQL a {@code NOTIFY} on {@link #DIRECTORY_CHANNEL}, delivered
   * at commit; nothing on H2, which runs one node.
   */
  public void announceChange(Transaction tx) throws SQLException {
    requireNonNull(tx, "tx is null");
    if (tx.dialect() == Dialect.POSTGRESQL) {
      try (Statement statement = tx.connection().createStatement()) {
        statement.execute("NOTIFY " + DIRECTORY_CHANNEL);
      }
    }
  }

  /**
   * Whether every directory change is announced to this node from now on (true) or may not be
   * (false: the listening connection was lost). Either way the index in memory is dropped: changes
   * made while nobody listened were not announced.
   */
  public void changesAnnounced(boolean announced) {
    changesAnnounced = announced;
    invalidate();
  }

  /** Forgets the index after a directory change, so the next decision reads the new revision. */
  public void invalidate() {
    generation.incrementAndGet();
    cache.invalidate();
  }
}
