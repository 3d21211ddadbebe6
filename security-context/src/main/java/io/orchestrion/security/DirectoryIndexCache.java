package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.Directory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the {@link DirectoryIndex} of the latest directory revision: asking costs one {@link
 * Directory#revision()} call; the index is rebuilt only when the revision changed, so group
 * membership and role ancestry are computed once per change, not per decision. Thread-safe; the
 * directory given is read on the caller's thread (pass one bound to the caller's transaction, so
 * that no second connection is taken).
 */
public final class DirectoryIndexCache {
  private final ReentrantLock rebuilding = new ReentrantLock();
  private volatile DirectoryIndex current;

  /** The index of {@code directory}'s current revision, rebuilt if the revision changed. */
  public DirectoryIndex current(Directory directory) {
    requireNonNull(directory, "directory is null");
    long revision = directory.revision();
    DirectoryIndex index = current;
    if (index != null && index.revision() == revision) {
      return index;
    }
    // A lock rather than a monitor: building reads the directory (JDBC), and a virtual thread
    // blocking inside synchronized pins its carrier on JDK 21.
    rebuilding.lock();
    try {
      index = current;
      if (index == null || index.revision() != revision) {
        index = DirectoryIndex.build(directory);
        current = index;
      }
      return index;
    } finally {
      rebuilding.unlock();
    }
  }

  /** Forgets the index, e.g. after a change whose revision a reader might not see yet. */
  public void invalidate() {
    current = null;
  }
}
