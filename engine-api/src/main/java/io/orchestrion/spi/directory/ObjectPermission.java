package io.orchestrion.spi.directory;

/** What a permission set allows on the records of one object type. */
public enum ObjectPermission {
  CREATE,
  READ,
  EDIT,
  DELETE,
  /** Read every record of the object type, whatever the sharing. */
  VIEW_ALL,
  /** Read, edit and delete every record of the object type, whatever the sharing. */
  MODIFY_ALL
}
