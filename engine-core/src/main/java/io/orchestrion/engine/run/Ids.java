package io.orchestrion.engine.run;

import java.util.UUID;

/** Identifiers of submissions, runs, instances, jobs and events: random UUIDs. */
final class Ids {
  private Ids() {}

  static String next() {
    return UUID.randomUUID().toString();
  }
}
