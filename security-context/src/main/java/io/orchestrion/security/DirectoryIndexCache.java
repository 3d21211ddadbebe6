package io.orchestrion.security;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.Directory;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Keeps the {@link DirectoryIndex} of the latest directory revision: asking costs one {@link
 * Directory#revision()} call; the index is rebuilt only when the revision changed, so group
 * membership and role ancestry are computed once per change, not per decision. Thread-safe; the
 * directory given is read on the caller's thread (pass one bound to the caller's transaction, so
 * that no second connection is taken).
 *
 * <p>A caller outside any transaction may accept an index whose revision was confirmed recently
 * instead of reading the revision again ({@link #current(Directory, Duration)}): the revision read
 * is then a transaction of its own, and a server would otherwise spend one on every request. A
 * confirmation counts from the moment its read began, and {@link #invalidate} voids every
 * confirmation begun before it, so that a change that invalidates after its commit is seen by every
 * later call, even when a read that began before the commit finishes after it.
 */
public final class DirectoryIndexCache {
  private final ReentrantLock rebuilding = new ReentrantLock();
  private final LongSupplier nanoTime;
  private volatile Confirmed current;
  // Bumped by invalidate: a confirmation begun in an older generation is not trusted.
  private volatile long generation;

  /** The index and when a read of its revision began, in which generation. */
  private record Confirmed(DirectoryIndex index, long readAt, long generation) {}

  public DirectoryIndexCache() {
    this(System::nanoTime);
  }

  /** With {@code nanoTime} as the clock of confirmations: tests. */
  DirectoryIndexCache(LongSupplier nanoTime) {
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
  }

  /** The index of {@code directory}'s current revision, rebuilt if the revision changed. */
  public DirectoryIndex current(Directory directory) {
    requireNonNull(directory, "directory is null");
    long readGeneration = generation;
    long readAt = nanoTime.getAsLong();
    Confirmed known = current;
    long revision = directory.revision();
    if (known != null && known.index().revision() == revision) {
      confirm(known.index(), readAt, readGeneration);
      return known.index();
    }
    // A lock rather than a monitor: building reads the directory (JDBC), and a virtual thread
    // blocking inside synchronized pins its carrier on JDK 21.
    rebuilding.lock();
    try {
      known = current;
      DirectoryIndex index =
          known != null && known.index().revision() == revision
              ? known.index()
              : DirectoryIndex.build(directory);
      confirm(index, readAt, readGeneration);
      return index;
    } finally {
      rebuilding.unlock();
    }
  }

  /**
   * The index, without reading the revision when one read of it that began less than {@code trust}
   * ago, and after the last {@link #invalidate}, found this index current; otherwise as {@link
   * #current(Directory)}. A change committed elsewhere is seen within {@code trust}; {@link
   * Duration#ZERO} reads the revision every time.
   */
  public DirectoryIndex current(Directory directory, Duration trust) {
    requireNonNull(directory, "directory is null");
    requireNonNull(trust, "trust is null");
    Confirmed known = current;
    if (known != null
        && known.generation() == generation
        && nanoTime.getAsLong() - known.readAt() < trust.toNanos()) {
      return known.index();
    }
    return current(directory);
  }

  /**
   * Keeps {@code index} as confirmed by a read that began at {@code readAt} in {@code
   * readGeneration}, unless a later confirmation is already kept.
   */
  private void confirm(DirectoryIndex index, long readAt, long readGeneration) {
    synchronized (this) {
      Confirmed known = current;
      boolean later =
          known == null
              || readGeneration > known.generation()
              || (readGeneration == known.generation()
                  && (index.revision() > known.index().revision()
                      || (index.revision() == known.index().revision()
                          && readAt - known.readAt() > 0)));
      if (later) {
        current = new Confirmed(index, readAt, readGeneration);
      }
    }
  }

  /** Forgets the index, e.g. after a change whose revision a reader might not see yet. */
  public void invalidate() {
    synchronized (this) {
      generation++;
      current = null;
    }
  }
}
