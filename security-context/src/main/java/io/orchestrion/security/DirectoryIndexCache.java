package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.Directory;

/**
 * Keeps the {@link DirectoryIndex} of the latest directory revision: asking costs one {@link
 * Directory#revision()} call; the index is rebuilt only when the revision changed, so group
 * membership and role ancestry are computed once per change, not per decision. Thread-safe.
 */
public final class DirectoryIndexCache {
  private volatile DirectoryIndex current;

  /** The index of {@code directory}'s current revision, rebuilt if the revision changed. */
  public DirectoryIndex current(Directory directory) {
    requireNonNull(directory, "directory is null");
    long revision = directory.revision();
    DirectoryIndex index = current;
    if (index != null && index.revision() == revision) {
      return index;
    }
    synchronized (this) {
      index = current;
      if (index == null || index.revision() != revision) {
        index = DirectoryIndex.build(directory);
        current = index;
      }
      return index;
    }
  }

  /** Forgets the index, e.g. after a change whose revision a reader might not see yet. */
  public void invalidate() {
    current = null;
  }
}
