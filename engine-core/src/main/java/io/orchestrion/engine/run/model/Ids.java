package io.orchestrion.engine.run.model;

import java.util.UUID;

/** Identifiers of submissions, runs, instances, jobs and events: random UUIDs. */
public final class Ids {
  private Ids() {}

  public static String next() {
    return UUID.randomUUID().toString();
  }
}
