package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What {@code /health/ready} checks; see {@link ReadinessProbe} for how it is run. */
public interface Readiness {
  /** Checks that read only memory: they run on the event loop and must not block. */
  List<Check> localChecks();

  /**
   * Whether the database answers a cheap query. Blocking: the probe runs it on its own thread with
   * a timeout, never on the event loop or the request pools.
   */
  Check databaseCheck();

  /** The outcome of one check; {@code detail} says what failed, or what was seen. */
  record Check(String name, boolean up, String detail) {
    public Check {
      requireNonNull(name, "name is null");
      requireNonNull(detail, "detail is null");
    }

    public static Check up(String name, String detail) {
      return new Check(name, true, detail);
    }

    public static Check down(String name, String detail) {
      return new Check(name, false, detail);
    }
  }
}
