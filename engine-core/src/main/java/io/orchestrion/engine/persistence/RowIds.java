package io.orchestrion.engine.persistence;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

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
 * <p>An id still carries 74 random bits, but ids made in the same millisecond by this generator
 * follow each other (it counts up within a millisecond, so that they stay ordered), and an id shows
 * when it was made. Nothing may use one as a secret: tokens come from {@link
 * java.security.SecureRandom} on their own.
 */
public final class RowIds {
  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private RowIds() {}

  /** A new id, in the canonical 36-character form. */
  public static String next() {
    return GENERATOR.generate().toString();
  }
}
