package io.orchestrion.engine.persistence;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.api.EngineConfig;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 database file from growing without bound while the engine runs.
 *
 * <p>H2 writes every commit's changed pages into a new chunk of its file. A chunk's space is used
 * again only once none of its pages is live any more; a chunk that keeps one live page (a full leaf
 * of finished runs, a rarely changed table) keeps all of it. H2 copies such pages out of sparse
 * chunks in a background thread, but that thread moves chunks while the store is in use, which H2
 * 2.3.232's own assertions reject, so the engine's URL turns it off ({@code
 * AUTO_COMPACT_FILL_RATE=0}). Without any compaction the file grew by about 220 KiB per submission
 * of the approval scenario, 95 % of it dead (benchmarks/README.md, "The H2 file's housekeeping").
 *
 * <p>Every {@link EngineConfig#h2Housekeeping()} this does what that thread would, in small bounded
 * rounds on a platform thread of its own. A round with something to do (a commit since the last
 * one, and less than {@value #TARGET_FILL_RATE} % of the chunks' data live or of the file in
 * chunks) copies up to {@value #REWRITE_BYTES} bytes of live pages out of the sparsest chunks (H2
 * holds its store lock for that copy; the round then writes the copies through the engine's group
 * commit) and frees the chunks nothing has used for H2's retention time ({@code RETENTION_TIME}, 45
 * s by default), whose space is then used again (the file does not shrink: H2's compaction at close
 * follows {@code AUTO_COMPACT_FILL_RATE}, 0 in the engine's URL). The retention time is left alone:
 * a statement walking a map reads pages of chunks that died after it started, and rounds that freed
 * dead chunks at once made such reads fail ("Chunk ... not found"). docs/persistence.md ("The H2
 * file's housekeeping") gives the cost: at least the last 45 s of writes stay in the file, more
 * under sustained heavy load, when the rounds do not keep up.
 *
 * <p>Each round also writes what H2 holds committed but unwritten ({@link
 * Database#writeUnwritten}): H2's own background writer is kept from writing (the engine's URL,
 * {@code H2GroupStore}), so a migration or a commit made beside the engine would otherwise wait for
 * the engine's next write or for the database to close. With the rounds turned off, it does.
 *
 * <p>Only for H2 in embedded file mode; on another database, an in-memory H2 or an H2 server it
 * stops after its first round. {@link H2Store} reaches H2's store; it is loaded only when the
 * database is H2, so an application on PostgreSQL needs no H2 on its class path, and an H2 version
 * without that API stops the rounds with a warning.
 */
public final class H2FileHousekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(H2FileHousekeeping.class);

  /** Below this share of live data in the chunks, or of chunks in the file, a round compacts. */
  static final int TARGET_FILL_RATE = 80;

  /** At most this many bytes of live pages a round copies out of sparse chunks. */
  static final int REWRITE_BYTES = 1 << 20;

  /** What one round found and did. */
  public enum Round {
    /** Not an embedded H2 file: nothing to keep, and no more rounds. */
    NOT_AN_H2_FILE,
    /** The chunks and the file were full enough: nothing done. */
    FULL_ENOUGH,
    /** Nothing was written since the last round compacted: nothing done. */
    NOTHING_WRITTEN,
    /** Live pages copied out of sparse chunks, unused chunks freed. */
    COMPACTED
  }

  private final Database database;
  private final Duration interval;
  private final Object wakeUp = new Object();
  private volatile boolean stopping;
  private Thread thread;
  // The store's version after the last round that compacted; -1 before one did.
  private long versionAfterLastRound = -1;

  @Inject
  public H2FileHousekeeping(Database database, EngineConfig config) {
    this.database = requireNonNull(database, "database is null");
    this.interval = config.h2Housekeeping();
  }

  /** Starts the rounds, unless the interval is zero or the database is not H2. */
  public synchronized void start() {
    if (thread != null || interval.isZero() || database.dialect() != Dialect.H2) {
      return;
    }
    stopping = false;
    thread =
        Thread.ofPlatform().daemon().name("orchestrion-h2-housekeeping").start(this::runRounds);
  }

  private void runRounds() {
    while (!stopping) {
      try {
        synchronized (wakeUp) {
          if (!stopping) {
            wakeUp.wait(interval.toMillis());
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      if (stopping) {
        return;
      }
      try {
        if (runOnce() == Round.NOT_AN_H2_FILE) {
          log.debug("Not an embedded H2 file: no housekeeping needed");
          return;
        }
      } catch (LinkageError e) {
        log.warn(
            "This H2 version lacks the store API the housekeeping uses; the H2 file is left to grow"
                + " until the database is closed: {}",
            e.toString());
        return;
      } catch (SQLException | RuntimeException e) {
        log.warn("H2 housekeeping failed; trying again in {}: {}", interval, e.toString());
      }
    }
  }

  /**
   * One round, on the calling thread, which must not have a transaction of this database open (it
   * takes a pooled connection to reach H2's store, and runs no statement on it).
   */
  public synchronized Round runOnce() throws SQLException {
    // Nothing else writes what no transaction of the engine waits for (H2GroupStore): a migration,
    // a commit made beside the engine.
    database.writeUnwritten();
    try (Connection connection = database.dataSource().getConnection()) {
      H2Store.Outcome outcome =
          H2Store.compact(connection, versionAfterLastRound, database::writeUnwritten);
      versionAfterLastRound = outcome.version();
      return outcome.round();
    }
  }

  /**
   * Stops the rounds: wakes the thread rather than interrupting it (an interrupt during a write
   * closes H2's file channel, and with it the whole database), and waits for a round in progress.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      running = thread;
      thread = null;
    }
    if (running == null) {
      return;
    }
    stopping = true;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
    try {
      running.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
