package io.orchestrion.api.object;

/** The org-wide default access to the records of an object type (SPEC §7). */
public enum SharingModel {
  PRIVATE,
  PUBLIC_READ,
  PUBLIC_READ_WRITE
}
