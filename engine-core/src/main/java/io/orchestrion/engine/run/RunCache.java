package io.orchestrion.engine.run;

import io.orchestrion.engine.api.EngineConfig;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's committed runs ({@link RunRows}), by run id, so that a hand-off on a run this node
 * wrote or read last skips reading its parts again (docs/architecture.md, "The run aggregate"). An
 * entry is used only when its revision is the one the transaction reads with the run's lock: any
 * write of the run's rows, on any node, sets the revision one higher, so a stale entry is never
 * used, only replaced. Entries are put only after the transaction that wrote or read them has
 * committed ({@link RunRepository}); a rolled-back transaction or savepoint puts nothing.
 *
 * <p>Bounded by runs and by rows (least recently used first out; {@link
 * EngineConfig#runCacheSize()}, 0 keeps nothing). Entries are immutable, and each use builds an
 * aggregate of its own from one. Thread-safe; a {@link ReentrantLock}, not {@code synchronized}, so
 * that a virtual thread never pins its carrier here.
 */
final class RunCache {
  /** At most this many rows per run kept on average (the bound on rows is runs × this). */
  static final int ROWS_PER_RUN = 20;

  private final int maxRuns;
  private final int maxRows;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, RunRows> entries = new LinkedHashMap<>(256, 0.75f, true);
  private int rows;

  /** {@link EngineConfig#runCacheSize()} runs, 20 rows each on average; 0 keeps nothing. */
  @Inject
  RunCache(EngineConfig config) {
    this(config.runCacheSize(), config.runCacheSize() * ROWS_PER_RUN);
  }

  RunCache(int maxRuns, int maxRows) {
    if (maxRuns < 0 || maxRows < 0) {
      throw new IllegalArgumentException("negative bounds");
    }
    this.maxRuns = maxRuns;
    this.maxRows = maxRows;
  }

  /** The rows of {@code runId} if this node has them at {@code revision}. */
  Optional<RunRows> get(String runId, long revision) {
    lock.lock();
    try {
      RunRows cached = entries.get(runId);
      return cached != null && cached.revision() == revision
          ? Optional.of(cached)
          : Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Keeps {@code committed} (rows of a committed transaction) unless an entry of a later revision
   * of the run is there already: two transactions of a run may run their after-commit actions in
   * either order.
   */
  void put(RunRows committed) {
    if (maxRuns == 0 || committed.rowCount() > maxRows) {
      return;
    }
    lock.lock();
    try {
      RunRows known = entries.get(committed.runId());
      if (known != null) {
        if (known.revision() > committed.revision()) {
          return;
        }
        rows -= known.rowCount();
      }
      entries.put(committed.runId(), committed);
      rows += committed.rowCount();
      evict();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code runId}. */
  void remove(String runId) {
    lock.lock();
    try {
      RunRows known = entries.remove(runId);
      if (known != null) {
        rows -= known.rowCount();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The revision kept for {@code runId}, if any (for tests and diagnostics). */
  Optional<Long> revisionOf(String runId) {
    lock.lock();
    try {
      return Optional.ofNullable(entries.get(runId)).map(RunRows::revision);
    } finally {
      lock.unlock();
    }
  }

  /** How many runs are kept. */
  int size() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many rows the kept runs have in all. */
  int rowCount() {
    lock.lock();
    try {
      return rows;
    } finally {
      lock.unlock();
    }
  }

  private void evict() {
    Iterator<Map.Entry<String, RunRows>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxRuns || rows > maxRows) && eldest.hasNext()) {
      rows -= eldest.next().getValue().rowCount();
      eldest.remove();
    }
  }
}
