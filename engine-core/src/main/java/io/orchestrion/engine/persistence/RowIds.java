package io.orchestrion.engine.persistence;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import java.security.SecureRandom;

/**
 * Identifiers for the rows the engine creates (submissions, runs, stage and step instances, work
 * items, jobs, events, records): time-ordered UUIDs, version 7 of RFC 9562, as text.
 *
 * <p>Why not random (version 4): every table and index keyed by an id is a B-tree, and a random key
 * lands on a random leaf. The rows a commit writes then touch as many leaves as they have keys, and
 * each dirty leaf with its path to the root is written again at commit (H2 writes every changed
 * page into a new chunk, PostgreSQL logs a full page image the first time a page changes after a
 * checkpoint). A version 7 id starts with the millisecond it was made, so new rows, and the entries
 * of indexes that lead with a run or submission id, go to the right-hand edge of their trees, where
 * the pages of the last commit already are. benchmarks/README.md ("Time-ordered ids") measures it.
 *
 * <p>The other 74 bits are random for every id (from {@link SecureRandom}), also for ids made in
 * the same millisecond: those follow each other only to the millisecond, which keeps them at the
 * right-hand edge all the same. The generator that counts up within a millisecond instead would
 * make the next id of a burst its predecessor plus one — guessable from an id one has seen, and ids
 * are how the API tells "not visible" (403) from "not there" (404). An id shows when it was made,
 * to the millisecond, as {@code created_at} does; it is not a secret, and tokens come from {@code
 * SecureRandom} on their own.
 */
public final class RowIds {
  private static final TimeBasedEpochRandomGenerator GENERATOR =
      Generators.timeBasedEpochRandomGenerator(new SecureRandom());

  private RowIds() {}

  /** A new id, in the canonical 36-character form. */
  public static String next() {
    return GENERATOR.generate().toString();
  }
}
