package io.orchestrion.api.flow;

/** How a flow enforces access to data (SPEC §7). */
public enum RunMode {
  /** Object permissions, field-level security and record sharing are enforced. */
  USER,
  /** Only record sharing is enforced. */
  SYSTEM_WITH_SHARING,
  /** Nothing is enforced. */
  SYSTEM_WITHOUT_SHARING,
  /**
   * SYSTEM_WITHOUT_SHARING for the automated process user, USER for anyone else (resolved when the
   * interview starts).
   */
  DEFAULT
}
