package io.orchestrion.security;

/** What a flow or a caller does to a record, for the access decisions. */
public enum RecordOperation {
  READ,
  CREATE,
  EDIT,
  /**
   * Needs full access: ownership, a role above the owner, or MODIFY_ALL (shares do not grant it).
   */
  DELETE
}
