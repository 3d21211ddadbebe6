package io.orchestrion.engine.api;

/** The status of a definition version (SPEC §2). */
public enum DefinitionStatus {
  /** Deployed, never activated. */
  DRAFT,
  /** The one version that is launched; at most one per api name. */
  ACTIVE,
  /** Was active, then deactivated or replaced by another version. */
  INACTIVE
}
