package io.orchestrion.spi.directory;

/** The access an explicit record share grants. EDIT implies READ. */
public enum ShareAccess {
  READ,
  EDIT
}
