package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.directory.JdbcDirectory;
import io.orchestrion.engine.persistence.Transaction;
import io.orchestrion.flow.security.SecuredRecordStore;
import io.orchestrion.security.DirectoryIndex;
import io.orchestrion.security.DirectoryIndexCache;
import io.orchestrion.security.SecurityContext;
import io.orchestrion.security.UserAccess;
import io.orchestrion.spi.RecordStore;
import io.orchestrion.spi.directory.Directory;
import jakarta.inject.Inject;

/**
 * The engine's entry to access decisions: the index of the current directory revision (rebuilt only
 * when the revision changes, SPEC §7 "fast for large directories") and record stores that enforce a
 * {@link SecurityContext}. Thread-safe.
 */
public final class EngineSecurity {
  private final Directory directory;
  private final DirectoryIndexCache cache = new DirectoryIndexCache();

  @Inject
  public EngineSecurity(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  /**
   * The directory's index, reading the revision in a transaction of its own: for callers outside
   * any transaction (the server's authentication and permission checks). A change committed on
   * another node is seen at once, because the revision is read each time; nothing is trusted from
   * memory.
   */
  public DirectoryIndex index() {
    return cache.current(directory);
  }

  /** The directory's index, reading the revision (and the directory, if changed) on {@code tx}. */
  public DirectoryIndex index(Transaction tx) {
    return cache.current(directory(tx));
  }

  /** The directory, read through {@code tx} when it is the engine's own tables. */
  public Directory directory(Transaction tx) {
    requireNonNull(tx, "tx is null");
    return directory instanceof JdbcDirectory ? JdbcDirectory.within(tx) : directory;
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

  /** Forgets the index after a directory change, so the next decision reads the new revision. */
  public void invalidate() {
    cache.invalidate();
  }
}
