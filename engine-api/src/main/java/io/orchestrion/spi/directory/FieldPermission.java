package io.orchestrion.spi.directory;

/** Field-level security: what a permission set allows on one field. EDIT implies READ. */
public enum FieldPermission {
  READ,
  EDIT
}
