package io.orchestrion.engine.persistence;

import io.orchestrion.engine.persistence.H2FileHousekeeping.Round;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.h2.mvstore.db.Store;

/**
 * H2's file store behind an engine connection, for {@link H2FileHousekeeping}. The only class of
 * engine-core compiled against H2's engine classes (H2 is a {@code provided} dependency): it is
 * loaded only when the database is H2.
 */
final class H2Store {
  private static final int NEVER_MOVE = -1;

  private H2Store() {}

  /** How full an H2 file is: live share of its chunks' data, chunks' share of the file, size. */
  record Fill(int chunksFillRate, int fileFillRate, long fileBytes) {}

  /**
   * What a round did, and the store's version after it: a later round finding the same version
   * knows that nothing was written since, and so nothing new can be compacted.
   */
  record Outcome(Round round, long version) {}

  /**
   * One housekeeping round on the H2 file behind {@code connection} (see the housekeeping), unless
   * its store is still at {@code versionAfterLastRound}; {@code writeCopies} writes the pages it
   * copied.
   */
  static Outcome compact(Connection connection, long versionAfterLastRound, Runnable writeCopies)
      throws SQLException {
    MVStore store = storeOf(connection);
    if (store == null || !(store.getFileStore() instanceof RandomAccessStore file)) {
      return new Outcome(Round.NOT_AN_H2_FILE, -1);
    }
    int target = H2FileHousekeeping.TARGET_FILL_RATE;
    if (store.getCurrentVersion() == versionAfterLastRound) {
      return new Outcome(Round.NOTHING_WRITTEN, versionAfterLastRound);
    }
    if (file.getChunksFillRate() >= target && file.getFillRate() >= target) {
      return new Outcome(Round.FULL_ENOUGH, -1);
    }
    // Copies live pages out of the sparsest chunks that have been written for H2's retention time,
    // and frees the chunks nothing has used for that time (under H2's store lock), as H2's own
    // background compaction would. Never sooner: a statement that walks a map reads pages of chunks
    // that died after it started, and H2 keeps them only for the retention time; rounds that set it
    // to 0 made such reads fail with "Chunk ... not found". A fill rate below any file's keeps it
    // from moving chunks to shrink the file: run while the store is in use, H2 2.3.232's move trips
    // its own assertions (and with them enabled, closes the store). Free space is reused.
    store.compact(target, H2FileHousekeeping.REWRITE_BYTES);
    file.compactMoveChunks(NEVER_MOVE, 0, store);
    writeCopies.run();
    return new Outcome(Round.COMPACTED, store.getCurrentVersion());
  }

  /** How full the H2 file behind {@code connection} is; empty when it is not an H2 file. */
  static Optional<Fill> fill(Connection connection) throws SQLException {
    MVStore store = storeOf(connection);
    if (store == null || !(store.getFileStore() instanceof RandomAccessStore file)) {
      return Optional.empty();
    }
    return Optional.of(new Fill(file.getChunksFillRate(), file.getFillRate(), file.size()));
  }

  /** The store of an embedded H2 database behind {@code connection}; null for anything else. */
  static MVStore storeOf(Connection connection) throws SQLException {
    SessionLocal session = sessionOf(connection);
    Store store = session == null ? null : session.getDatabase().getStore();
    return store == null ? null : store.getMvStore();
  }

  /**
   * The session of an embedded H2 database behind {@code connection}; null for anything else (an H2
   * server keeps its own file, and its sessions are remote).
   */
  static SessionLocal sessionOf(Connection connection) throws SQLException {
    if (!connection.isWrapperFor(JdbcConnection.class)) {
      return null;
    }
    Session session = connection.unwrap(JdbcConnection.class).getSession();
    return session instanceof SessionLocal local ? local : null;
  }
}
