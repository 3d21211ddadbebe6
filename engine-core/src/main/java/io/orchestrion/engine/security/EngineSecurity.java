package io.orchestrion.engine.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.EngineConfig;
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
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The engine's entry to access decisions: the index of the current directory revision (rebuilt only
 * when the revision changes, SPEC §7 "fast for large directories") and record stores that enforce a
 * {@link SecurityContext}. Thread-safe.
 */
public final class EngineSecurity {
  private final Directory directory;
  private final Duration trust;
  private final DirectoryIndexCache cache = new DirectoryIndexCache();

  @Inject
  public EngineSecurity(Directory directory, EngineConfig config) {
    this(directory, config.directoryTrust());
  }

  /** Reading the revision for every check outside a transaction. */
  public EngineSecurity(Directory directory) {
    this(directory, Duration.ZERO);
  }

  public EngineSecurity(Directory directory, Duration trust) {
    this.directory = requireNonNull(directory, "directory is null");
    this.trust = requireNonNull(trust, "trust is null");
  }

  /**
   * The directory's index for callers outside any transaction (the server's authentication and
   * permission checks). It reads the revision, in a transaction of its own, only when no read in
   * the last {@link EngineConfig#directoryTrust()} found the index current (docs/security.md, "The
   * directory index"): a change made through this node invalidates the index after its commit and
   * is seen by every later check; one committed on another node within the trust.
   */
  public DirectoryIndex index() {
    return cache.current(directory, trust);
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
    requireNonNull(tx, "tx is null");
    return secured(records, context, () -> index(tx));
  }

  /**
   * {@code records} enforcing {@code context}, deciding with the index {@code directory} gives (a
   * command's, read through its unit of work), asked on first need.
   */
  public SecuredRecordStore secured(
      RecordStore records, SecurityContext context, Supplier<DirectoryIndex> directory) {
    requireNonNull(records, "records is null");
    requireNonNull(context, "context is null");
    requireNonNull(directory, "directory is null");
    // Read on first need: the automated process user's default mode needs no decision at all.
    return new SecuredRecordStore(records, context, () -> directory.get().access(context.userId()));
  }

  /** Forgets the index after a directory change, so the next decision reads the new revision. */
  public void invalidate() {
    cache.invalidate();
  }
}
