package io.orchestrion.engine.run.model;

import io.orchestrion.engine.persistence.RowIds;

/**
 * Identifiers of submissions, runs, instances, work items and events: time-ordered UUIDs ({@link
 * RowIds}).
 */
public final class Ids {
  private Ids() {}

  public static String next() {
    return RowIds.next();
  }
}
